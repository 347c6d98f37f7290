/**
 * Keeps every active installation's reference data warm, so that no won deal (the first after a
 * start included) waits for a list of users, fields, pipelines, teams or states: at start, when
 * an installation is connected, and then on a timer well inside the lists' time to live. Every
 * process does it; the shared cache makes the second process read what the first loaded.
 */
import type { InstallationStore } from '../db/installation-store';
import type { Installation } from '../domain/installation';
import type { Logger } from '../log';
import type { Tenant } from '../tenants';

/** Under half the shortest time to live (10 minutes): entries are renewed before readers need them. */
export const WARM_INTERVAL_MS = 2 * 60_000;

/** How long a shutdown waits for the warm-ups under way. */
const STOP_WAIT_MS = 5_000;

export interface WarmDeps {
  installations: Pick<InstallationStore, 'listActive' | 'load'>;
  tenantFor(installation: Installation): Tenant;
  log: Logger;
}

export interface ReferenceDataWarmer {
  /** Warms every active installation now, then again at each interval. */
  start(): void;
  /** Warms one installation now (after it was connected); never throws. */
  warm(installationId: string): Promise<void>;
  /** Stops the timer and waits for the warm-ups under way, so none reads a database being closed. */
  stop(): Promise<void>;
}

export function keepReferenceDataWarm(deps: WarmDeps, intervalMs: number = WARM_INTERVAL_MS): ReferenceDataWarmer {
  const running = new Map<string, Promise<void>>();

  async function warmOne(installation: Installation): Promise<void> {
    if (installation.status !== 'active') return;
    const started = Date.now();
    const { failed } = await deps.tenantFor(installation).referenceData.warm(installation.settings, installation.linearConnected);
    const log = deps.log.child({ installationId: installation.id });
    if (failed > 0) log.warn({ failed }, 'some reference data could not be loaded; won deals load it when they need it');
    else log.info({ ms: Date.now() - started }, 'reference data warm');
  }

  /** One warm-up per installation at a time. */
  function once(installation: Installation): Promise<void> {
    const known = running.get(installation.id);
    if (known) return known;
    const promise = warmOne(installation)
      .catch((error: unknown) => deps.log.warn({ err: error, installationId: installation.id }, 'reference data warm-up failed'))
      .finally(() => running.delete(installation.id));
    running.set(installation.id, promise);
    return promise;
  }

  async function warmAll(): Promise<void> {
    try {
      await Promise.all((await deps.installations.listActive()).map(once));
    } catch (error) {
      deps.log.warn({ err: error }, 'could not list installations to warm their reference data');
    }
  }

  let timer: NodeJS.Timeout | undefined;
  return {
    start() {
      void warmAll();
      timer ??= setInterval(() => void warmAll(), intervalMs).unref();
    },
    async warm(installationId) {
      try {
        const installation = await deps.installations.load(installationId);
        if (installation) await once(installation);
      } catch (error) {
        deps.log.warn({ err: error, installationId }, 'reference data warm-up failed');
      }
    },
    async stop() {
      clearInterval(timer);
      // Bounded: a warm-up stuck on an unanswering platform must not hold the shutdown.
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...running.values()]), new Promise((resolve) => (bound = setTimeout(resolve, STOP_WAIT_MS)))]);
      clearTimeout(bound);
    },
  };
}
