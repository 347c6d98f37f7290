/**
 * "Connect Linear" (Linear OAuth) between the widget's settings page and the server:
 * `POST /api/widget/linear-oauth/start` and `DELETE /api/widget/linear-oauth`, and the message
 * the callback window posts to the Kommo page that opened it.
 */
import * as z from 'zod/mini';

export const LINEAR_OAUTH_API = '/api/widget/linear-oauth';

export const LinearOAuthStartRequestSchema = z.object({
  /** Also ask for Linear's `admin` scope, so the server may register webhooks itself. */
  admin: z.optional(z.boolean()),
});

export const LinearOAuthStartResponseSchema = z.object({
  authorizeUrl: z.string(),
  state: z.string(),
  expiresAt: z.string(),
});
export type LinearOAuthStartResponse = z.infer<typeof LinearOAuthStartResponseSchema>;

/**
 * What the callback window posts to its opener (the Kommo page), then it closes: Linear's code
 * and the state, which the settings page spends with `POST …/complete` and its own one-time token.
 */
export const LinearOAuthMessageSchema = z.object({
  type: z.literal('linear-for-kommo:linear-oauth'),
  status: z.literal('code'),
  code: z.string().check(z.minLength(1), z.maxLength(2048)),
  state: z.string().check(z.minLength(1), z.maxLength(256)),
});
export type LinearOAuthMessage = z.infer<typeof LinearOAuthMessageSchema>;

export const LinearOAuthCompleteRequestSchema = z.object({
  code: z.string().check(z.minLength(1, 'code is missing'), z.maxLength(2048)),
  state: z.string().check(z.minLength(1, 'state is missing'), z.maxLength(256)),
});
export const LinearOAuthCompleteResponseSchema = z.object({ workspace: z.string() });
