import type { FakeActor } from './actor';
import type { FakeLinearStore } from './store';

/** Per-request context: resolvers are built once per process and read the fake's store from here. */
export interface FakeContext {
  store: FakeLinearStore;
  /** Absent for calls made inside the fake (test helpers). */
  actor?: FakeActor;
}
