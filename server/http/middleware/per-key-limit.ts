/**
 * A fixed-window count per key (e.g. per referer host), kept in memory for the keys seen
 * recently. Bounded: the least recently used keys are forgotten first, so a flood of new keys
 * costs memory for at most `maxKeys` of them.
 */
import { LRUCache } from 'lru-cache';

export interface PerKeyLimit {
  /** False when `key` has used up its allowance in the current window. */
  take(key: string): boolean;
}

export function createPerKeyLimit(options: { max: number; windowMs: number; maxKeys?: number }): PerKeyLimit {
  const windows = new LRUCache<string, { count: number }>({ max: options.maxKeys ?? 10_000, ttl: options.windowMs, noUpdateTTL: true });
  return {
    take(key) {
      const window = windows.get(key);
      if (!window) {
        windows.set(key, { count: 1 });
        return true;
      }
      window.count++;
      return window.count <= options.max;
    },
  };
}
