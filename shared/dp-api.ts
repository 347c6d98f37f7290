/**
 * The Digital Pipeline action of a marketplace build (README, "Digital Pipeline action"): Kommo
 * posts every account's events to one `webhook_url`, so each action carries its installation's
 * token in a hidden setting the widget fills from `GET /api/widget/dp-token` (admins only).
 */
import * as z from 'zod/mini';

/** The action setting (manifest `dp.settings` key) that holds the installation's token. */
export const DP_TOKEN_SETTING = 'lfk_dp_token';

/** The one `webhook_url` of a marketplace build, after the server address. */
export const DP_MARKETPLACE_PATH = '/webhooks/kommo-dp';

export const DP_TOKEN_API = '/dp-token';

export const DpTokenResponseSchema = z.object({ token: z.string().check(z.minLength(1)) });
export type DpTokenResponse = z.infer<typeof DpTokenResponseSchema>;
