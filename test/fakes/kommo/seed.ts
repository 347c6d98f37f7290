import type { KommoStore } from './store';
import { LOST_STATUS_ID, WON_STATUS_ID } from './types';

/** Ids of what every fresh fake account contains, so tests need no seeding to get going. */
export interface KommoDefaults {
  userId: number;
  pipelineId: number;
  /** Open stages of the default pipeline, in order; the first is "Incoming leads". */
  openStatusIds: number[];
  wonStatusId: typeof WON_STATUS_ID;
  lostStatusId: typeof LOST_STATUS_ID;
  specFieldId: number;
  deadlineFieldId: number;
}

export function seedDefaults(store: KommoStore): KommoDefaults {
  const user = store.addUser({ name: 'Alice Manager', email: 'alice@example.com', isAdmin: true });
  const pipeline = store.addPipeline({ name: 'Sales', isMain: true });
  const spec = store.addCustomField({ name: 'Spec', type: 'textarea' });
  const deadline = store.addCustomField({ name: 'Deadline', type: 'date' });
  return {
    userId: user.id,
    pipelineId: pipeline.id,
    openStatusIds: pipeline.statuses.filter((s) => s.id !== WON_STATUS_ID && s.id !== LOST_STATUS_ID).map((s) => s.id),
    wonStatusId: WON_STATUS_ID,
    lostStatusId: LOST_STATUS_ID,
    specFieldId: spec.id,
    deadlineFieldId: deadline.id,
  };
}
