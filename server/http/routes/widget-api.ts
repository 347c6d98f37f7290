/**
 * The widget API (`/api/widget`, schemas in shared/api.ts). Transport only: CORS, the one-time
 * token, parse the path, query and body, call a flow of flows/widget-links, answer. The card-open
 * GET reads the database only and carries an ETag, so the card's live poll is mostly 304s.
 */
import type Router from '@koa/router';
import { answerConditionally } from '../etag';
import { createRouter } from '../router';
import type { Context } from 'koa';
import { z } from 'zod';
import {
  LinkExistingRequestSchema,
  WIDGET_API_PREFIX,
  type LeadLinksResponse,
  type LinkResponse,
  type SearchResponse,
} from '../../../shared/api';
import type { Installation } from '../../domain/installation';
import type { WidgetLinks } from '../../flows/widget-links/widget-links';
import { widgetCors } from '../middleware/cors';
import { parse, readJson } from '../parse-input';
import { widgetAuth, widgetAuthOf, type WidgetGate } from '../middleware/widget-auth';

export interface WidgetApiDeps {
  gate: WidgetGate;
  linksFor: (installation: Installation) => WidgetLinks;
}

const LeadId = z
  .string()
  .regex(/^\d{1,15}$/, 'leadId must be a positive integer')
  .transform(Number)
  .pipe(z.number().int().positive('leadId must be a positive integer'));
const LinkId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'linkId must be a link id (UUID)');
const Query = z
  .string({ error: 'q is required' })
  .trim()
  .min(1, 'q must not be empty')
  .max(200, 'q must be at most 200 characters');

export function widgetApiRoutes(deps: WidgetApiDeps): Router {
  const router = createRouter();
  router.use(widgetCors(deps.gate.knowsOrigin));
  router.use(widgetAuth(deps.gate.verify));
  const lead = `${WIDGET_API_PREFIX}/leads/:leadId`;
  const flowsOf = (ctx: Context) => deps.linksFor(widgetAuthOf(ctx).installation);
  const leadIdOf = (ctx: Context) => parse(LeadId, ctx.params.leadId, 'leadId');
  const linkIdOf = (ctx: Context) => parse(LinkId, ctx.params.linkId, 'linkId');

  const search = `${WIDGET_API_PREFIX}/linear/search`;
  // Preflights carry no token; widgetCors answers them before widgetAuth. Only for our own paths:
  // a catch-all would turn every unknown /api/widget path into a 405 instead of a 404.
  router.options([lead, `${lead}/issues`, `${lead}/links`, `${lead}/links/:linkId`, `${lead}/links/:linkId/retry`, search], () => undefined);

  router.get(lead, async (ctx) => {
    const leadId = leadIdOf(ctx);
    const body: LeadLinksResponse = await flowsOf(ctx).lead(leadId, widgetAuthOf(ctx).isAdmin);
    answerConditionally(ctx, body);
  });

  router.post(`${lead}/issues`, async (ctx) => {
    const leadId = leadIdOf(ctx);
    const body: LinkResponse = { link: await flowsOf(ctx).create(leadId, widgetAuthOf(ctx).userId) };
    ctx.status = 202;
    ctx.body = body;
  });

  router.post(`${lead}/links`, async (ctx) => {
    const leadId = leadIdOf(ctx);
    const request = parse(LinkExistingRequestSchema, await readJson(ctx), 'issue');
    const { link, created } = await flowsOf(ctx).linkExisting(leadId, request.issue);
    const body: LinkResponse = { link };
    ctx.status = created ? 201 : 200;
    ctx.body = body;
  });

  router.delete(`${lead}/links/:linkId`, async (ctx) => {
    const leadId = leadIdOf(ctx);
    await flowsOf(ctx).unlink(leadId, linkIdOf(ctx));
    ctx.status = 204;
  });

  router.post(`${lead}/links/:linkId/retry`, async (ctx) => {
    const leadId = leadIdOf(ctx);
    const body: LinkResponse = { link: await flowsOf(ctx).retry(leadId, linkIdOf(ctx), widgetAuthOf(ctx).userId) };
    ctx.status = 202;
    ctx.body = body;
  });

  router.get(search, async (ctx) => {
    const q = parse(Query, ctx.query.q, 'q');
    const body: SearchResponse = await flowsOf(ctx).search(q);
    ctx.body = body;
  });

  return router;
}
