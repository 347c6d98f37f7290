/**
 * Won events the server refused because Kommo says the lead does not exist (a forged or stale
 * delivery). One row per installation and lead: a replay bumps the count and the last-seen time.
 */
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { integer, parseRow, timestamp } from '../rows';

export interface RejectedWonLead {
  leadId: number;
  reason: string;
  message: string;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

const Rows = z.array(
  z.object({ lead_id: integer, reason: z.string(), message: z.string(), count: integer, first_seen_at: timestamp, last_seen_at: timestamp }),
);

export const rejectedWonLeadsRepo = {
  async record(db: DbOrTrx, input: { installationId: string; leadId: number; reason: string; message: string }): Promise<void> {
    await db('rejected_won_leads')
      .insert({ installation_id: input.installationId, lead_id: input.leadId, reason: input.reason, message: input.message })
      .onConflict(['installation_id', 'lead_id'])
      .merge({
        reason: input.reason,
        message: input.message,
        count: db.raw('rejected_won_leads.count + 1'),
        last_seen_at: db.fn.now(),
      });
  },

  /** The most recently seen first. */
  async listRecent(db: DbOrTrx, installationId: string, limit = 10): Promise<RejectedWonLead[]> {
    const rows = await db('rejected_won_leads').where({ installation_id: installationId }).orderBy('last_seen_at', 'desc').limit(limit);
    return parseRow(Rows, rows, 'rejected_won_leads').map((r) => ({
      leadId: r.lead_id,
      reason: r.reason,
      message: r.message,
      count: r.count,
      firstSeenAt: r.first_seen_at,
      lastSeenAt: r.last_seen_at,
    }));
  },
};
