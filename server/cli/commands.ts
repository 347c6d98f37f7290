/**
 * Support commands (`npm run cli -- <command>`): what Linear offers, whether the Kommo token
 * works, an installation's health, and replaying what failed. Each returns lines to print.
 */
import { installationHealth } from '../db/repos/health';
import { linksRepo } from '../db/repos/links';
import { rejectedWonLeadsRepo, type RejectedWonLead } from '../db/repos/rejected-won-leads';
import { enqueueWon } from '../jobs/kommo-deal-won';
import type { CliContext } from './cli-context';
import { backfillCommand, backfillWorks } from './backfill-command';

export type { CliContext } from './cli-context';

type Command = (ctx: CliContext, args: string[]) => Promise<string[]>;

const rejectionLine = (r: RejectedWonLead) =>
  `rejected: deal ${r.leadId}: ${r.reason} × ${r.count} (first ${r.firstSeenAt.toISOString()}, last ${r.lastSeenAt.toISOString()}): ${r.message}`;

export const COMMANDS: Record<string, { help: string; run: Command; works?: (args: string[]) => boolean }> = {
  'linear:teams': {
    help: 'Linear teams (key, name, id)',
    run: async ({ tenant }) => (await tenant.linear.teams()).map((t) => `${t.key.padEnd(8)} ${t.name.padEnd(30)} ${t.id}`),
  },
  'linear:states': {
    help: 'workflow states of a team: linear:states ENG',
    run: async ({ tenant }, [team]) => {
      const found = (await tenant.linear.teams()).find((t) => t.key.toLowerCase() === (team ?? '').toLowerCase() || t.id === team);
      if (!found) return [`No team ${team ?? '(give a team key)'}`];
      return (await tenant.linear.workflowStates(found.id)).sort((a, b) => a.position - b.position).map((s) => `${s.type.padEnd(10)} ${s.name.padEnd(24)} ${s.id}`);
    },
  },
  'linear:projects': { help: 'Linear projects', run: async ({ tenant }) => (await tenant.linear.projects()).map((p) => `${p.name.padEnd(40)} ${p.id}`) },
  'linear:users': {
    help: 'Linear users with their emails',
    run: async ({ tenant }) => (await tenant.linear.users()).map((u) => `${u.name.padEnd(30)} ${(u.email ?? '').padEnd(36)} ${u.active === false ? 'inactive' : ''}`),
  },
  'kommo:check': {
    help: 'checks the Kommo token: account, users, lead fields',
    run: async ({ tenant }) => {
      const account = await tenant.kommo.getAccount();
      const [users, fields] = await Promise.all([tenant.kommo.listUsers(), tenant.kommo.listLeadFields()]);
      return [
        `Kommo account ${account.name ?? ''} (${account.subdomain}, id ${account.id}), currency ${account.currency ?? '?'}`,
        `${users.length} users, ${users.filter((u) => !u.email).length} without email`,
        `lead fields: ${fields.map((f) => f.name).join(', ')}`,
      ];
    },
  },
  health: {
    help: 'links by status, recent failures, queue depth, last Linear delivery',
    run: async ({ db, installation, queue }) => {
      const { byStatus, failures, lastWonAt, lastDeliveryAt } = await installationHealth(db, installation.id);
      const [jobs, rejected] = await Promise.all([queue.counts(), rejectedWonLeadsRepo.listRecent(db, installation.id, 3)]);
      return [
        `installation ${installation.id} (${installation.mode}, ${installation.status}), Kommo webhook: ${installation.kommoWebhookStatus ?? 'unknown'}`,
        `Kommo access: ${installation.kommoAccess ? `${installation.kommoAccess.problem} since ${installation.kommoAccess.since.toISOString()} (checked ${installation.kommoAccess.checkedAt.toISOString()}): ${installation.kommoAccess.message}` : 'ok'}`,
        `links: ${byStatus.map((r) => `${r.status} ${r.count}`).join(', ') || 'none'}`,
        `last won deal: ${lastWonAt?.toISOString() ?? 'never'}; last Linear delivery: ${lastDeliveryAt?.toISOString() ?? 'never'}`,
        `jobs: ${jobs.map((j) => `${j.name}/${j.state} ${j.count}`).join(', ') || 'none'}`,
        ...failures.map((f) => `failed: deal ${f.leadId}: ${f.code}: ${f.message}`),
        ...rejected.map(rejectionLine),
      ];
    },
  },
  rejected: {
    help: 'recent won events for deals Kommo does not know (not retried): rejected [count]',
    run: async ({ db, installation }, [count]) => {
      const limit = Math.min(Math.max(Number.parseInt(count ?? '', 10) || 20, 1), 500);
      const rows = await rejectedWonLeadsRepo.listRecent(db, installation.id, limit);
      return rows.length === 0 ? ['no rejected won events'] : rows.map(rejectionLine);
    },
  },
  'replay-failed': {
    help: 'retries every failed deal of the installation',
    run: async ({ db, installation, queue }) => {
      const failed = await linksRepo.listFailed(db, installation.id);
      for (const link of failed) {
        await linksRepo.resetForRetry(db, link.id);
        await enqueueWon(queue, { installationId: installation.id, leadId: link.leadId, origin: 'widget', linkKey: link.linkKey, requestedAt: new Date() });
      }
      return [`queued ${failed.length} failed deal(s) again`];
    },
  },
  backfill: {
    help: 'issues for deals already at a trigger stage: backfill --since 2026-01-01 [--until DATE] [--dry-run] [--detach] | resume | status | cancel',
    run: backfillCommand,
    works: backfillWorks,
  },
};
