import type { DbOrTrx } from './create-db';

/** A repository with its `db | trx` argument applied, for flows that must not see SQL. */
export type Bound<R> = {
  [K in keyof R]: R[K] extends (db: DbOrTrx, ...args: infer A) => infer Ret ? (...args: A) => Ret : never;
};

export function bindDb<R extends object>(repo: R, db: DbOrTrx): Bound<R> {
  const bound: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(repo)) {
    if (typeof fn === 'function') bound[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).call(repo, db, ...args);
  }
  return bound as Bound<R>;
}
