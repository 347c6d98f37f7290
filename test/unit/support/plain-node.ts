/**
 * Runs a CommonJS snippet in a plain Node process (with tsx, from the repository root) and returns
 * what it printed. Needed where jest's VM realm changes behaviour: errors thrown by Node internals
 * (fetch's DOMException) are not `instanceof Error` of the test realm.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export function runInPlainNode(code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', '-e', code], { cwd: ROOT, timeout: 10_000, env: { ...process.env, NODE_OPTIONS: '' } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}
