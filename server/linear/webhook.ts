/**
 * Linear webhook deliveries: `Linear-Signature` is the hex HMAC-SHA256 of the raw body with the
 * webhook's signing secret; the body's `webhookTimestamp` (ms) must be within a minute of now.
 * Source: https://linear.app/developers/webhooks
 */
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { z } from 'zod';
import type { Installation } from '../domain/installation';
import { AppError } from '../errors';
import { IssueFieldsSchema } from './schemas';

export const MAX_CLOCK_SKEW_MS = 60_000;

const Actor = z.object({ id: z.string().optional(), type: z.string().optional(), name: z.string().optional() });

/** The webhook's `data` for an Issue: the fields we read, as in our own issue queries, plus webhook-only ones. */
export const IssueDataSchema = IssueFieldsSchema.omit({ assignee: true, team: true }).extend({
  assignee: z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullish() }).nullish(),
  assigneeId: z.string().nullish(),
  previousIdentifiers: z.array(z.string()).nullish(),
});
export type IssueData = z.infer<typeof IssueDataSchema>;

const EnvelopeSchema = z.object({
  action: z.string(),
  type: z.string(),
  webhookTimestamp: z.number(),
  actor: Actor.nullish(),
  data: z.unknown(),
  updatedFrom: z.record(z.string(), z.unknown()).nullish(),
});

export type LinearDelivery =
  | { kind: 'issue'; action: string; actorId: string | undefined; issue: IssueData }
  | { kind: 'other'; type: string };

/** Verifies the signature over the exact bytes, then the timestamp, then the shape. */
export function verifyLinearDelivery(raw: Buffer, signature: string | undefined, secret: string, now = Date.now()): LinearDelivery {
  if (!signature) throw new AppError('unauthorized', 'Missing Linear-Signature header');
  try {
    new LinearWebhookClient(secret).verify(raw, signature.trim().toLowerCase());
  } catch {
    throw new AppError('unauthorized', 'Linear-Signature does not match the body; check the webhook signing secret');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON');
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) throw new AppError('bad_request', `Not a Linear webhook: ${envelope.error.issues[0]?.path.join('.') ?? 'body'} is missing or invalid`);
  const skew = Math.abs(now - envelope.data.webhookTimestamp);
  if (!Number.isFinite(skew) || skew > MAX_CLOCK_SKEW_MS) {
    throw new AppError('bad_request', `webhookTimestamp is ${Math.round(skew / 1000)} s away from now (limit 60 s): a replay or a wrong clock`);
  }
  if (envelope.data.type !== 'Issue') return { kind: 'other', type: envelope.data.type };
  const issue = IssueDataSchema.safeParse(envelope.data.data);
  if (!issue.success) throw new AppError('bad_request', `Issue data is invalid: ${issue.error.issues[0]?.path.join('.') ?? ''}`);
  return { kind: 'issue', action: envelope.data.action, actorId: envelope.data.actor?.id, issue: issue.data };
}

/** Where the verifier finds an installation of a webhook URL and its signing secret. */
export interface LinearSecretSource {
  /** `fresh` skips any cache. */
  forLinear(urlId: string | undefined, options?: { fresh?: boolean }): Promise<Installation | undefined>;
  webhookSecretOf(installationId: string): Promise<string | null | undefined>;
}

export type VerifyLinearWebhook = (
  urlId: string | undefined,
  installation: Installation,
  raw: Buffer,
  signature: string | undefined,
) => Promise<{ installation: Installation; delivery: LinearDelivery }>;

/** Verifies a delivery with the installation's secret, and once more with the stored one after a rotation. */
export function createLinearWebhookVerifier(source: LinearSecretSource): VerifyLinearWebhook {
  return async (urlId, installation, raw, signature) => {
    const secret = (await source.webhookSecretOf(installation.id)) ?? '';
    try {
      return { installation, delivery: verifyLinearDelivery(raw, signature, secret) };
    } catch (error) {
      // The secret may have been replaced since it was cached: check once against the stored one.
      const stored = error instanceof AppError && error.code === 'unauthorized' ? await source.forLinear(urlId, { fresh: true }) : undefined;
      const storedSecret = stored ? await source.webhookSecretOf(stored.id) : undefined;
      if (!stored || !storedSecret || storedSecret === secret) throw error;
      return { installation: stored, delivery: verifyLinearDelivery(raw, signature, storedSecret) };
    }
  };
}
