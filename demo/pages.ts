/**
 * The demo's own pages, served by the Kommo-like host next to the deal card:
 *   /          the Sales pipeline as a board (a "Won" button moves a deal and sends Kommo's webhook)
 *   /linear    a simulated Linear: issues with their Markdown description, state and assignee
 *              pickers (a change sends Linear's signed webhook), priority, due date, back-links
 *   /activity  the last webhooks and jobs, newest first (also a panel on the other pages)
 * plus the small JSON endpoints their buttons call (/_demo/…).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { FakeKommo } from '../test/fakes/kommo';
import { WON_STATUS_ID } from '../test/fakes/kommo';
import type { FakeLinear } from '../test/fakes/linear';
import { escapeHtml, leftMenu } from '../test/kommo-host';
import { customersView } from './customers-view';
import { renderMarkdown } from './markdown';

export interface DemoContext {
  kommo: FakeKommo;
  linear: FakeLinear;
  db: Knex;
  /** Where Kommo would POST its form webhooks: the server's /webhooks/kommo/<secret>. */
  kommoWebhookUrl(): string;
  /** The Linear user that state/assignee changes are made as. */
  linearActorId: string;
}

export interface ActivityEntry {
  at: string;
  kind: 'kommo-webhook' | 'linear-webhook' | 'job';
  title: string;
  detail: string;
  status: string;
}

export const NAV = { leads: '/', linear: '/linear', activity: '/activity' };

/** In the demo, links to linear.app open the simulated Linear instead (nothing leaves the machine). */
export const LINK_REWRITE_SCRIPT = `<script>
document.addEventListener('click', function (event) {
  var a = event.target && event.target.closest ? event.target.closest('a[href^="https://linear.app/"]') : null;
  if (!a) return;
  var m = /\\/issue\\/([A-Za-z0-9]+-\\d+)/.exec(a.getAttribute('href'));
  event.preventDefault();
  window.location.href = '/linear' + (m ? '#' + m[1] : '');
}, true);
</script>`;

const PRIORITY = ['No priority', 'Urgent', 'High', 'Medium', 'Low'];
const PRIORITY_ICON = ['—', '!!!', '▮▮▮', '▮▮▯', '▮▯▯'];

const kommoWebhooks: ActivityEntry[] = [];

const money = (amount: number, currency: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
const day = (date: Date | string) =>
  new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(typeof date === 'string' ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date);

/**
 * `shown` is the version of what the page shows, rendered with it: the page's script compares the
 * polled version with it, so a change between this render and the first poll still reloads.
 */
function page(title: string, active: 'leads' | 'linear' | 'activity', main: string, shown?: string): string {
  const withActivity = active !== 'activity';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/_host/static/host.css">
<link rel="stylesheet" href="/_demo/static/demo.css">
${LINK_REWRITE_SCRIPT}
</head>
<body class="kh-body">
${leftMenu(NAV, active)}
<div class="dm-page">
  <header class="dm-top"><h1>${escapeHtml(title)}</h1><span class="dm-top__note">Demo · everything runs on 127.0.0.1 (fake Kommo, fake Linear, real server and widget)</span></header>
  <div class="dm-main${withActivity ? ' dm-main--with-activity' : ''}">
    <div class="dm-content"${shown ? ` data-reload-on-change="${shown}"` : ''}>${main}</div>
    ${withActivity ? '<aside class="dm-activity" aria-label="Activity"><h2>Webhooks and jobs</h2><ol class="dm-activity__list" data-testid="activity"></ol></aside>' : ''}
  </div>
</div>
<script src="/_demo/static/demo.js"></script>
</body></html>`;
}

function board(ctx: DemoContext): string {
  const { kommo } = ctx;
  const pipeline = kommo.store.pipelines.get(kommo.defaults.pipelineId);
  const shown = version(ctx);
  if (!pipeline) return page('Leads', 'leads', '<p>No pipeline.</p>', shown);
  const leads = [...kommo.store.leads.values()].filter((l) => l.pipelineId === pipeline.id && !l.isDeleted);
  const currency = kommo.account.currency;
  const issueField = kommo.store.findField('Linear issue');
  const columns = pipeline.statuses.map((status) => {
    const inColumn = leads.filter((l) => l.statusId === status.id);
    const total = inColumn.reduce((sum, l) => sum + l.price, 0);
    const cards = inColumn
      .map((lead) => {
        const contact = lead.mainContactId ? kommo.store.contacts.get(lead.mainContactId) : undefined;
        const manager = kommo.store.users.get(lead.responsibleUserId);
        const deadline = kommo.fieldValue(lead.id, kommo.defaults.deadlineFieldId);
        const issue = issueField ? lead.customFields.get(issueField.id)?.[0]?.value : undefined;
        const open = status.id !== WON_STATUS_ID && status.id !== 143;
        const next = pipeline.statuses[pipeline.statuses.indexOf(status) + 1];
        return `<article class="dm-deal" data-testid="deal-${lead.id}" data-lead-id="${lead.id}">
  <a class="dm-deal__name" href="/leads/detail/${lead.id}">${escapeHtml(lead.name)}</a>
  <div class="dm-deal__price">${money(lead.price, currency)}</div>
  <div class="dm-deal__line">${escapeHtml(contact?.name ?? '')}</div>
  <div class="dm-deal__line dm-muted">${escapeHtml(manager?.name ?? '')}${typeof deadline === 'number' ? ` · due ${day(new Date(deadline * 1000))}` : ''}</div>
  ${lead.tags.length ? `<div>${lead.tags.map((t) => `<span class="kh-tag">${escapeHtml(t.name)}</span>`).join('')}</div>` : ''}
  ${issue ? `<div class="dm-deal__issue" data-testid="deal-issue-${lead.id}">◆ ${escapeHtml(String(issue))}</div>` : ''}
  ${kommo.store.tasks
    .filter((t) => t.entityType === 'leads' && t.entityId === lead.id && !t.isCompleted)
    .map((t) => `<div class="dm-deal__line" data-testid="deal-task-${lead.id}">☎ ${escapeHtml(t.text)}</div>`)
    .join('')}
  ${
    open
      ? `<div class="dm-deal__actions">${next && next.id !== WON_STATUS_ID ? `<button type="button" class="dm-btn" data-move="${lead.id}" data-status="${next.id}">→ ${escapeHtml(next.name)}</button>` : ''}<button type="button" class="dm-btn dm-btn--won" data-testid="won-${lead.id}" data-move="${lead.id}" data-status="${WON_STATUS_ID}">Won ✓</button></div>`
      : ''
  }
</article>`;
      })
      .join('\n');
    const kind = status.id === WON_STATUS_ID ? ' dm-col--won' : status.id === 143 ? ' dm-col--lost' : '';
    return `<section class="dm-col${kind}" data-testid="stage-${status.id}">
  <header class="dm-col__head"><div class="dm-col__name">${escapeHtml(status.name)}</div><div class="dm-muted">${inColumn.length} deals · ${money(total, currency)}</div></header>
  ${cards}
</section>`;
  });
  return page(`Leads · ${pipeline.name}`, 'leads', `<div class="dm-board">${columns.join('\n')}</div>`, shown);
}

function linearView(ctx: DemoContext): string {
  const shown = version(ctx);
  const { store } = ctx.linear;
  const issues = store.issues().sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const users = store.users().filter((u) => u.id !== store.viewerId && u.active);
  const actor = store.usersById.get(ctx.linearActorId);
  const cards = issues.map((issue) => {
    const team = store.teamsById.get(issue.teamId);
    const states = store.teamStates(issue.teamId);
    const state = store.statesById.get(issue.stateId);
    const assignee = issue.assigneeId ? store.usersById.get(issue.assigneeId) : undefined;
    const creator = issue.creatorId ? store.usersById.get(issue.creatorId) : undefined;
    const links = store.attachments().filter((a) => a.issueId === issue.id);
    const stateOptions = states.map((s) => `<option value="${s.id}"${s.id === issue.stateId ? ' selected' : ''}>${escapeHtml(s.name)}</option>`).join('');
    const userOptions = [`<option value=""${assignee ? '' : ' selected'}>Unassigned</option>`]
      .concat(users.map((u) => `<option value="${u.id}"${u.id === issue.assigneeId ? ' selected' : ''}>${escapeHtml(u.name)}</option>`))
      .join('');
    return `<article class="ln-issue" id="${escapeHtml(issue.identifier)}" data-testid="linear-${escapeHtml(issue.identifier)}" data-issue-id="${issue.id}" data-state-type="${state?.type ?? ''}">
  <header class="ln-issue__head">
    <span class="ln-dot" style="background:${state?.color ?? '#ccc'}"></span>
    <span class="ln-id">${escapeHtml(issue.identifier)}</span>
    <h2 class="ln-title">${escapeHtml(issue.title)}</h2>
  </header>
  <div class="ln-issue__body">
    <div class="ln-desc">${issue.description ? renderMarkdown(issue.description) : '<p class="dm-muted">No description</p>'}</div>
    <dl class="ln-props">
      <dt>Status</dt><dd><select data-field="stateId" data-testid="state-${escapeHtml(issue.identifier)}">${stateOptions}</select></dd>
      <dt>Assignee</dt><dd><select data-field="assigneeId" data-testid="assignee-${escapeHtml(issue.identifier)}">${userOptions}</select></dd>
      <dt>Priority</dt><dd><span class="ln-prio">${PRIORITY_ICON[issue.priority] ?? ''}</span> ${PRIORITY[issue.priority] ?? issue.priority}</dd>
      <dt>Due date</dt><dd>${issue.dueDate ? day(issue.dueDate) : '<span class="dm-muted">—</span>'}</dd>
      <dt>Team</dt><dd>${escapeHtml(team?.name ?? '')}</dd>
      <dt>Created by</dt><dd>${escapeHtml(creator?.name ?? '—')}</dd>
      <dt>Links</dt><dd>${links.length ? links.map((a) => `<a class="ln-link" href="${escapeHtml(a.url)}" data-testid="backlink">${escapeHtml(a.title)}</a>${a.subtitle ? `<div class="dm-muted">${escapeHtml(a.subtitle)}</div>` : ''}`).join('') : '<span class="dm-muted">—</span>'}</dd>
    </dl>
  </div>
</article>`;
  });
  const main = `<p class="dm-muted ln-actor">Changes here are made as <b>${escapeHtml(actor?.name ?? 'someone')}</b>; each one sends Linear's signed Issue webhook to the server.</p>
<div class="ln-list" data-testid="linear-issues">${cards.length ? cards.join('\n') : '<p class="dm-muted">No issues yet: move a deal to Won.</p>'}</div>
${customersView(store)}`;
  return page('Linear · Engineering', 'linear', main, shown);
}

/** The newest webhooks and jobs, merged in time order (newest first). */
export async function activity(ctx: DemoContext, limit = 25): Promise<ActivityEntry[]> {
  const linearHooks: ActivityEntry[] = ctx.linear.deliveries.map((d) => {
    const issue = ctx.linear.store.issuesById.get(d.issueId);
    return {
      at: d.sentAt,
      kind: 'linear-webhook',
      title: `Linear → Issue ${d.action}`,
      detail: issue ? `${issue.identifier} ${issue.title}` : d.issueId,
      status: d.status === null ? `failed: ${d.error ?? 'unreachable'}` : String(d.status),
    };
  });
  let jobs: ActivityEntry[] = [];
  try {
    const result = (await ctx.db.raw(
      `select name, state, retry_count, created_on, start_after, completed_on, data->'payload' as payload, data->'attempt' as attempt from pgboss.job
       where name not like '\\_\\_%' order by created_on desc limit ?`,
      [limit],
    )) as { rows: Array<{ name: string; state: string; retry_count: number; created_on: Date | string; start_after: Date | string; completed_on: Date | string | null; payload: Record<string, unknown> | null; attempt: number | null }> };
    jobs = result.rows.map((row) => {
      const payload = row.payload ?? {};
      const about = [
        typeof payload.leadId === 'number' ? `deal #${payload.leadId}` : '',
        typeof payload.origin === 'string' ? `from ${payload.origin}` : '',
        typeof payload.action === 'string' ? `${payload.action}` : '',
        payload.issue && typeof payload.issue === 'object' && 'identifier' in payload.issue ? String((payload.issue as { identifier: unknown }).identifier) : '',
      ]
        .filter(Boolean)
        .join(' · ');
      const took = row.completed_on ? `${Math.max(0, new Date(row.completed_on).getTime() - new Date(row.created_on).getTime())} ms` : '';
      return {
        at: new Date(row.created_on).toISOString(),
        kind: 'job',
        title: `Job ${row.name}`,
        detail: [about, row.attempt ? `re-run ${row.attempt}` : '', row.retry_count > 0 ? `retries ${row.retry_count}` : '', took].filter(Boolean).join(' · '),
        status:
          row.state === 'created' && new Date(row.start_after).getTime() > Date.now()
            ? `scheduled ${new Date(row.start_after).toISOString().slice(11, 19)}`
            : row.state,
      } satisfies ActivityEntry;
    });
  } catch {
    jobs = [];
  }
  return [...kommoWebhooks, ...linearHooks, ...jobs].sort((a, b) => b.at.localeCompare(a.at)).slice(0, limit);
}

/** Changes whenever something a page shows has changed, so pages reload only then. */
function version(ctx: DemoContext): string {
  const hash = createHash('sha1');
  for (const lead of ctx.kommo.store.leads.values()) hash.update(`${lead.id}:${lead.statusId}:${lead.updatedAt};`);
  for (const issue of ctx.linear.store.issues()) hash.update(`${issue.id}:${issue.updatedAt};`);
  hash.update(`a${ctx.linear.store.attachments().length}`);
  for (const c of ctx.linear.store.customers()) hash.update(`c${c.id}:${c.updatedAt}:${ctx.linear.store.customerNeeds().filter((n) => n.customerId === c.id).length};`);
  hash.update(`t${ctx.kommo.store.tasks.length}`);
  return hash.digest('hex').slice(0, 12);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const value: unknown = text ? JSON.parse(text) : {};
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function html(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}
function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Moves a deal like a Kommo user would, then delivers Kommo's `leads[status]` form webhook. */
export async function moveDeal(ctx: DemoContext, leadId: number, statusId: number): Promise<number> {
  const lead = ctx.kommo.setLeadStatus(leadId, statusId);
  const stage = ctx.kommo.store.status(lead.pipelineId, statusId);
  const entry: ActivityEntry = { at: new Date().toISOString(), kind: 'kommo-webhook', title: 'Kommo → leads[status]', detail: `deal #${leadId} → ${stage?.name ?? statusId}`, status: 'sending' };
  kommoWebhooks.push(entry);
  if (kommoWebhooks.length > 100) kommoWebhooks.shift();
  try {
    const status = await ctx.kommo.sendStatusWebhook(ctx.kommoWebhookUrl(), leadId);
    entry.status = String(status);
    return status;
  } catch (error) {
    entry.status = `failed: ${error instanceof Error ? error.message : String(error)}`;
    return 0;
  }
}

export function demoRoutes(ctx: DemoContext, staticFiles: Record<string, { type: string; body: string }>) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> => {
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path === '/leads' || path === '/leads/pipeline')) {
      html(res, board(ctx));
      return true;
    }
    if (req.method === 'GET' && path === '/linear') {
      html(res, linearView(ctx));
      return true;
    }
    if (req.method === 'GET' && path === '/activity') {
      html(res, page('Activity', 'activity', '<p class="dm-muted">Kommo webhooks the demo sent, Linear webhooks the fake Linear delivered, and the server\'s jobs, newest first.</p><ol class="dm-activity__list dm-activity__list--wide" data-testid="activity"></ol>'));
      return true;
    }
    const file = path.startsWith('/_demo/static/') ? staticFiles[path.slice('/_demo/static/'.length)] : undefined;
    if (req.method === 'GET' && file) {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      res.end(file.body);
      return true;
    }
    if (req.method === 'GET' && path === '/_demo/api/activity') {
      json(res, 200, { version: version(ctx), entries: await activity(ctx) });
      return true;
    }
    const move = /^\/_demo\/leads\/(\d+)\/status$/.exec(path);
    if (req.method === 'POST' && move) {
      const body = await readJson(req);
      const statusId = Number(body.statusId);
      try {
        json(res, 200, { webhookStatus: await moveDeal(ctx, Number(move[1]), statusId) });
      } catch (error) {
        json(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
      return true;
    }
    const change = /^\/_demo\/linear\/issues\/([\w-]+)$/.exec(path);
    if (req.method === 'POST' && change?.[1]) {
      const body = await readJson(req);
      const patch: { stateId?: string; assigneeId?: string | null } = {};
      if (typeof body.stateId === 'string') patch.stateId = body.stateId;
      if (typeof body.assigneeId === 'string') patch.assigneeId = body.assigneeId === '' ? null : body.assigneeId;
      try {
        // The fake Linear emits the signed Issue webhook to the server on every change.
        const issue = ctx.linear.store.updateIssue(change[1], patch, ctx.linearActorId);
        json(res, 200, { identifier: issue.identifier });
      } catch (error) {
        json(res, 400, { error: error instanceof Error ? error.message : String(error) });
      }
      return true;
    }
    return false;
  };
}
