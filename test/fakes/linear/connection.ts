import type { ConnectionArgs } from './inputs';

export interface Connection<T> {
  nodes: T[];
  edges: { node: T; cursor: string }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const DEFAULT_PAGE_SIZE = 50;

/** Relay pagination over an already filtered list; the cursor is the node's id, like Linear's. */
export function toConnection<T extends { id: string; createdAt: string; updatedAt: string }>(
  items: readonly T[],
  args: ConnectionArgs = {},
): Connection<T> {
  const key = args.orderBy === 'updatedAt' ? 'updatedAt' : 'createdAt';
  let list = [...items].sort((a, b) => a[key].localeCompare(b[key]));
  let start = 0;
  let end = list.length;
  if (args.after) {
    const at = list.findIndex((item) => item.id === args.after);
    start = at === -1 ? list.length : at + 1;
  }
  if (args.before) {
    const at = list.findIndex((item) => item.id === args.before);
    if (at !== -1) end = at;
  }
  list = list.slice(start, end);
  const total = list.length;
  let hasNextPage = end < items.length;
  let hasPreviousPage = start > 0;
  if (args.first != null || args.last == null) {
    const first = args.first ?? DEFAULT_PAGE_SIZE;
    hasNextPage = hasNextPage || total > first;
    list = list.slice(0, first);
  }
  if (args.last != null) {
    hasPreviousPage = hasPreviousPage || list.length > args.last;
    list = list.slice(Math.max(0, list.length - args.last));
  }
  return {
    nodes: list,
    edges: list.map((node) => ({ node, cursor: node.id })),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: list[0]?.id ?? null,
      endCursor: list[list.length - 1]?.id ?? null,
    },
  };
}
