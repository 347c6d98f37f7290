/**
 * Support commands (`npm run cli -- <command>`): what Linear offers, whether the Kommo token
 * works, an installation's health, and replaying what failed. Each returns lines to print.
 */
import type { Db } from '../db/create-db';
import type { Installation } from '../db/repos/installations';
import { linksRepo } from '../db/repos/links';
import { KOMMO_DEAL_WON, wonJobKey } from '../jobs/kommo-deal-won';
import type { Queue } from '../jobs/queue';
import type { Tenant } from '../tenants';

export interface CliContext {
  db: Db;
  queue: Queue;
  installation: Installation;
  tenant: Tenant;
}

type Command = (ctx: CliContext, args: string[]) => Promise<string[]>;

export const COMMANDS: Record<string, { help: string; run: Command }> = {
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
      const byStatus = (await db('deal_links').where({ installation_id: installation.id }).select('status').count('* as n').groupBy('status')) as Array<{ status: string; n: string | number }>;
      const failures = (await db('deal_links').where({ installation_id: installation.id, status: 'failed' }).orderBy('updated_at', 'desc').limit(5)) as Array<{ lead_id: string; error_code: string; error_message: string }>;
      const lastDelivery = (await db('linear_deliveries').where({ installation_id: installation.id }).max('received_at as at').first()) as { at: string | Date | null } | undefined;
      const lastWon = (await db('deal_links').where({ installation_id: installation.id }).max('requested_at as at').first()) as { at: string | Date | null } | undefined;
      const jobs = await queue.counts();
      return [
        `installation ${installation.id} (${installation.mode}, ${installation.status}), Kommo webhook: ${installation.kommoWebhookStatus ?? 'unknown'}`,
        `links: ${byStatus.map((r) => `${r.status} ${r.n}`).join(', ') || 'none'}`,
        `last won deal: ${lastWon?.at ? new Date(lastWon.at).toISOString() : 'never'}; last Linear delivery: ${lastDelivery?.at ? new Date(lastDelivery.at).toISOString() : 'never'}`,
        `jobs: ${jobs.map((j) => `${j.name}/${j.state} ${j.count}`).join(', ') || 'none'}`,
        ...failures.map((f) => `failed: deal ${f.lead_id}: ${f.error_code}: ${f.error_message}`),
      ];
    },
  },
  'replay-failed': {
    help: 'retries every failed deal of the installation',
    run: async ({ db, installation, queue }) => {
      const failed = (await db('deal_links').where({ installation_id: installation.id, status: 'failed' })) as Array<{ id: string; lead_id: string; link_key: string }>;
      for (const link of failed) {
        await linksRepo.resetForRetry(db, link.id);
        const leadId = Number(link.lead_id);
        const job = { installationId: installation.id, leadId, origin: 'widget', linkKey: link.link_key, requestedAt: new Date().toISOString() };
        await queue.send(KOMMO_DEAL_WON, job, { key: wonJobKey(installation.id, leadId, link.link_key) });
      }
      return [`queued ${failed.length} failed deal(s) again`];
    },
  },
};
