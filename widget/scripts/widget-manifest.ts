/**
 * The `manifest.json` the zip ships, made from the repository's `manifest.json` and the build
 * options: `support` from WIDGET_SUPPORT_EMAIL / WIDGET_SUPPORT_URL, and no `server_url` setting in
 * a marketplace build (its address is baked into script.js), the Digital Pipeline action's
 * `webhook_url` from the server address and KOMMO_WEBHOOK_SECRET (self-hosted builds), or the
 * one marketplace URL with a token setting per action (marketplace builds). Field meanings:
 * https://developers.kommo.com/docs/manifest-json.
 */
import { z } from 'zod';
import { DP_MARKETPLACE_PATH, DP_TOKEN_SETTING } from '../../shared/dp-api';
import type { WidgetBuildOptions } from './build-options';

const SourceSchema = z.looseObject({
  widget: z.looseObject({
    support: z.object({ link: z.string(), email: z.string() }),
  }),
  settings: z.record(z.string(), z.unknown()).optional(),
  dp: z.unknown().optional(),
});

const AnyObject = z.record(z.string(), z.unknown());
export type WidgetManifest = z.infer<typeof AnyObject>;

/** `value`'s entries in `reference`'s key order (zod puts the keys it knows first), new keys last. */
function inOrderOf(reference: WidgetManifest, value: WidgetManifest): WidgetManifest {
  const keys = [...Object.keys(reference).filter((key) => key in value), ...Object.keys(value).filter((key) => !(key in reference))];
  return Object.fromEntries(keys.map((key) => [key, value[key]]));
}

/** The manifest for this build; throws when the source lacks `widget.support`. */
export function buildManifest(source: unknown, options: WidgetBuildOptions): WidgetManifest {
  const manifest = SourceSchema.parse(source);
  const original = AnyObject.parse(source);
  const support = {
    link: options.supportUrl ?? manifest.widget.support.link,
    email: options.supportEmail ?? manifest.widget.support.email,
  };
  const built: WidgetManifest = { ...manifest, widget: inOrderOf(AnyObject.parse(original.widget), { ...manifest.widget, support }) };
  if (options.target === 'marketplace' && manifest.settings) {
    const { server_url: _serverUrl, ...settings } = manifest.settings;
    built.settings = settings;
  }
  const dp = AnyObject.safeParse(manifest.dp);
  if (dp.success && options.target === 'marketplace') {
    // One zip serves every account, and Kommo posts every account's events to the one
    // `webhook_url`: each action carries its installation's token instead, in a setting the
    // widget's dpSettings callback fills and hides.
    const settings = AnyObject.safeParse(dp.data.settings);
    built.dp = {
      ...dp.data,
      settings: { ...(settings.success ? settings.data : {}), [DP_TOKEN_SETTING]: { name: 'dp.token', type: 'text', required: false } },
      webhook_url: `${options.serverUrl}${DP_MARKETPLACE_PATH}`,
    };
  } else if (dp.success && options.serverUrl && options.dpWebhookSecret) {
    built.dp = { ...dp.data, webhook_url: `${options.serverUrl}/webhooks/kommo/${encodeURIComponent(options.dpWebhookSecret)}/dp` };
  }
  return inOrderOf(original, built);
}

/** The file's text: two-space JSON and a final newline, the repository's own format. */
export function manifestText(manifest: WidgetManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
