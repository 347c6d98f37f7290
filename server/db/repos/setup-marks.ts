/**
 * Stamps for the setup checklist: the last webhook from Kommo and from Linear, the last preview.
 * A webhook stamp is written at most once a minute per installation and process, so the intake
 * pays nothing measurable for it, and a failed stamp is only logged: it must never cost a delivery.
 */
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { nullableTimestamp, parseRow } from '../rows';

export type SetupMark = 'kommo_webhook' | 'linear_webhook' | 'previewed';

export interface SetupMarks {
  kommoWebhookAt: Date | null;
  linearWebhookAt: Date | null;
  previewedAt: Date | null;
}

const Row = z.object({ kommo_webhook_at: nullableTimestamp, linear_webhook_at: nullableTimestamp, previewed_at: nullableTimestamp }).optional();
const COLUMN: Record<SetupMark, string> = { kommo_webhook: 'kommo_webhook_at', linear_webhook: 'linear_webhook_at', previewed: 'previewed_at' };
const WEBHOOK_STAMP_EVERY_MS = 60_000;

export const setupMarksRepo = {
  async mark(db: DbOrTrx, installationId: string, mark: SetupMark): Promise<void> {
    const column = COLUMN[mark];
    await db('setup_marks')
      .insert({ installation_id: installationId, [column]: db.fn.now() })
      .onConflict('installation_id')
      .merge({ [column]: db.fn.now() });
  },

  async read(db: DbOrTrx, installationId: string): Promise<SetupMarks> {
    const row = parseRow(Row, await db('setup_marks').where({ installation_id: installationId }).first(), 'setup_marks');
    return { kommoWebhookAt: row?.kommo_webhook_at ?? null, linearWebhookAt: row?.linear_webhook_at ?? null, previewedAt: row?.previewed_at ?? null };
  },
};

/** `seen(installationId)` after a verified webhook: stamps it, at most once a minute, never failing. */
export function webhookStamper(db: DbOrTrx, mark: Extract<SetupMark, 'kommo_webhook' | 'linear_webhook'>, onError: (error: unknown) => void, now = Date.now) {
  const last = new Map<string, number>();
  return (installationId: string): void => {
    const at = now();
    if (at - (last.get(installationId) ?? -Infinity) < WEBHOOK_STAMP_EVERY_MS) return;
    last.set(installationId, at);
    setupMarksRepo.mark(db, installationId, mark).catch((error: unknown) => {
      last.delete(installationId);
      onError(error);
    });
  };
}
