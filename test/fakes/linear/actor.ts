/**
 * Who a request acts as: a personal API key (its user), or an OAuth token of a grant made with
 * `actor=user` or `actor=app`. Linear lets only `actor=app` tokens name another author:
 * `createAsUser` and `displayIconUrl` are "only available to OAuth applications creating
 * issues/comments in `actor=app` mode", and `displayIconUrl` only together with `createAsUser`
 * (the input docs in schema.graphql; https://linear.app/developers/oauth-actor-authorization).
 */
import { inputError } from './errors';

export type FakeActor = 'apiKey' | 'user' | 'app';

export interface Authorship {
  createAsUser: string | null;
  displayIconUrl: string | null;
}

export function authorshipOf(actor: FakeActor | undefined, input: { createAsUser?: string | null; displayIconUrl?: string | null }): Authorship {
  const createAsUser = input.createAsUser ?? null;
  const displayIconUrl = input.displayIconUrl ?? null;
  if ((createAsUser !== null || displayIconUrl !== null) && actor !== 'app') {
    throw inputError('createAsUser and displayIconUrl are only available to OAuth applications in actor=app mode', 'Only an OAuth application acting as itself can post as another user.');
  }
  if (displayIconUrl !== null && createAsUser === null) {
    throw inputError('displayIconUrl can only be used in conjunction with createAsUser', 'An icon needs a name to go with it.');
  }
  if (createAsUser !== null && !createAsUser.trim()) throw inputError('createAsUser must not be empty', 'The author name is empty.');
  return { createAsUser, displayIconUrl };
}
