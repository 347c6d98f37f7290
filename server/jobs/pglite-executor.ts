/**
 * pg-boss on embedded PGlite: pg-boss runs its SQL through knex's single pooled connection, so a
 * pg-boss statement waits its turn and can never land inside an open knex transaction.
 * Statements without parameters may hold several commands (pg-boss migrations) and go through
 * `exec`; the rest through `query`.
 */
import type { Knex } from 'knex';

interface PgliteConnection {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  exec(text: string): Promise<Array<{ rows: unknown[] }>>;
}

interface KnexPoolClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

function isPgliteConnection(value: unknown): value is PgliteConnection {
  return typeof value === 'object' && value !== null && 'exec' in value && 'query' in value;
}

export function pgliteExecutor(db: Knex): { executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }> } {
  const client = db.client as KnexPoolClient;
  return {
    async executeSql(text, values) {
      const connection = await client.acquireConnection();
      try {
        if (!isPgliteConnection(connection)) throw new Error('the knex connection is not a PGlite instance');
        if (values && values.length > 0) return await connection.query(text, values);
        const results = await connection.exec(text);
        return { rows: results[results.length - 1]?.rows ?? [] };
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
}
