/** What a marketplace install needs: the saved grant, Kommo's token endpoint and account, and the store. */
import type { Installation } from '../../domain/installation';
import type { Logger } from '../../log';
import type { KommoAccount } from '../ports';

/** A token pair from Kommo's OAuth token endpoint. */
export interface KommoTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
}

/** A Kommo install callback, saved before anything else. */
export interface SavedGrant {
  id: string;
  /** The account's host, from the callback's `referer`. */
  referer: string;
  code: string;
  status: 'pending' | 'done' | 'failed';
  /** The exchanged pair, kept because the code works once. */
  tokens: KommoTokens | undefined;
  /** When the callback arrived: a revoke after it means this grant cannot enable the account. */
  receivedAt: Date;
}

export interface InstallDeps {
  findGrant(id: string): Promise<SavedGrant | undefined>;
  /** The API address of the account at `host` (https, except loopback hosts in tests). */
  accountBaseUrl(host: string): string;
  exchange(baseUrl: string, code: string): Promise<KommoTokens>;
  saveGrantTokens(id: string, tokens: KommoTokens): Promise<void>;
  readAccount(baseUrl: string, accessToken: string): Promise<KommoAccount>;
  /** Creates or reactivates the account's installation with its links, settings and history. */
  upsert(input: { accountId: number; subdomain: string; baseUrl: string; tokens: KommoTokens; grantedAt: Date }): Promise<Installation>;
  finishGrant(id: string, result: { installationId: string } | { error: string }): Promise<void>;
  afterInstall(installation: Installation): Promise<void>;
  log: Logger;
}
