/**
 * The simulated Linear's Customers: each customer the server upserted (name, revenue, tier,
 * owner, domains) with its requests, each naming its issue and the deal it came from.
 */
import type { FakeLinearStore } from '../test/fakes/linear';
import { escapeHtml } from '../test/kommo-host';

const money = (n: number) => `$${n.toLocaleString('en-US')}`;

export function customersView(store: FakeLinearStore): string {
  const customers = store.customers().sort((a, b) => (b.revenue ?? 0) - (a.revenue ?? 0));
  if (customers.length === 0) return '';
  const cards = customers.map((c) => {
    const owner = c.ownerId ? store.usersById.get(c.ownerId) : undefined;
    const needs = store.customerNeeds().filter((n) => n.customerId === c.id);
    const requests = needs.map((n) => {
      const issue = store.issuesById.get(n.issueId);
      const source = n.attachmentId ? store.attachmentsById.get(n.attachmentId) : undefined;
      return `<li data-testid="customer-request">${n.priority >= 1 ? '<b title="Important">❗</b> ' : ''}<a href="#${escapeHtml(issue?.identifier ?? '')}">${escapeHtml(issue?.identifier ?? '?')}</a> ${escapeHtml(n.body ?? '')}${source ? ` · <a class="ln-link" href="${escapeHtml(source.url)}">deal</a>` : ''}</li>`;
    });
    return `<article class="ln-customer" data-testid="customer-${escapeHtml(c.slugId)}">
  <header class="ln-issue__head"><h2 class="ln-title">${escapeHtml(c.name)}</h2>${c.tierName ? `<span class="ln-id">${escapeHtml(c.tierName)}</span>` : ''}</header>
  <dl class="ln-props ln-customer__props">
    <dt>Revenue</dt><dd data-testid="customer-revenue">${c.revenue === null ? '<span class="dm-muted">—</span>' : money(c.revenue)}</dd>
    <dt>Owner</dt><dd>${escapeHtml(owner?.name ?? '—')}</dd>
    <dt>Domains</dt><dd>${c.domains.length ? escapeHtml(c.domains.join(', ')) : '<span class="dm-muted">—</span>'}</dd>
    <dt>Requests</dt><dd><ul class="ln-requests">${requests.join('') || '<li class="dm-muted">none</li>'}</ul></dd>
  </dl>
</article>`;
  });
  return `<h2 class="ln-section">Customers</h2>
<div class="ln-list" data-testid="linear-customers">${cards.join('\n')}</div>`;
}
