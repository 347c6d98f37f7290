/**
 * Real queues (pg-boss on the test database, PostgreSQL or PGlite) for the queue's own tests: a
 * fresh database for the file, and every queue made here stopped before it is dropped.
 */
import type { z } from 'zod';
import { createQueue, type JobDefinition, type Queue, type QueueOptions } from '../../server/jobs/queue';
import { createLogger } from '../../server/log';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './test-db';

export function useTestQueues(): <S extends z.ZodType>(definition: JobDefinition<S>, options?: Partial<QueueOptions>) => Queue {
  let database: TestDatabase | undefined;
  const queues: Queue[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    for (const queue of queues) await queue.stop();
    await database?.drop();
  }, 60_000);
  return (definition, options = {}) => {
    if (!database) throw new Error('useTestQueues: the database is made in beforeAll');
    const queue = createQueue({
      kind: testDatabaseKind(),
      db: database.db,
      databaseUrl: database.url,
      log: createLogger('silent'),
      concurrency: 1,
      retryLimit: 0,
      expireInSeconds: 60,
      pollingIntervalSeconds: 0.5,
      ...options,
    });
    queue.register(definition);
    queues.push(queue);
    return queue;
  };
}
