/**
 * `npm run bench [-- --db=pglite|postgres|both] [-- --quick]`: runs every benchmark against the
 * loopback fakes, prints a table and writes bench-results/latest.json. Targets: the Target column
 * of the README's benchmark table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setMaxListeners } from 'node:events';
import { postgresReachable, ROOT, type DbKind, type LoadResult } from './lib';
import { backlog, type BacklogResult } from './scenarios/backlog';
import { cardOpen, type CardOpenResult } from './scenarios/card-open';
import { healthFlood, type HealthFloodResult } from './scenarios/health-flood';
import { intake, type IntakeResult } from './scenarios/intake';
import { startTimes, type StartResult } from './scenarios/start';
import { linearSync, type LinearSyncResult } from './scenarios/linear-sync';
import { oneBucket, refusals, type BucketResult, type RefusalsResult } from './scenarios/rate-limit';
import { widgetSize } from './scenarios/widget-size';
import { wonLatency, type WonLatencyResult } from './scenarios/won-latency';

// The fakes' delayed replies each listen on the fake's lifetime signal.
setMaxListeners(0);

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dbArg = args.find((a) => a.startsWith('--db='))?.slice('--db='.length) ?? 'both';
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
if (!['pglite', 'postgres', 'both'].includes(dbArg)) {
  console.error('--db must be pglite, postgres or both');
  process.exit(2);
}
const wanted = (name: string) => !only || only.includes(name);

const counts = quick
  ? { won: 20, backlogDeals: 200, backlogInstallations: 4, intakeSeconds: 3, cardRequests: 1000, rateLimitDeals: 20, syncSamples: 5 }
  : { won: 200, backlogDeals: 2000, backlogInstallations: 20, intakeSeconds: 5, cardRequests: 5000, rateLimitDeals: 60, syncSamples: 20 };

interface PerDb {
  db: DbKind;
  won?: WonLatencyResult;
  intake?: IntakeResult;
  cardOpen?: CardOpenResult;
  backlog?: BacklogResult;
  start?: StartResult;
  health?: HealthFloodResult;
  bucket?: BucketResult;
  refusals?: RefusalsResult;
  sync?: LinearSyncResult;
}

async function main(): Promise<void> {
  const kinds: DbKind[] = dbArg === 'both' ? ['postgres', 'pglite'] : [dbArg as DbKind];
  const skipped: string[] = [];
  if (kinds.includes('postgres')) {
    const problem = await postgresReachable();
    if (problem) {
      if (dbArg === 'postgres') throw new Error(`PostgreSQL is unreachable: ${problem}`);
      skipped.push(`postgres skipped: ${problem}`);
      kinds.splice(kinds.indexOf('postgres'), 1);
      console.warn(skipped[0]);
    }
  }
  const started = new Date();
  const results: PerDb[] = [];
  for (const db of kinds) {
    const r: PerDb = { db };
    results.push(r);
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
      if (!wanted(name)) return undefined;
      const t0 = Date.now();
      console.log(`[${db}] ${name}…`);
      const value = await fn();
      console.log(`[${db}] ${name} done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      return value;
    };
    r.won = await step('won', () => wonLatency(db, counts.won));
    r.intake = await step('intake', () => intake(db, counts.intakeSeconds));
    r.cardOpen = await step('card', () => cardOpen(db, 10_000, counts.cardRequests));
    r.backlog = await step('backlog', () => backlog(db, counts.backlogDeals, counts.backlogInstallations));
    r.start = await step('start', () => startTimes(db, 30));
    r.health = await step('health', () => healthFlood(db, counts.intakeSeconds));
    r.bucket = await step('bucket', () => oneBucket(db, counts.rateLimitDeals));
    r.refusals = await step('refusals', () => refusals(db, counts.rateLimitDeals));
    r.sync = await step('sync', () => linearSync(db, counts.syncSamples));
  }
  const widget = wanted('widget') ? widgetSize() : undefined;
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
  const output = { startedAt: started.toISOString(), finishedAt: new Date().toISOString(), quick, machine, counts, skipped, results, widget };
  mkdirSync(join(ROOT, 'bench-results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench-results/latest.json'), JSON.stringify(output, null, 2) + '\n');
  printTable(results, widget);
  console.log(`\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}${quick ? ' (quick)' : ''}`);
  console.log('written: bench-results/latest.json');
}

/** Every server row keeps its ack p99 at the fixed rate; won and linked rows also have a throughput target. */
function intakeTarget(kind: string, db: string): string {
  if (kind.startsWith('bare')) return 'baseline';
  const saturation = /^Kommo won|^Linear,? linked/.test(kind) ? `; max ≥ ${db === 'postgres' ? '1,000' : '300'}/s` : '';
  return `p99 ≤ 10 ms @500/s${saturation}`;
}

function printTable(results: PerDb[], widget: ReturnType<typeof widgetSize> | undefined): void {
  const rows: [string, string, string, string][] = [];
  const add = (what: string, db: string, value: string, target: string) => rows.push([what, db, value, target]);
  for (const r of results) {
    if (r.won) {
      const w = r.won;
      add(`Won → done, ${w.deals} deals (fakes)`, r.db, `p50 ${w.fakes.p50} ms (${w.p50Ratio}×), p95 ${w.fakes.p95} ms (${w.p95Ratio}×)`, 'p50 ≤ 1.08×, p95 ≤ 1.15× (400 ms)');
      add('Won → done (link row)', r.db, `p50 ${w.linkRow.p50} ms, p95 ${w.linkRow.p95} ms`, '');
      add(
        'First won deal after a start',
        r.db,
        `${w.first.ms} ms = ${w.first.vsWarmP50}× warm p50 (link row ${w.first.linkRowMs ?? '?'} ms); Kommo ${w.calls.coldKommo}, Linear ${w.calls.coldLinear} calls`,
        '≤ 1.2× warm; ≤ 5 Kommo, ≤ 2 Linear',
      );
      add('Calls per won deal, warm', r.db, `Kommo avg ${w.calls.warmKommoAvg} max ${w.calls.warmKommoMax}, Linear avg ${w.calls.warmLinearAvg} max ${w.calls.warmLinearMax}`, '≤ 4 Kommo, ≤ 2 Linear');
    }
    if (r.intake) {
      for (const row of r.intake.rows) {
        add(
          `Intake: ${row.kind}`,
          r.db,
          `@${r.intake.rate}/s: ${row.fixed.throughput}/s p50 ${row.fixed.p50} p99 ${row.fixed.p99} ms; max ${row.saturation.throughput}/s p99 ${row.saturation.p99} ms${row.fixed.non2xx + row.saturation.non2xx > 0 ? `; non-2xx ${row.fixed.non2xx + row.saturation.non2xx}` : ''}`,
          intakeTarget(row.kind, r.db),
        );
      }
      add('Intake: non-won ÷ bare Koa', r.db, `${r.intake.nonWonVsBare}`, '≥ 0.80');
      add('Server RSS idle / under intake', r.db, `${r.intake.memory.idleMb} / ${r.intake.memory.underLoadMaxMb} MB`, '');
    }
    if (r.cardOpen) {
      const c = r.cardOpen;
      const card = (x: typeof c.sequential) =>
        `server p50 ${x.serverP50 ?? '?'} p99 ${x.serverP99 ?? '?'} ms; round trip p50 ${x.p50} p99 ${x.p99} ms; ${x.throughput}/s`;
      add(`Card open, ${c.links} links, 1 conn`, r.db, card(c.sequential), 'p99 ≤ 5 ms server time');
      add('Card open, 10 conns', r.db, `${card(c.concurrent)}; Linear calls ${c.linearCalls}`, '0 Linear calls');
    }
    if (r.backlog) {
      const b = r.backlog;
      add(
        `Backlog ${b.deals} deals / ${b.installations} installations`,
        r.db,
        `drained in ${b.drainSeconds} s (${b.dealsPerSecond} deals/s = ${b.ofBound} × the bound ${b.installations} × 7 ÷ ${b.kommoCallsPerDeal} Kommo calls per deal = ${b.boundDealsPerSecond}/s); max Kommo req/s per account ${Math.max(...b.maxKommoRpsPerAccount)}; 429s ${b.kommo429}`,
        '≥ 0.70 × the bound; ≤ 7 req/s per account, no 429',
      );
    }
    if (r.health) {
      const h = r.health;
      const p99 = (x: LoadResult) => `${x.p99} ms${x.timeouts + x.errors > 0 ? ` (${x.timeouts + x.errors} unanswered)` : ''}`;
      add('/healthz p99 idle → random-secret flood, main port', r.db, `${p99(h.idle.main)} → ${p99(h.flood.main)}`, 'answered');
      add('/healthz p99 idle → random-secret flood, HEALTH_PORT', r.db, `${p99(h.idle.healthPort)} → ${p99(h.flood.healthPort)}`, 'answered');
      add(`Random-secret flood, ${h.flood.webhooks.requests} requests`, r.db, `${h.flood.webhooks.throughput}/s, p99 ${h.flood.webhooks.p99} ms, 4xx ${h.flood.webhooks.status['4xx']}, 5xx ${h.flood.webhooks.status['5xx']}`, '');
    }
  }
  for (const r of results) {
    if (!r.start) continue;
    const s = r.start;
    const median = [...s.restartMs].sort((a, b) => a - b)[Math.floor(s.restartMs.length / 2)] ?? NaN;
    add('Start → /readyz 200, empty database (`npm start`)', r.db, `${s.firstStartMs} ms; CPU ${s.firstStartCpuMs} ms`, '≤ 4 s');
    add(`Restart → /readyz 200 (median of ${s.restartMs.length})`, r.db, `${median} ms (${s.restartMs.join(', ')}); CPU ${s.restartCpuMs.join(', ')} ms`, '≤ 2 s');
    add(`Server RSS after ${s.idleSeconds} s idle`, r.db, `${s.idleRssMb} MB`, r.db === 'postgres' ? '≤ 150 MB' : '≤ 400 MB');
    add('Build before the first start / up-to-date check', r.db, `${s.buildMs} / ${s.noBuildMs} ms`, '');
  }
  for (const r of results) {
    if (r.bucket) {
      const b = r.bucket;
      add(
        `One bucket: ${b.instances} instance${b.instances > 1 ? 's' : ''}, no KOMMO_ACCOUNT_ID, ${b.deals} deals`,
        r.db,
        `${b.violations} violations (max ${b.maxPerSecond} req/s); drained in ${b.drainSeconds} s (bound ${b.boundSeconds} s)`,
        '0 violations, ≤ 7 req/s',
      );
    }
    if (r.refusals) {
      const f = r.refusals;
      add(
        `Backlog ${f.deals} deals with 3 % 429s`,
        r.db,
        `${f.withSeconds} s vs ${f.withoutSeconds} s without = ${f.ratio}×; ${f.injected429} 429s injected, ${f.violations} more`,
        '≤ 1.2×',
      );
    }
  }
  for (const r of results) {
    if (r.sync) {
      const y = r.sync;
      add(
        `Linear → Kommo, ${y.samples} changes (delivery → card and note)`,
        r.db,
        `settled p50 ${y.settled.p50} p95 ${y.settled.p95} ms; right after creation p50 ${y.rightAfterCreation.p50} p95 ${y.rightAfterCreation.p95} ms`,
        `critical path 1 Kommo call (${y.criticalPathMs} ms) + delivery`,
      );
    }
  }
  if (widget) add('Widget script.js gzipped', '—', `${(widget.gzipBytes / 1024).toFixed(1)} KB (${widget.gzipBytes} B)`, '≤ 25 KB');
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0), 6));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log('\n' + line(['What', 'DB', 'Measured', 'Target']));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
