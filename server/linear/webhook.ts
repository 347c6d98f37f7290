/**
 * Linear webhook deliveries: verified strictly, parsed loosely. `Linear-Signature` is the hex
 * HMAC-SHA256 of the raw body with the webhook's signing secret, and the delivery must be within
 * a minute of now: `webhookTimestamp` in the signed body, or the `Linear-Timestamp` header when
 * the body has none (https://linear.app/developers/webhooks). Both checks are @linear/sdk's own
 * `LinearWebhookClient.verify` (https://linear.app/developers/sdk-webhooks). After that only
 * `type`, `action` and `data.id` are required: an issue whose other fields are missing or
 * renamed is read from Linear by id in the job instead of being refused (Linear never retries a
 * 4xx, so a refusal would lose the event).
 */
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { z } from 'zod';
import type { Installation } from '../domain/installation';
import { AppError } from '../errors';
import { readCommentDelivery, type CommentDelivery } from './comment-webhook';
import { IssueFieldsSchema } from './schemas';

/** The webhook's `data` for an Issue: the fields we read, as in our own issue queries, plus webhook-only ones. */
export const IssueDataSchema = IssueFieldsSchema.omit({ assignee: true, team: true }).extend({
  assignee: z.object({ id: z.string(), name: z.string(), avatarUrl: z.string().nullish() }).nullish(),
  assigneeId: z.string().nullish(),
  previousIdentifiers: z.array(z.string()).nullish(),
});
export type IssueData = z.infer<typeof IssueDataSchema>;

const EnvelopeSchema = z.object({
  action: z.string().min(1),
  type: z.string().min(1),
  data: z.unknown().optional(),
  // Optional extras: a wrong shape here is dropped, never a refusal.
  actor: z.object({ id: z.string(), name: z.string().nullish() }).nullish().catch(undefined),
  url: z.string().nullish().catch(undefined),
});
const IssueIdSchema = z.object({ id: z.string().min(1).max(128) });

/** The actions of an Issue event this service acts on; any other is acknowledged and ignored. */
const ISSUE_ACTIONS = ['create', 'update', 'remove'] as const;
export type IssueAction = (typeof ISSUE_ACTIONS)[number];
const isIssueAction = (action: string): action is IssueAction => (ISSUE_ACTIONS as readonly string[]).includes(action);

export type LinearDelivery =
  | {
      kind: 'issue';
      action: IssueAction;
      actorId: string | undefined;
      issueId: string;
      /** Undefined when the payload lacks a field we need: the job reads the issue from Linear. */
      issue: IssueData | undefined;
    }
  | CommentDelivery
  | { kind: 'other'; type: string; action: string };

/** A positive timestamp in ms, as a number (body) or digits (header); anything else is no timestamp. */
function timestampOf(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  if (typeof value === 'string' && /^\d{1,16}$/.test(value.trim()) && Number(value) > 0) return value.trim();
  return undefined;
}

/** Verifies the signature over the exact bytes, then the timestamp, then reads what is needed. */
export function verifyLinearDelivery(raw: Buffer, signature: string | undefined, timestampHeader: string | undefined, secret: string): LinearDelivery {
  if (!signature) throw new AppError('unauthorized', 'Missing Linear-Signature header');
  const signed = signature.trim().toLowerCase();
  let client: LinearWebhookClient;
  try {
    client = new LinearWebhookClient(secret);
    // Without a timestamp argument the SDK checks the signature only.
    client.verify(raw, signed);
  } catch {
    throw new AppError('unauthorized', 'Linear-Signature does not match the body; check the webhook signing secret');
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new AppError('bad_request', 'The body is not valid JSON');
  }
  const bodyTimestamp = typeof json === 'object' && json !== null && 'webhookTimestamp' in json ? json.webhookTimestamp : undefined;
  // The signed body wins over the unsigned header, as in the SDK's own handler (a replay fix in @linear/sdk 85).
  const timestamp = timestampOf(bodyTimestamp ?? timestampHeader);
  const from = bodyTimestamp === undefined || bodyTimestamp === null ? 'Linear-Timestamp header' : 'webhookTimestamp';
  if (timestamp === undefined) throw new AppError('bad_request', 'The delivery has no webhookTimestamp in the body and no Linear-Timestamp header');
  try {
    client.verify(raw, signed, timestamp);
  } catch {
    const skew = Math.round(Math.abs(Date.now() - Number(timestamp)) / 1000);
    throw new AppError('bad_request', `${from} is ${skew} s away from now (limit 60 s): a replay or a wrong clock`);
  }
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) throw new AppError('bad_request', `Not a Linear webhook: ${envelope.error.issues[0]?.path.join('.') || 'body'} is missing or invalid`);
  const { type, action, data, actor, url } = envelope.data;
  if (type === 'Comment') return readCommentDelivery(action, data, actor) ?? { kind: 'other', type, action };
  if (type !== 'Issue' || !isIssueAction(action)) return { kind: 'other', type, action };
  const id = IssueIdSchema.safeParse(data);
  if (!id.success) throw new AppError('bad_request', 'Not a Linear Issue webhook: data.id is missing or invalid', { field: 'data.id' });
  // Older payloads carry the issue's address only at the top level.
  const withUrl = typeof data === 'object' && data !== null && url && typeof (data as { url?: unknown }).url !== 'string' ? { ...data, url } : data;
  const issue = IssueDataSchema.safeParse(withUrl);
  return { kind: 'issue', action, actorId: actor?.id, issueId: id.data.id, issue: issue.success ? issue.data : undefined };
}

/** Where the verifier finds an installation of a webhook URL and its signing secret. */
export interface LinearSecretSource {
  /** `fresh` skips any cache. */
  forLinear(urlId: string | undefined, options?: { fresh?: boolean }): Promise<Installation | undefined>;
  webhookSecretOf(installationId: string): Promise<string | null | undefined>;
}

export interface LinearWebhookHeaders {
  signature: string | undefined;
  timestamp: string | undefined;
}

export type VerifyLinearWebhook = (
  urlId: string | undefined,
  installation: Installation,
  raw: Buffer,
  headers: LinearWebhookHeaders,
) => Promise<{ installation: Installation; delivery: LinearDelivery }>;

/** Verifies a delivery with the installation's secret, and once more with the stored one after a rotation. */
export function createLinearWebhookVerifier(source: LinearSecretSource): VerifyLinearWebhook {
  return async (urlId, installation, raw, headers) => {
    const secret = (await source.webhookSecretOf(installation.id)) ?? '';
    try {
      return { installation, delivery: verifyLinearDelivery(raw, headers.signature, headers.timestamp, secret) };
    } catch (error) {
      // The secret may have been replaced since it was cached: check once against the stored one.
      const stored = error instanceof AppError && error.code === 'unauthorized' ? await source.forLinear(urlId, { fresh: true }) : undefined;
      const storedSecret = stored ? await source.webhookSecretOf(stored.id) : undefined;
      if (!stored || !storedSecret || storedSecret === secret) throw error;
      return { installation: stored, delivery: verifyLinearDelivery(raw, headers.signature, headers.timestamp, storedSecret) };
    }
  };
}
