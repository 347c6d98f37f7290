/** What a support command gets: the database, the queue (send only), the installation and its clients. */
import type { Db } from '../db/create-db';
import type { Installation } from '../domain/installation';
import type { Queue } from '../jobs/queue';
import type { Tenant } from '../tenants';

export interface CliContext {
  db: Db;
  queue: Queue;
  installation: Installation;
  tenant: Tenant;
  /** Progress output while a command runs (the backfill's). */
  write?: (text: string) => void;
  /** stdout is a terminal: progress may redraw a bar. */
  tty?: boolean;
}
