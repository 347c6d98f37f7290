/** An installation's health at a glance (the CLI's `health`): links by status, recent failures, last activity. */
import { z } from 'zod';
import type { DbOrTrx } from '../create-db';
import { integer, nullableText, nullableTimestamp, parseRow } from '../rows';

export interface InstallationHealth {
  byStatus: Array<{ status: string; count: number }>;
  failures: Array<{ leadId: number; code: string | null; message: string | null }>;
  lastWonAt: Date | null;
  lastDeliveryAt: Date | null;
}

const CountRows = z.array(z.object({ status: z.string(), n: integer }));
const FailureRows = z.array(z.object({ lead_id: integer, error_code: nullableText, error_message: nullableText }));
const LatestRow = z.object({ at: nullableTimestamp }).optional();

export async function installationHealth(db: DbOrTrx, installationId: string, failuresShown = 5): Promise<InstallationHealth> {
  const links = () => db('deal_links').where({ installation_id: installationId });
  const [byStatus, failures, lastWon, lastDelivery] = await Promise.all([
    links().select('status').count('* as n').groupBy('status'),
    links().andWhere({ status: 'failed' }).orderBy('updated_at', 'desc').limit(failuresShown),
    links().max('requested_at as at').first(),
    db('linear_deliveries').where({ installation_id: installationId }).max('received_at as at').first(),
  ]);
  return {
    byStatus: parseRow(CountRows, byStatus, 'deal_links').map((r) => ({ status: r.status, count: r.n })),
    failures: parseRow(FailureRows, failures, 'deal_links').map((r) => ({ leadId: r.lead_id, code: r.error_code, message: r.error_message })),
    lastWonAt: parseRow(LatestRow, lastWon, 'deal_links')?.at ?? null,
    lastDeliveryAt: parseRow(LatestRow, lastDelivery, 'linear_deliveries')?.at ?? null,
  };
}
