/**
 * The one place that reads the environment. Parsed once at start into a frozen, typed object;
 * every problem is reported at once, with what to set.
 */
import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s/]+/.test(v), `${name} must be an http(s) URL such as https://example.com`)
    .transform((v) => v.replace(/\/+$/, ''));

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const EnvSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().trim().default('0.0.0.0'),
  HEALTH_PORT: int(0, 65535).optional(),
  METRICS_TOKEN: optionalString,
  PUBLIC_URL: url('PUBLIC_URL').optional(),
  DATABASE_URL: optionalString,
  DATA_DIR: z.string().trim().default('./data'),
  ENCRYPTION_KEY: optionalString,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LINEAR_API_URL: url('LINEAR_API_URL').default('https://api.linear.app/graphql'),
  HTTP_TIMEOUT_MS: int(100, 120_000).default(10_000),
  HTTP_HEADERS_TIMEOUT_SECONDS: int(1, 300).default(10),
  HTTP_REQUEST_TIMEOUT_SECONDS: int(1, 600).default(30),
  HTTP_BODY_TIMEOUT_SECONDS: int(1, 600).default(10),
  MAX_CONNECTIONS: int(1, 1_000_000).default(1000),
  KOMMO_RATE_LIMIT_PER_SECOND: int(1, 50).default(7),
  JOB_CONCURRENCY: int(0, 100).default(10),
  JOB_RETRY_LIMIT: int(0, 50).default(12),
  JOB_TIMEOUT_SECONDS: int(2, 3600).default(120),
  RECONCILE_INTERVAL_SECONDS: int(0, 86_400).default(300),
  WON_POLL_INTERVAL_SECONDS: int(0, 86_400).default(60),
  KOMMO_ACCESS_CHECK_INTERVAL_SECONDS: int(0, 86_400).default(300),
  REGISTER_WEBHOOKS: z.enum(['auto', 'true', 'false']).default('auto'),
  // Single-account (private integration) mode.
  KOMMO_BASE_URL: url('KOMMO_BASE_URL').optional(),
  KOMMO_ACCESS_TOKEN: optionalString,
  KOMMO_WEBHOOK_SECRET: optionalString,
  KOMMO_ACCOUNT_ID: z.coerce.number().int().positive().optional(),
  KOMMO_CLIENT_ID: optionalString,
  KOMMO_CLIENT_SECRET: optionalString,
  LINEAR_API_KEY: optionalString,
  LINEAR_TEAM: optionalString,
  LINEAR_WEBHOOK_SECRET: optionalString,
  // Linear OAuth app (marketplace): off when the id and secret are unset.
  LINEAR_CLIENT_ID: optionalString,
  LINEAR_CLIENT_SECRET: optionalString,
  LINEAR_OAUTH_SCOPES: optionalString,
  LINEAR_OAUTH_AUTHORIZE_URL: url('LINEAR_OAUTH_AUTHORIZE_URL').default('https://linear.app/oauth/authorize'),
  KOMMO_OAUTH_HOSTS: z.string().trim().default('*.kommo.com,*.amocrm.ru,*.amocrm.com'),
  SETTINGS_JSON: optionalString,
  SETTINGS_FILE: optionalString,
});

export type Env = z.input<typeof EnvSchema>;

export interface SingleAccountConfig {
  kommoBaseUrl: string;
  kommoAccessToken: string;
  kommoWebhookSecret: string;
  kommoAccountId: number | undefined;
  kommoClientId: string | undefined;
  kommoClientSecret: string | undefined;
  linearApiKey: string;
  linearTeam: string | undefined;
  linearWebhookSecret: string | undefined;
  /** Raw settings from SETTINGS_JSON or SETTINGS_FILE; validated by the settings schema. */
  settingsSource: { kind: 'json'; text: string } | { kind: 'file'; path: string } | undefined;
}

export interface Config {
  port: number;
  host: string;
  /** A second listener for /healthz, /readyz and /metrics only, so probes are answered under any flood of the main port. */
  healthPort: number | undefined;
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  encryptionKey: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  linearApiUrl: string;
  httpTimeoutMs: number;
  /** Limits of the HTTP listener, against slow or many clients (README, Operations). */
  http: HttpLimits;
  kommoRateLimitPerSecond: number;
  jobConcurrency: number;
  jobRetryLimit: number;
  /** A job running longer is presumed dead (its process crashed) and is retried. */
  jobTimeoutSeconds: number;
  /** How often linked issues are re-read from Linear (0 = never). */
  reconcileIntervalSeconds: number;
  /** How often Kommo is polled for won deals (0 = never). */
  wonPollIntervalSeconds: number;
  /** How often an account Kommo refuses (unpaid, restricted, token refused) is asked again (0 = never). */
  kommoAccessCheckIntervalSeconds: number;
  /** Register the Kommo and Linear webhooks at start ('auto': when PUBLIC_URL is https). */
  registerWebhooks: boolean;
  singleAccount: SingleAccountConfig | undefined;
  /** Marketplace installs (Kommo OAuth): on when KOMMO_CLIENT_ID and KOMMO_CLIENT_SECRET are set. */
  kommoOAuth: { clientId: string; clientSecret: string; redirectUri: string; allowedHosts: RegExp[] } | undefined;
  /** "Connect Linear" (Linear OAuth, actor=app): on when LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET are set. */
  linearOAuth: LinearOAuthConfig | undefined;
}

export interface LinearOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Comma-separated in the authorize URL; `admin` only when the admin opts into webhook registration. */
  scopes: string[];
  redirectUri: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  /** LINEAR_WEBHOOK_SECRET: with OAuth, the signing secret of the app's webhook (one for every workspace). */
  webhookSecret: string | undefined;
}

/** The least that creates issues, attachments and comments (https://linear.app/developers/oauth-2-0-authentication). */
export const DEFAULT_LINEAR_SCOPES = ['read', 'write', 'issues:create', 'comments:create'];
const LINEAR_SCOPE_NAMES = new Set([...DEFAULT_LINEAR_SCOPES, 'admin', 'timeSchedule:write', 'app:assignable', 'app:mentionable']);

export interface HttpLimits {
  /** A client must finish its request headers within this time (Node's `headersTimeout`). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, within this time (Node's `requestTimeout`). */
  requestTimeoutMs: number;
  /** A body must be read completely within this time from when the route starts reading it. */
  bodyTimeoutMs: number;
  /** Concurrent connections; more are closed at once (Node's `server.maxConnections`). */
  maxConnections: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SINGLE_ACCOUNT_REQUIRED = ['KOMMO_BASE_URL', 'KOMMO_ACCESS_TOKEN', 'KOMMO_WEBHOOK_SECRET', 'LINEAR_API_KEY'] as const;

/** Parses the environment; throws a ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty value (`KOMMO_ACCOUNT_ID=` in a .env file) means unset.
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '')) as Record<string, string>;
  const parsed = EnvSchema.safeParse(given);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`);

  const givenSingle = SINGLE_ACCOUNT_REQUIRED.filter((k) => given[k] !== undefined);
  if (givenSingle.length > 0 && givenSingle.length < SINGLE_ACCOUNT_REQUIRED.length) {
    const missing = SINGLE_ACCOUNT_REQUIRED.filter((k) => given[k] === undefined);
    problems.push(
      `single-account mode needs ${SINGLE_ACCOUNT_REQUIRED.join(', ')}; set ${missing.join(', ')} (or unset ${givenSingle.join(', ')})`,
    );
  }
  const webhookSecret = given.KOMMO_WEBHOOK_SECRET?.trim();
  if (webhookSecret !== undefined && webhookSecret.length < 16) {
    problems.push('KOMMO_WEBHOOK_SECRET must be at least 16 characters (it is the only proof a webhook is from Kommo)');
  }
  const encryptionKey = given.ENCRYPTION_KEY?.trim();
  if (given.DATABASE_URL !== undefined && encryptionKey === undefined) {
    problems.push(
      'ENCRYPTION_KEY is required with DATABASE_URL: set it to 32 random bytes in base64 (openssl rand -base64 32)',
    );
  }
  if (encryptionKey !== undefined && Buffer.from(encryptionKey, 'base64').length !== 32) {
    problems.push('ENCRYPTION_KEY must be 32 bytes encoded in base64 (openssl rand -base64 32)');
  }
  if (given.JOB_CONCURRENCY?.trim() === '0' && given.DATABASE_URL === undefined) {
    problems.push('JOB_CONCURRENCY=0 (this process runs no jobs) needs DATABASE_URL: with the embedded database no other process could run them');
  }
  if (given.METRICS_TOKEN !== undefined && given.METRICS_TOKEN.trim().length < 16) {
    problems.push('METRICS_TOKEN must be at least 16 characters (openssl rand -hex 16)');
  }
  if (given.SETTINGS_JSON !== undefined && given.SETTINGS_FILE !== undefined) {
    problems.push('set SETTINGS_JSON or SETTINGS_FILE, not both');
  }
  if (Number(given.HTTP_HEADERS_TIMEOUT_SECONDS ?? 10) > Number(given.HTTP_REQUEST_TIMEOUT_SECONDS ?? 30)) {
    problems.push('HTTP_HEADERS_TIMEOUT_SECONDS must not exceed HTTP_REQUEST_TIMEOUT_SECONDS (the headers are part of the request)');
  }
  if ((given.LINEAR_CLIENT_ID === undefined) !== (given.LINEAR_CLIENT_SECRET === undefined)) {
    problems.push('Linear OAuth needs both LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET (the OAuth app\'s client id and secret)');
  }
  const unknownScopes = scopesOf(given.LINEAR_OAUTH_SCOPES).filter((s) => !LINEAR_SCOPE_NAMES.has(s));
  if (unknownScopes.length > 0) problems.push(`LINEAR_OAUTH_SCOPES has unknown scopes: ${unknownScopes.join(', ')} (known: ${[...LINEAR_SCOPE_NAMES].join(', ')})`);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const single =
    e.KOMMO_BASE_URL && e.KOMMO_ACCESS_TOKEN && e.KOMMO_WEBHOOK_SECRET && e.LINEAR_API_KEY
      ? {
          kommoBaseUrl: e.KOMMO_BASE_URL,
          kommoAccessToken: e.KOMMO_ACCESS_TOKEN,
          kommoWebhookSecret: e.KOMMO_WEBHOOK_SECRET,
          kommoAccountId: e.KOMMO_ACCOUNT_ID,
          kommoClientId: e.KOMMO_CLIENT_ID,
          kommoClientSecret: e.KOMMO_CLIENT_SECRET,
          linearApiKey: e.LINEAR_API_KEY,
          linearTeam: e.LINEAR_TEAM,
          linearWebhookSecret: e.LINEAR_WEBHOOK_SECRET,
          settingsSource: e.SETTINGS_JSON
            ? ({ kind: 'json', text: e.SETTINGS_JSON } as const)
            : e.SETTINGS_FILE
              ? ({ kind: 'file', path: e.SETTINGS_FILE } as const)
              : undefined,
        }
      : undefined;

  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    healthPort: e.HEALTH_PORT,
    metricsToken: e.METRICS_TOKEN,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    encryptionKey: e.ENCRYPTION_KEY,
    logLevel: e.LOG_LEVEL,
    linearApiUrl: e.LINEAR_API_URL,
    httpTimeoutMs: e.HTTP_TIMEOUT_MS,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
      bodyTimeoutMs: e.HTTP_BODY_TIMEOUT_SECONDS * 1000,
      maxConnections: e.MAX_CONNECTIONS,
    },
    kommoRateLimitPerSecond: e.KOMMO_RATE_LIMIT_PER_SECOND,
    jobConcurrency: e.JOB_CONCURRENCY,
    jobRetryLimit: e.JOB_RETRY_LIMIT,
    jobTimeoutSeconds: e.JOB_TIMEOUT_SECONDS,
    reconcileIntervalSeconds: e.RECONCILE_INTERVAL_SECONDS,
    wonPollIntervalSeconds: e.WON_POLL_INTERVAL_SECONDS,
    kommoAccessCheckIntervalSeconds: e.KOMMO_ACCESS_CHECK_INTERVAL_SECONDS,
    registerWebhooks: e.REGISTER_WEBHOOKS === 'auto' ? (e.PUBLIC_URL ?? '').startsWith('https://') : e.REGISTER_WEBHOOKS === 'true',
    singleAccount: single,
    kommoOAuth:
      e.KOMMO_CLIENT_ID && e.KOMMO_CLIENT_SECRET
        ? {
            clientId: e.KOMMO_CLIENT_ID,
            clientSecret: e.KOMMO_CLIENT_SECRET,
            redirectUri: `${e.PUBLIC_URL ?? `http://localhost:${e.PORT}`}/oauth/kommo/callback`,
            allowedHosts: e.KOMMO_OAUTH_HOSTS.split(',').map((p) => p.trim()).filter(Boolean).map(hostPattern),
          }
        : undefined,
    linearOAuth:
      e.LINEAR_CLIENT_ID && e.LINEAR_CLIENT_SECRET
        ? {
            clientId: e.LINEAR_CLIENT_ID,
            clientSecret: e.LINEAR_CLIENT_SECRET,
            scopes: e.LINEAR_OAUTH_SCOPES ? scopesOf(e.LINEAR_OAUTH_SCOPES) : DEFAULT_LINEAR_SCOPES,
            redirectUri: `${e.PUBLIC_URL ?? `http://localhost:${e.PORT}`}/oauth/linear/callback`,
            authorizeUrl: e.LINEAR_OAUTH_AUTHORIZE_URL,
            // The token and revoke endpoints live on the API host (api.linear.app), beside /graphql.
            tokenUrl: `${new URL(e.LINEAR_API_URL).origin}/oauth/token`,
            revokeUrl: `${new URL(e.LINEAR_API_URL).origin}/oauth/revoke`,
            webhookSecret: e.LINEAR_WEBHOOK_SECRET,
          }
        : undefined,
  });
}

function scopesOf(list: string | undefined): string[] {
  return (list ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** `*.kommo.com` → a regex for one host label; `127.0.0.1:*` → any port. */
function hostPattern(pattern: string): RegExp {
  const escaped = pattern.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[a-z0-9-]+');
  return new RegExp(`^${escaped}$`);
}
