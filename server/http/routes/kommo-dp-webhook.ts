/**
 * Digital Pipeline intake: Kommo posts the event of a "Create Linear issue" action (placed on a
 * stage in Kommo's pipeline editor) to the widget's `dp.webhook_url`. Two ways in, one flow
 * (dp-intake.ts):
 * - `/webhooks/kommo/<secret>/dp` (self-hosted builds): the URL secret names the installation,
 *   the event's account must be its account.
 * - `/webhooks/kommo-dp` (marketplace builds: one URL for every account): the event's account
 *   names an active OAuth installation, and the action's settings must carry that installation's
 *   token (kommo/dp-token.ts), which the widget wrote there when the admin set the action up.
 */
import type Router from '@koa/router';
import { DP_MARKETPLACE_PATH } from '../../../shared/dp-api';
import type { Installation } from '../../domain/installation';
import { AppError } from '../../errors';
import type { DpEvent } from '../../kommo/dp-event';
import { accountMismatch } from '../../kommo/webhook-account';
import { createRouter } from '../router';
import { receiveDpEvent, rejectDp, type DpIntakeDeps } from './dp-intake';

export interface KommoDpWebhookDeps extends DpIntakeDeps {
  findBySecret(secret: string): Promise<Installation | undefined>;
  /** The active OAuth installation of a Kommo account, by id or else by subdomain. */
  findOAuthAccount(account: DpEvent['account']): Promise<Installation | undefined>;
  /** Whether `token` is the installation's Digital Pipeline token (compared in constant time). */
  isDpToken(installationId: string, token: string): Promise<boolean>;
}

const REOPEN = "open the action in Kommo's pipeline editor (Leads → Automate) and save it again, so the widget fills in the token";

export function kommoDpWebhookRoutes(deps: KommoDpWebhookDeps): Router {
  const router = createRouter();
  router.post('/webhooks/kommo/:secret/dp', async (ctx) => {
    const installation = await deps.findBySecret(ctx.params.secret ?? '');
    if (!installation) throw rejectDp(deps, new AppError('unauthorized', 'Unknown webhook URL: copy the URL from the integration settings'));
    await receiveDpEvent(ctx, deps, async (event) => {
      const mismatch = accountMismatch(installation, { ...event.account, domain: undefined });
      if (mismatch) throw new AppError('forbidden', mismatch);
      return installation;
    });
  });
  router.post(DP_MARKETPLACE_PATH, async (ctx) => {
    await receiveDpEvent(ctx, deps, async (event) => {
      const installation = await deps.findOAuthAccount(event.account);
      if (!event.actionToken) throw new AppError('unauthorized', `The Digital Pipeline action carries no token: ${REOPEN}`);
      // An unknown account gets the same answer as a wrong token: a caller learns nothing about who uses the integration.
      if (!installation || !(await deps.isDpToken(installation.id, event.actionToken))) {
        throw new AppError('unauthorized', `The Digital Pipeline action's token is not this account's: ${REOPEN}`);
      }
      return installation;
    });
  });
  return router;
}
