/**
 * Structured JSON logs. Secrets are redacted by key name wherever they appear, and URLs that
 * carry a webhook secret in their path are masked.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

const SECRET_KEYS = [
  'authorization',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'apiKey',
  'api_key',
  'secret',
  'clientSecret',
  'client_secret',
  'webhookSecret',
  'encryptionKey',
  'token',
  'actionToken',
  'lfk_dp_token',
  'password',
  'x-auth-token',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers["${k}"]`, `req.headers["${k}"]`]);

/** The secret path segment of `/webhooks/kommo/<secret>` never reaches a log line. */
export function maskSecretPath(path: string): string {
  return path.replace(/(\/webhooks\/kommo\/)[^/?#]+/i, '$1***');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'linear-for-kommo' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
}
