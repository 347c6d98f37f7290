/**
 * Reads `.env` (or the file ENV_FILE names) into the environment before config.ts parses it.
 * Node's own parser (`util.parseEnv`, the one behind `process.loadEnvFile` and `--env-file`) and
 * Node's rule: a variable already in the real environment wins, even when it is empty.
 * https://nodejs.org/docs/latest-v20.x/api/util.html#utilparseenvcontent
 * https://nodejs.org/docs/latest-v20.x/api/process.html#processloadenvfilepath
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError } from './config';

export interface EnvFileResult {
  /** The file read; undefined when there is none. */
  path: string | undefined;
  /** Names taken from the file (not those the real environment already had). */
  loaded: string[];
}

/** Adds the file's variables that `env` lacks; a missing file is fine, a malformed line is a ConfigError. */
export function loadEnvFile(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): EnvFileResult {
  const path = resolve(cwd, env.ENV_FILE?.trim() || '.env');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !env.ENV_FILE?.trim()) return { path: undefined, loaded: [] };
    throw new ConfigError([`${path} (ENV_FILE) cannot be read: ${(error as Error).message}`]);
  }
  const parsed = parseEnv(text);
  const bad = Object.keys(parsed).filter((name) => /\s/.test(name));
  if (bad.length > 0) {
    // Node's parser glues a line without `=` to the next line's name, silently losing that
    // variable. Name the line, never its text: it may be a pasted secret.
    throw new ConfigError(bad.map((name) => `${path} line ${lineOf(text, name)}: expected NAME=value (a line without "=" hides the next one)`));
  }
  const loaded: string[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (env[name] !== undefined || value === undefined) continue;
    env[name] = value;
    loaded.push(name);
  }
  return { path, loaded };
}

function lineOf(text: string, gluedName: string): number {
  const first = gluedName.split('\n')[0]?.trim() ?? '';
  const index = text.split(/\r?\n/).findIndex((line) => line.trim().replace(/^export\s+/, '').startsWith(first));
  return index + 1;
}
