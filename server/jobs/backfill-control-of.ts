/** The backfill flow of one installation, wired to the database and the queue (settings page and CLI). */
import { bindDb } from '../db/bind';
import type { Db } from '../db/create-db';
import { backfillsRepo } from '../db/repos/backfills';
import { linksRepo } from '../db/repos/links';
import type { Installation } from '../domain/installation';
import { createBackfillControl, type BackfillControl } from '../flows/backfill/backfill-control';
import type { Tenant } from '../tenants';
import { enqueueBackfill } from './kommo-backfill';
import type { Queue } from './queue';

export function backfillControlOf(db: Db, queue: Pick<Queue, 'send'>, installation: Installation, tenant: Pick<Tenant, 'kommo' | 'referenceData'>): BackfillControl {
  return createBackfillControl({
    installation,
    kommo: tenant.kommo,
    referenceData: tenant.referenceData,
    links: bindDb(linksRepo, db),
    store: bindDb(backfillsRepo, db),
    enqueue: (runId) => enqueueBackfill(queue, runId),
  });
}
