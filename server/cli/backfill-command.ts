/**
 * `backfill --since DATE [--until DATE] [--dry-run] [--detach]`, `backfill status`, `backfill cancel`:
 * `backfill resume`: counts, starts and follows a backfill. A followed run is worked by the CLI's
 * own workers (a server on the same PostgreSQL helps; on PGlite it cannot run beside the CLI),
 * with its progress as a bar on a terminal, a line per change otherwise. Killed, the run resumes
 * at the next server start or `backfill resume`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BackfillRequestSchema } from '../../shared/backfill-api';
import type { BackfillRun } from '../domain/backfill';
import { AppError } from '../errors';
import { backfillRange, backfillRunView } from '../flows/backfill/backfill-range';
import { backfillControlOf } from '../jobs/backfill-control-of';
import { enqueueBackfill } from '../jobs/kommo-backfill';
import type { CliContext } from './cli-context';

const FOLLOW_INTERVAL_MS = 1000;
const BAR_WIDTH = 30;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

const write = (ctx: CliContext, text: string) => (ctx.write ?? ((t: string) => process.stdout.write(t)))(text);

export function progressLine(run: BackfillRun): string {
  const total = run.listed ? String(run.total) : `${run.total}+`;
  const tail = run.status === 'running' ? (run.listed ? '' : ' (still finding deals)') : `: ${run.status}${run.errorMessage ? ` (${run.errorMessage})` : ''}`;
  return `backfill ${run.id}: ${run.done} of ${total} done, ${run.errors} error(s)${tail}`;
}

export function progressBar(run: BackfillRun): string {
  const share = run.total === 0 ? (run.listed ? 1 : 0) : (run.done + run.errors) / run.total;
  const filled = Math.round(Math.min(1, share) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${progressLine(run)}`;
}

async function follow(ctx: CliContext, read: () => Promise<BackfillRun | undefined>): Promise<BackfillRun | undefined> {
  let last = '';
  for (;;) {
    const run = await read();
    if (!run) return undefined;
    const line = ctx.tty ? progressBar(run) : progressLine(run);
    if (line !== last) write(ctx, ctx.tty ? `\r\x1b[2K${line}` : `${line}\n`);
    last = line;
    if (run.status !== 'running') {
      if (ctx.tty) write(ctx, '\n');
      return run;
    }
    await sleep(FOLLOW_INTERVAL_MS);
  }
}

/** A started or resumed backfill that the CLI follows is worked by the CLI's own queue workers. */
export function backfillWorks(args: string[]): boolean {
  const [sub] = args;
  return sub !== 'status' && sub !== 'cancel' && !args.includes('--dry-run') && !args.includes('--detach');
}

export async function backfillCommand(ctx: CliContext, args: string[]): Promise<string[]> {
  const control = backfillControlOf(ctx.db, ctx.queue, ctx.installation, ctx.tenant);
  const [sub] = args;
  if (sub === 'status') {
    const run = await control.current();
    return run ? [progressLine(run), JSON.stringify(backfillRunView(run))] : ['no backfill yet'];
  }
  if (sub === 'cancel') {
    const run = await control.cancel();
    return run ? [progressLine(run)] : [];
  }
  if (sub === 'resume') {
    const run = await control.current();
    if (!run || run.status !== 'running') return ['no backfill is running'];
    await enqueueBackfill(ctx.queue, run.id);
    const ended = await follow(ctx, () => control.current());
    return ended && ended.status !== 'done' ? [`backfill ended ${ended.status}`] : [];
  }
  const since = option(args, '--since');
  if (!since) throw new AppError('bad_request', 'Give the range: backfill --since 2026-01-01 [--until 2026-03-31] [--dry-run]', { field: 'since' });
  const until = option(args, '--until');
  const request = BackfillRequestSchema.safeParse({ since, ...(until ? { until } : {}) });
  if (!request.success) throw new AppError('bad_request', '--since and --until take dates like 2026-01-01', { field: 'since' });
  const range = backfillRange(request.data);
  if (args.includes('--dry-run')) {
    const { count, first } = await control.dryRun(range);
    return [`${count} deal issue(s) would be created`, ...first.map((c) => `  deal ${c.leadId} ${c.linkKey.padEnd(16)} ${c.name}`), ...(count > first.length ? [`  … and ${count - first.length} more`] : [])];
  }
  const started = await control.start(range);
  if (args.includes('--detach')) return [`backfill ${started.id} started; follow it with: npm run cli -- backfill status`];
  write(ctx, `backfill ${started.id} started\n`);
  const run = await follow(ctx, () => control.current());
  return run && run.status !== 'done' ? [`backfill ended ${run.status}`] : [];
}
