/**
 * Linear deliveries already accepted, so a replay is acknowledged and dropped. A delivery is
 * recorded under several keys: `Linear-Delivery` (the same across Linear's own retries) and a
 * hash of the signed body (the header is not signed, so a replay may carry a fresh one).
 */
import type { DbOrTrx } from '../create-db';

export const linearDeliveriesRepo = {
  /** True when none of the keys was seen before (all are now recorded). */
  async record(db: DbOrTrx, installationId: string, deliveryKeys: string[]): Promise<boolean> {
    const keys = [...new Set(deliveryKeys)];
    const inserted = await db('linear_deliveries')
      .insert(keys.map((key) => ({ installation_id: installationId, delivery_id: key })))
      .onConflict(['installation_id', 'delivery_id'])
      .ignore()
      .returning('delivery_id');
    return inserted.length === keys.length;
  },

  async forget(db: DbOrTrx, installationId: string, deliveryKeys: string[]): Promise<void> {
    await db('linear_deliveries').where({ installation_id: installationId }).whereIn('delivery_id', deliveryKeys).delete();
  },

  /** Linear retries for at most ~7 hours; older records only take space. */
  async prune(db: DbOrTrx, olderThanHours = 48): Promise<number> {
    return db('linear_deliveries').where('received_at', '<', db.raw(`now() - (? * interval '1 hour')`, [olderThanHours])).delete();
  },
};
