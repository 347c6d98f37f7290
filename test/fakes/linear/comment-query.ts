/**
 * `Query.comments(filter: CommentFilter)`: the comments of some issues created after a time, as
 * the reconciliation asks for missed comments. Only the filter keys the product uses are read
 * (`issue.id`, `createdAt`); like the other fake filters, any other key is ignored.
 */
import { z } from 'zod';
import { toConnection } from './connection';
import type { FakeContext } from './context';
import { matchesDate, matchesId } from './filters';
import { connectionArgs, dateComparator, idComparator } from './inputs';

const commentsArgs = connectionArgs.extend({
  filter: z
    .object({ issue: z.object({ id: idComparator.nullish() }).partial().nullish(), createdAt: dateComparator.nullish() })
    .partial()
    .nullish(),
});

export const commentQueries = {
  comments: (_: unknown, args: Record<string, unknown>, { store }: FakeContext) => {
    const a = commentsArgs.parse(args);
    const found = [...store.commentsById.values()]
      .filter((c) => matchesId(a.filter?.issue?.id, c.issueId) && matchesDate(a.filter?.createdAt, c.createdAt))
      .sort((x, y) => x.createdAt.localeCompare(y.createdAt));
    return toConnection(found, a);
  },
};
