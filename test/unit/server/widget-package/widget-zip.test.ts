/** The zip the server hands out: the built files at the archive root, its own address in script.js, rebuilt after a new build. */
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWidgetZip } from '../../../../server/widget-package/widget-zip';
import { readZip } from '../../../widget/support/read-zip';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'widget-zip-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function unzip(body: Buffer): Promise<Map<string, Buffer>> {
  const file = join(dir, 'out.zip');
  await writeFile(file, body);
  return readZip(file);
}

async function writeBuild(script: string): Promise<void> {
  await mkdir(join(dir, 'build', 'images'), { recursive: true });
  await writeFile(join(dir, 'build', 'script.js'), script);
  await writeFile(join(dir, 'build', 'manifest.json'), '{"widget":{}}');
  await writeFile(join(dir, 'build', 'images', 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
}

it('is undefined before the widget is built', async () => {
  expect(await createWidgetZip({ dir: join(dir, 'build'), serverUrl: 'https://lfk.test' }).get()).toBeUndefined();
});

it('holds every built file at the root, with the server address written into script.js', async () => {
  await writeBuild('define(function(){return "<<LFK_SERVER_URL:>>"})');
  const zip = await createWidgetZip({ dir: join(dir, 'build'), serverUrl: 'https://lfk.test/base/' }).get();
  if (!zip) throw new Error('no zip');
  const files = await unzip(zip.body);
  expect([...files.keys()].sort()).toEqual(['images/logo.png', 'manifest.json', 'script.js']);
  expect(files.get('script.js')?.toString()).toBe('define(function(){return "<<LFK_SERVER_URL:https://lfk.test/base>>"})');
  expect(files.get('images/logo.png')).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
});

it('keeps one archive per build and makes a new one after a rebuild', async () => {
  await writeBuild('a("<<LFK_SERVER_URL:>>")');
  const widgetZip = createWidgetZip({ dir: join(dir, 'build'), serverUrl: 'https://lfk.test' });
  const first = await widgetZip.get();
  expect((await widgetZip.get())?.body).toBe(first?.body);
  await writeBuild('b("<<LFK_SERVER_URL:>>")');
  // A build within the same millisecond still changes the size; make the time differ as well.
  await utimes(join(dir, 'build', 'script.js'), new Date(), new Date(Date.now() + 5000));
  const second = await widgetZip.get();
  expect(second?.etag).not.toBe(first?.etag);
  expect((await unzip(second?.body ?? Buffer.alloc(0))).get('script.js')?.toString()).toBe('b("<<LFK_SERVER_URL:https://lfk.test>>")');
});

it('refuses a build whose script.js has no address marker, and tries again on the next request', async () => {
  await writeBuild('no marker here');
  const widgetZip = createWidgetZip({ dir: join(dir, 'build'), serverUrl: 'https://lfk.test' });
  await expect(widgetZip.get()).rejects.toThrow(/exactly one server address marker/);
  await writeBuild('c("<<LFK_SERVER_URL:>>")');
  await utimes(join(dir, 'build', 'script.js'), new Date(), new Date(Date.now() + 10000));
  expect(await widgetZip.get()).toBeDefined();
});
