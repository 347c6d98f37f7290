import { z } from 'zod';
import { hal, noContent, problem, validationProblem, zodIssues, type Reply } from '../http';
import { queryObject, queryString } from '../paging';
import type { Route, RouteContext } from '../router';
import { webhookJson } from '../serialize';

const Subscribe = z.object({
  destination: z.url({ protocol: /^https?$/ }),
  settings: z.array(z.string().regex(/^[a-z_]+$/)).min(1),
  sort: z.number().int().optional(),
});
const Unsubscribe = z.object({ destination: z.string() });

function listWebhooks(ctx: RouteContext): Reply {
  const destination = queryString(queryObject(ctx.query.filter).destination);
  const hooks = [...ctx.store.webhooks.values()].filter((w) => destination === undefined || w.destination === destination);
  if (hooks.length === 0) return noContent();
  return hal({ _total_items: hooks.length, _links: { self: { href: `${ctx.site.base}/api/v4/webhooks` } }, _embedded: { webhooks: hooks.map((w) => webhookJson(ctx.site, w)) } });
}

function subscribe(ctx: RouteContext): Reply {
  if (ctx.flags.webhooksForbidden) return problem(403, 'Webhooks via API are not available on this account plan');
  const parsed = Subscribe.safeParse(ctx.body);
  if (!parsed.success) return validationProblem(zodIssues(parsed.error));
  const { destination, settings, sort } = parsed.data;
  return hal(webhookJson(ctx.site, ctx.store.upsertWebhook(destination, settings, sort ?? 1)));
}

/** Kommo unsubscribes by destination, with the destination in a DELETE body. */
function unsubscribe(ctx: RouteContext): Reply {
  const parsed = Unsubscribe.safeParse(ctx.body);
  if (!parsed.success) return validationProblem(zodIssues(parsed.error));
  for (const hook of ctx.store.webhooks.values()) if (hook.destination === parsed.data.destination) ctx.store.webhooks.delete(hook.id);
  return noContent();
}

export const webhookRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/webhooks', handler: listWebhooks },
  { method: 'POST', path: '/api/v4/webhooks', handler: subscribe },
  { method: 'DELETE', path: '/api/v4/webhooks', handler: unsubscribe },
];
