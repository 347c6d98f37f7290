/**
 * The customer step of deal links (`customer_syncs`): the customer request's id, claimed before
 * the request is created in Linear, stamped when it is started and done, and the step's last error.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { nullableText, nullableTimestamp, parseRow } from '../rows';

const Row = z.object({
  link_id: z.string(),
  need_id: z.string(),
  customer_external_id: nullableText,
  need_started_at: nullableTimestamp,
  need_done_at: nullableTimestamp,
  synced_at: nullableTimestamp,
  error_code: nullableText,
});

export interface CustomerSync {
  linkId: string;
  needId: string;
  customerExternalId: string | null;
  needStartedAt: Date | null;
  needDoneAt: Date | null;
  syncedAt: Date | null;
  errorCode: string | null;
}

function toSync(row: unknown): CustomerSync {
  const r = parseRow(Row, row, 'customer_syncs');
  return {
    linkId: r.link_id,
    needId: r.need_id,
    customerExternalId: r.customer_external_id,
    needStartedAt: r.need_started_at,
    needDoneAt: r.need_done_at,
    syncedAt: r.synced_at,
    errorCode: r.error_code,
  };
}

export const customerSyncsRepo = {
  /** The link's row, created with a fresh request id if absent (a concurrent claim keeps the first id). */
  async claim(db: DbOrTrx, input: { installationId: string; linkId: string; leadId: number }): Promise<CustomerSync> {
    await db('customer_syncs')
      .insert({ link_id: input.linkId, installation_id: input.installationId, lead_id: input.leadId, need_id: randomUUID() })
      .onConflict('link_id')
      .ignore();
    return toSync(await db('customer_syncs').where({ link_id: input.linkId }).first());
  },

  async markNeedStarted(db: DbOrTrx, linkId: string, customerExternalId: string): Promise<void> {
    await db('customer_syncs').where({ link_id: linkId }).update({ need_started_at: db.fn.now(), customer_external_id: customerExternalId });
  },

  /** `needId`: the request found on the issue, when it is not the one made with our id. */
  async markNeedDone(db: DbOrTrx, linkId: string, needId?: string): Promise<void> {
    await db('customer_syncs').where({ link_id: linkId }).update({ need_done_at: db.fn.now(), ...(needId ? { need_id: needId } : {}) });
  },

  async setCustomer(db: DbOrTrx, linkId: string, customerExternalId: string): Promise<void> {
    await db('customer_syncs').where({ link_id: linkId }).update({ customer_external_id: customerExternalId });
  },

  /** The customer was written to Linear: the step's last error is cleared. */
  async markSynced(db: DbOrTrx, installationId: string, leadId: number): Promise<void> {
    await db('customer_syncs')
      .where({ installation_id: installationId, lead_id: leadId })
      .update({ synced_at: db.fn.now(), error_code: null, error_message: null });
  },

  async markError(db: DbOrTrx, installationId: string, leadId: number, error: { code: string; message: string }): Promise<void> {
    await db('customer_syncs')
      .where({ installation_id: installationId, lead_id: leadId })
      .update({ error_code: error.code.slice(0, 64), error_message: error.message });
  },
};
