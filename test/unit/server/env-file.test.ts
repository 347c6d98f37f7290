import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ConfigError } from '../../../server/config';
import { loadEnvFile } from '../../../server/env-file';

describe('loadEnvFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lfk-env-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string, name = '.env') => writeFileSync(join(dir, name), text);

  it('adds what the environment lacks; real variables win, even empty ones', () => {
    write('PORT=4000\nLOG_LEVEL=debug\nexport LINEAR_TEAM=ENG\n# a comment\nKOMMO_ACCOUNT_ID=\nSETTINGS_JSON=\'{"a": 1} # not a comment\'\n');
    const env: Record<string, string | undefined> = { PORT: '5000', LOG_LEVEL: '' };
    const result = loadEnvFile(env, dir);
    expect(env).toEqual({ PORT: '5000', LOG_LEVEL: '', LINEAR_TEAM: 'ENG', KOMMO_ACCOUNT_ID: '', SETTINGS_JSON: '{"a": 1} # not a comment' });
    expect(result.path).toBe(join(dir, '.env'));
    expect([...result.loaded].sort()).toEqual(['KOMMO_ACCOUNT_ID', 'LINEAR_TEAM', 'SETTINGS_JSON']);
  });

  it('is fine without a .env file', () => {
    const env: Record<string, string | undefined> = { PORT: '5000' };
    expect(loadEnvFile(env, dir)).toEqual({ path: undefined, loaded: [] });
    expect(env).toEqual({ PORT: '5000' });
  });

  it('reads the file ENV_FILE names, and stops when that file is missing', () => {
    write('PORT=4100\n', 'other.env');
    const env: Record<string, string | undefined> = { ENV_FILE: 'other.env' };
    loadEnvFile(env, dir);
    expect(env.PORT).toBe('4100');
    expect(() => loadEnvFile({ ENV_FILE: 'missing.env' }, dir)).toThrow(/missing\.env \(ENV_FILE\) cannot be read/);
  });

  it('names the malformed line, and not its text (it may be a pasted secret)', () => {
    write('PORT=4000\nlin_api_pasted secret\nLINEAR_API_KEY=lin_api_x\n');
    const env: Record<string, string | undefined> = {};
    let error: unknown;
    try {
      loadEnvFile(env, dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('.env line 2: expected NAME=value');
    expect((error as Error).message).not.toContain('pasted');
    expect(env).toEqual({});
  });

  it('gives what process.loadEnvFile gives for the same file and environment', async () => {
    write('A=from-file\nB=from-file\nC="two\nlines"\nD=1 # comment\nE=\n');
    const code = `const f=${JSON.stringify(join(dir, '.env'))};
      process.loadEnvFile(f);
      console.log(JSON.stringify(Object.fromEntries(['A','B','C','D','E'].map((k)=>[k,process.env[k]]))));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', code], { env: { PATH: process.env.PATH ?? '', A: 'real', B: '' } });
    const ours: Record<string, string | undefined> = { A: 'real', B: '' };
    loadEnvFile(ours, dir);
    expect(ours).toEqual(JSON.parse(stdout));
    expect(ours).toMatchObject({ A: 'real', B: '', C: 'two\nlines', D: '1' });
  });
});
