/** Reads the webhook fixtures of test/fixtures/{kommo,linear}/webhooks and fills their placeholders. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', 'fixtures');
export const KOMMO_WEBHOOKS = join(ROOT, 'kommo', 'webhooks');
export const LINEAR_WEBHOOKS = join(ROOT, 'linear', 'webhooks');
export const KOMMO_DP_EVENTS = join(ROOT, 'kommo', 'dp');

export const fixtureNames = (dir: string, ext: string) => readdirSync(dir).filter((f) => f.endsWith(ext)).sort();

const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the placeholder ${whole}`);
    return String(value);
  });

/** A `.form` fixture as the body Kommo would post: its pair lines joined with `&`. */
export function kommoFixture(name: string, values: Record<string, string | number>): string {
  const lines = readFileSync(join(KOMMO_WEBHOOKS, name), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return fill(lines.join('&'), values);
}

/** A `.json` fixture with its placeholders filled and `webhookTimestamp` (where present) set to now. */
export function linearFixture(name: string, values: Record<string, string | number>): { body: string; hasTimestamp: boolean } {
  const payload = JSON.parse(fill(readFileSync(join(LINEAR_WEBHOOKS, name), 'utf8'), values)) as Record<string, unknown>;
  const hasTimestamp = 'webhookTimestamp' in payload;
  if (hasTimestamp) payload.webhookTimestamp = Date.now();
  return { body: JSON.stringify(payload), hasTimestamp };
}

/** A Digital Pipeline event fixture (test/fixtures/kommo/dp/) as Kommo would post it: JSON, or a `.form` file's pairs. */
export function kommoDpFixture(name: string, values: Record<string, string | number>): string {
  const text = readFileSync(join(KOMMO_DP_EVENTS, name), 'utf8');
  if (!name.endsWith('.form')) return JSON.stringify(JSON.parse(fill(text, values)));
  return fill(text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')).join('&'), values);
}
