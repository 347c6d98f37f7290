/**
 * Fills a bench database with deals 1..count whose Won issue is done (linked, every write-back
 * stamped), as if the server had processed them. The server must be stopped first on PGlite.
 */
import { randomUUID } from 'node:crypto';
import { sleep, startServerProcess, stopServerProcess, until, type BenchDb } from './lib';
import type { ChildServer } from '../test/helpers/child-server';

export async function seedLinkedDeals(db: BenchDb, count: number): Promise<void> {
  const database = await db.open();
  try {
    const installation = (await database.db('installations').first('id')) as { id: string };
    const state = JSON.stringify({ id: 'state-1', name: 'In Progress', type: 'started', color: '#f2c94c' });
    const now = new Date();
    for (let start = 1; start <= count; start += 1000) {
      const rows = [];
      for (let lead = start; lead < Math.min(start + 1000, count + 1); lead++) {
        rows.push({
          id: randomUUID(),
          installation_id: installation.id,
          lead_id: lead,
          link_key: 'won',
          origin: 'won',
          status: 'linked',
          linear_issue_id: randomUUID(),
          issue_identifier: `ENG-${lead}`,
          issue_title: `Deal ${lead}`,
          issue_url: `https://linear.app/fake-org/issue/ENG-${lead}`,
          issue_state: state,
          issue_priority: 2,
          synced_at: now,
          issue_created_at: now,
          attachment_done_at: now,
          field_done_at: now,
          note_started_at: now,
          note_done_at: now,
          completed_at: now,
        });
      }
      await database.db('deal_links').insert(rows);
    }
  } finally {
    await database.close();
  }
}

/**
 * Starts the server once so it sets up its installation (`ready` tells when), stops it, seeds
 * `count` done deals and starts it again on the same database.
 */
export async function startWithLinkedDeals(env: Record<string, string>, db: BenchDb, count: number, ready: () => boolean): Promise<ChildServer> {
  const first = await startServerProcess(env);
  try {
    await until('start-up calls', () => ready(), 10_000, 20);
    await sleep(500);
  } finally {
    await stopServerProcess(first);
  }
  await seedLinkedDeals(db, count);
  const child = await startServerProcess(env);
  await sleep(500);
  return child;
}
