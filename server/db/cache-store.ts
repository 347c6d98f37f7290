/**
 * Read-through cache for slow-changing upstream data (Kommo users and fields, Linear users and
 * states). A process-local layer answers warm reads without I/O; the database layer shares
 * entries across processes and restarts. Concurrent loads of one key are collapsed into one.
 */
import { z } from 'zod';
import type { Db } from './create-db';
import { jsonb, parseRow, timestamp } from './rows';

const EntryRowSchema = z.object({ value: jsonb(z.unknown()), expires_at: timestamp });

interface Entry {
  value: unknown;
  expiresAt: number;
}

export interface CacheStore {
  getOrLoad<T>(installationId: string, key: string, ttlMs: number, load: () => Promise<T>): Promise<T>;
  /**
   * Keeps an entry warm: reloads it when it would expire within `withinMs`, unless another
   * process has just done so (then its stored value is taken). Readers never wait for it.
   */
  renew<T>(installationId: string, key: string, ttlMs: number, withinMs: number, load: () => Promise<T>): Promise<void>;
  invalidate(installationId: string, key: string): Promise<void>;
  /** Drops every entry whose key starts with `prefix` (e.g. all Linear data after a new key). */
  invalidatePrefix(installationId: string, prefix: string): Promise<void>;
}

export function createCacheStore(db: Db, now: () => number = Date.now): CacheStore {
  const memory = new Map<string, Entry>();
  const inflight = new Map<string, Promise<unknown>>();

  /** The stored value unless it expires within `freshForMs`; else a fresh load, stored. */
  async function loadThrough<T>(installationId: string, key: string, ttlMs: number, load: () => Promise<T>, freshForMs = 0): Promise<T> {
    const found: unknown = await db('cache_entries').where({ installation_id: installationId, key }).first();
    const row = found ? parseRow(EntryRowSchema, found, 'cache_entries') : undefined;
    if (row && row.expires_at.getTime() > now() + freshForMs) {
      memory.set(`${installationId}:${key}`, { value: row.value, expiresAt: row.expires_at.getTime() });
      // What we stored under this key came from the same loader: its type is T.
      return row.value as T;
    }
    const value = await load();
    const expiresAt = now() + ttlMs;
    memory.set(`${installationId}:${key}`, { value, expiresAt });
    await db('cache_entries')
      .insert({ installation_id: installationId, key, value: JSON.stringify(value), expires_at: new Date(expiresAt) })
      .onConflict(['installation_id', 'key'])
      .merge();
    return value;
  }

  return {
    async getOrLoad<T>(installationId: string, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
      const id = `${installationId}:${key}`;
      const hit = memory.get(id);
      if (hit && hit.expiresAt > now()) return hit.value as T;
      const running = inflight.get(id);
      if (running) return running as Promise<T>;
      const promise = loadThrough(installationId, key, ttlMs, load).finally(() => inflight.delete(id));
      inflight.set(id, promise);
      return promise;
    },
    async renew<T>(installationId: string, key: string, ttlMs: number, withinMs: number, load: () => Promise<T>): Promise<void> {
      const id = `${installationId}:${key}`;
      const hit = memory.get(id);
      if (hit && hit.expiresAt > now() + withinMs) return;
      const running = inflight.get(id);
      if (running) {
        await running;
        return;
      }
      // The old value stays in memory (still valid) while the new one loads.
      const promise = loadThrough(installationId, key, ttlMs, load, withinMs).finally(() => inflight.delete(id));
      inflight.set(id, promise);
      await promise;
    },
    async invalidatePrefix(installationId, prefix) {
      for (const key of memory.keys()) if (key.startsWith(`${installationId}:${prefix}`)) memory.delete(key);
      await db('cache_entries').where({ installation_id: installationId }).andWhereLike('key', `${prefix}%`).delete();
    },
    async invalidate(installationId, key) {
      memory.delete(`${installationId}:${key}`);
      await db('cache_entries').where({ installation_id: installationId, key }).delete();
    },
  };
}
