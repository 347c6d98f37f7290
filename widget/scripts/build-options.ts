/**
 * What `npm run build:widget` reads from the environment, parsed once into typed options. Every
 * problem is reported at once, with the variable to set (widget/README.md, "Build variables").
 *
 * - `WIDGET_TARGET`: `self-hosted` (default) or `marketplace`.
 * - `WIDGET_SERVER_URL`, else `PUBLIC_URL`: the server address baked into script.js.
 * - `WIDGET_SUPPORT_EMAIL`, `WIDGET_SUPPORT_URL`: the manifest's `support.email` / `support.link`.
 *
 * A marketplace build is what every Kommo account installs: it must name a real server and real
 * support contacts, so it refuses empty values, example domains and loopback addresses.
 */
import { z } from 'zod';
import { normalizeServerUrl, ServerUrlError } from '../../shared/server-url-marker';

export const WIDGET_TARGETS = ['self-hosted', 'marketplace'] as const;
export type WidgetTarget = (typeof WIDGET_TARGETS)[number];

export interface WidgetBuildOptions {
  target: WidgetTarget;
  /** Baked into script.js; '' when none (the widget then needs its `server_url` setting). */
  serverUrl: string;
  /** The variable the address came from, for the build's log. */
  serverUrlFrom: 'WIDGET_SERVER_URL' | 'PUBLIC_URL' | undefined;
  /** undefined: keep the manifest's own value (self-hosted builds only). */
  supportEmail: string | undefined;
  supportUrl: string | undefined;
  /**
   * KOMMO_WEBHOOK_SECRET of a self-hosted build: with the server address it makes the Digital
   * Pipeline action's `webhook_url` (the manifest's `dp` block). Absent when not set.
   */
  dpWebhookSecret?: string;
}

export class WidgetBuildError extends Error {
  constructor(readonly problems: string[]) {
    super(`The widget build is misconfigured:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'WidgetBuildError';
  }
}

const given = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const EnvSchema = z.object({
  WIDGET_TARGET: given.pipe(z.enum(WIDGET_TARGETS, { error: `must be ${WIDGET_TARGETS.join(' or ')}` }).default('self-hosted')),
  WIDGET_SERVER_URL: given,
  PUBLIC_URL: given,
  WIDGET_SUPPORT_EMAIL: given.pipe(z.email({ error: 'must be an email address such as support@yourcompany.com' }).optional()),
  WIDGET_SUPPORT_URL: given,
  KOMMO_WEBHOOK_SECRET: given,
});

/** Domains reserved for documentation (RFC 2606): never a real contact or server. */
export function isExampleHost(host: string): boolean {
  return /(^|\.)example\.(com|net|org)$|(^|\.)example$/i.test(host.replace(/\.$/, ''));
}

function isLoopbackHost(host: string): boolean {
  return /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i.test(host) || /\.localhost$/i.test(host);
}

/** Checks a support link: an http(s) URL; https and a real domain for the marketplace. */
function supportUrlProblem(value: string, marketplace: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `WIDGET_SUPPORT_URL: "${value}" is not a URL; write it like https://yourcompany.com/support`;
  }
  if (url.protocol !== 'https:' && (marketplace || url.protocol !== 'http:')) return `WIDGET_SUPPORT_URL: "${value}" must start with https://`;
  if (marketplace && isExampleHost(url.hostname)) return `WIDGET_SUPPORT_URL: "${value}" is a placeholder (${url.hostname}); a marketplace build needs your real support page`;
  return undefined;
}

function marketplaceProblems(options: WidgetBuildOptions): string[] {
  const problems: string[] = [];
  if (!options.serverUrl) {
    problems.push('WIDGET_SERVER_URL (or PUBLIC_URL): a marketplace build has no server_url setting, so it must bake the server address in; set it to your server, e.g. https://linear-kommo.yourcompany.com');
  } else {
    const { protocol, hostname } = new URL(options.serverUrl);
    if (protocol !== 'https:') problems.push(`${options.serverUrlFrom}: "${options.serverUrl}" must be https:// for a marketplace build (Kommo pages are https)`);
    if (isExampleHost(hostname) || isLoopbackHost(hostname)) {
      problems.push(`${options.serverUrlFrom}: "${options.serverUrl}" cannot be reached by Kommo accounts; a marketplace build needs your server's public address`);
    }
  }
  if (!options.supportEmail) problems.push('WIDGET_SUPPORT_EMAIL: a marketplace build needs the support email Kommo shows to users');
  else if (isExampleHost(options.supportEmail.split('@').pop() ?? '')) {
    problems.push(`WIDGET_SUPPORT_EMAIL: "${options.supportEmail}" is a placeholder; a marketplace build needs your real support email`);
  }
  if (!options.supportUrl) problems.push('WIDGET_SUPPORT_URL: a marketplace build needs the support page Kommo links to');
  return problems;
}

/** Parses the build's environment; throws a WidgetBuildError listing every problem. */
export function parseBuildOptions(env: Record<string, string | undefined>): WidgetBuildOptions {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) throw new WidgetBuildError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  const marketplace = e.WIDGET_TARGET === 'marketplace';
  const problems: string[] = [];

  const serverUrlFrom = e.WIDGET_SERVER_URL !== undefined ? 'WIDGET_SERVER_URL' : e.PUBLIC_URL !== undefined ? 'PUBLIC_URL' : undefined;
  let serverUrl = '';
  if (serverUrlFrom) {
    try {
      serverUrl = normalizeServerUrl(e[serverUrlFrom] ?? '', serverUrlFrom);
    } catch (error) {
      if (!(error instanceof ServerUrlError)) throw error;
      problems.push(error.message);
    }
  }
  const urlProblem = e.WIDGET_SUPPORT_URL === undefined ? undefined : supportUrlProblem(e.WIDGET_SUPPORT_URL, marketplace);
  if (urlProblem) problems.push(urlProblem);

  const options: WidgetBuildOptions = {
    target: e.WIDGET_TARGET,
    serverUrl,
    serverUrlFrom,
    supportEmail: e.WIDGET_SUPPORT_EMAIL,
    supportUrl: e.WIDGET_SUPPORT_URL,
    ...(!marketplace && e.KOMMO_WEBHOOK_SECRET ? { dpWebhookSecret: e.KOMMO_WEBHOOK_SECRET } : {}),
  };
  if (marketplace && problems.length === 0) problems.push(...marketplaceProblems(options));
  if (problems.length > 0) throw new WidgetBuildError(problems);
  return options;
}
