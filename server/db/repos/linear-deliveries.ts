/** Linear deliveries already accepted, keyed by `Linear-Delivery`, so a replay is acknowledged and dropped. */
import type { DbOrTrx } from '../create-db';

export const linearDeliveriesRepo = {
  /** True when the delivery is new (and is now recorded). */
  async record(db: DbOrTrx, installationId: string, deliveryId: string): Promise<boolean> {
    const inserted = await db('linear_deliveries')
      .insert({ installation_id: installationId, delivery_id: deliveryId })
      .onConflict(['installation_id', 'delivery_id'])
      .ignore()
      .returning('delivery_id');
    return inserted.length === 1;
  },

  async forget(db: DbOrTrx, installationId: string, deliveryId: string): Promise<void> {
    await db('linear_deliveries').where({ installation_id: installationId, delivery_id: deliveryId }).delete();
  },

  /** Linear retries for at most ~7 hours; older records only take space. */
  async prune(db: DbOrTrx, olderThanHours = 48): Promise<number> {
    return db('linear_deliveries').where('received_at', '<', db.raw(`now() - (? * interval '1 hour')`, [olderThanHours])).delete();
  },
};
