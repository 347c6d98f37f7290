/**
 * Registers our webhooks where the credentials allow it: Kommo (`status_lead`, `add_lead`) and
 * Linear (`Issue` events, our generated secret stored encrypted). When either cannot be
 * registered, the log says exactly what to configure by hand; the Won poll covers Kommo meanwhile.
 */
import { randomBytes } from 'node:crypto';
import type { Installation } from '../domain/installation';
import { isAppError } from '../errors';
import type { KommoClient } from '../kommo/client';
import type { LinearApi } from '../linear/client';
import type { Logger } from '../log';

export interface RegisterDeps {
  installation: Installation;
  kommo: KommoClient;
  linear: LinearApi;
  log: Logger;
  kommoWebhookUrl: string;
  linearWebhookUrl: string;
  saveKommoStatus(status: 'registered' | 'unavailable' | 'manual'): Promise<void>;
  saveLinearWebhook(webhookId: string, secret: string): Promise<void>;
}

/** Stage changes and new deals (Won → issue), deal notes (comments both ways), deal edits (Linear Customers: amount, company). */
const KOMMO_EVENTS = ['status_lead', 'add_lead', 'note_lead', 'update_lead'] as const;

export async function registerWebhooks(deps: RegisterDeps): Promise<void> {
  await registerKommo(deps);
  if (!deps.installation.linearWebhookConfigured) await registerLinear(deps);
}

async function registerKommo(deps: RegisterDeps): Promise<void> {
  try {
    const existing = await deps.kommo.listWebhooks(deps.kommoWebhookUrl);
    // Kommo's POST /api/v4/webhooks updates the events of an existing destination, so an older
    // subscription without the note event gains it.
    if (!existing.some((w) => w.destination === deps.kommoWebhookUrl && !w.disabled && KOMMO_EVENTS.every((e) => w.settings?.includes(e)))) {
      await deps.kommo.addWebhook(deps.kommoWebhookUrl, [...KOMMO_EVENTS]);
    }
    await deps.saveKommoStatus('registered');
  } catch (error) {
    if (isAppError(error) && error.code === 'kommo_forbidden') {
      await deps.saveKommoStatus('unavailable');
      deps.log.warn(
        'Kommo refused to register the webhook (API webhooks need the Advanced or Enterprise plan, and an admin token). ' +
          'Won deals are picked up by polling every minute instead.',
      );
      return;
    }
    await deps.saveKommoStatus('manual');
    deps.log.warn(
      { err: error },
      'Could not register the Kommo webhook. Add it by hand in Kommo: Settings → Integrations → Web hooks → ' +
        'the /webhooks/kommo/<KOMMO_WEBHOOK_SECRET> URL of this server, events "Lead status changed", "Lead added", "Lead edited" and "Note added".',
    );
  }
}

async function registerLinear(deps: RegisterDeps): Promise<void> {
  const secret = randomBytes(24).toString('hex');
  try {
    const webhook = await deps.linear.createWebhook({ url: deps.linearWebhookUrl, secret, label: 'Linear for Kommo' });
    await deps.saveLinearWebhook(webhook.id, secret);
    deps.log.info('Linear webhook registered for Issue and Comment events');
  } catch (error) {
    deps.log.warn(
      { code: isAppError(error) ? error.code : undefined },
      `Could not register the Linear webhook (it needs a workspace admin's API key). Create it by hand in Linear: ` +
        `Settings → API → New webhook, URL ${deps.linearWebhookUrl}, resource types "Issues" and "Comments", then set LINEAR_WEBHOOK_SECRET ` +
        `to its signing secret. Until then, status changes are picked up by reconciliation every few minutes.`,
    );
  }
}
