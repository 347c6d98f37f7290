/**
 * One build at a time per checkout: jest workers, the bench and a user's `npm start` may all ask
 * for a build at once. `mkdir` either creates the folder or fails, atomically, so it is the lock;
 * a lock older than `staleMs` is from a build that died and is taken over.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export async function withLock(lockDir, fn, { staleMs = 120_000, pollMs = 100 } = {}) {
  mkdirSync(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error;
      if (ageMs(lockDir) > staleMs) rmSync(lockDir, { recursive: true, force: true });
      else await sleep(pollMs);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function ageMs(path) {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
