/**
 * Kommo refusing a whole account, not one request: unpaid (402), access restricted (403 on the
 * account itself) or the token refused even after a refresh (401). While an installation is in
 * such a state its jobs stop calling Kommo; a periodic check asks again, and when Kommo answers
 * the deals that waited are processed.
 */
import type { KommoAccessProblem, KommoAccessView } from '../../shared/api';

export type { KommoAccessProblem };

export interface KommoAccess {
  problem: KommoAccessProblem;
  /** What Kommo answered, for logs and the CLI (no secret in it). */
  message: string;
  since: Date;
  checkedAt: Date;
}

export function kommoAccessView(access: KommoAccess | null): KommoAccessView | null {
  return access ? { problem: access.problem, since: access.since.toISOString(), checkedAt: access.checkedAt.toISOString() } : null;
}
