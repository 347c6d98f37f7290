/** `GET /widget.zip`: the package `npm run build:widget` made, with this server's address in it. */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverUrlIn, withServerUrl } from '../../shared/server-url-marker';
import { startStack, type Stack } from '../helpers/stack';
import { readZip } from '../widget/support/read-zip';

const START_MS = 120_000;
let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startStack();
  dir = await mkdtemp(join(tmpdir(), 'widget-zip-'));
}, START_MS);
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
}, START_MS);

it('answers the built widget, files at the root, script.js pointing at this server', async () => {
  const response = await fetch(`${stack.server.url}/widget.zip`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/zip');
  expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="linear-for-kommo-widget\.zip"/);
  await writeFile(join(dir, 'served.zip'), Buffer.from(await response.arrayBuffer()));
  const served = await readZip(join(dir, 'served.zip'));
  const built = await readZip(join(__dirname, '../../dist/widget.zip'));
  expect([...served.keys()].sort()).toEqual([...built.keys()].sort());
  expect(serverUrlIn(served.get('script.js')?.toString('utf8') ?? '')).toBe(stack.config.publicUrl);
  expect(served.get('manifest.json')).toEqual(built.get('manifest.json'));
  // Only the address differs from what the build wrote.
  const withoutAddress = (text: string) => withServerUrl(text, '');
  const same = withoutAddress(served.get('script.js')?.toString('utf8') ?? '') === withoutAddress(readFileSync(join(__dirname, '../../dist/widget/script.js'), 'utf8'));
  // A boolean: a failed comparison of two minified bundles would print both in full.
  expect(same).toBe(true);

  const again = await fetch(`${stack.server.url}/widget.zip`, { headers: { 'if-none-match': response.headers.get('etag') ?? '' } });
  expect(again.status).toBe(304);
});
