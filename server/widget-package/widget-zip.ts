/**
 * The widget package this server hands out at `/widget.zip`: the built widget (`dist/widget/`,
 * made by `npm run build:widget`) with this server's public address written into script.js, so an
 * admin uploads it to Kommo and types no server address anywhere. The archive is made once per
 * build and kept; a new build (script.js changed on disk) makes the next request rebuild it.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { ZipFile } from 'yazl';
import { withServerUrl } from '../../shared/server-url-marker';

/** Where `npm run build:widget` writes the widget; one folder up from both server/ and dist/server/. */
export const WIDGET_BUILD_DIR = resolve(__dirname, '..', '..', 'dist', 'widget');

export interface WidgetZip {
  /** The archive and its ETag; undefined when the widget has not been built on this machine. */
  get(): Promise<{ body: Buffer; etag: string } | undefined>;
}

export function createWidgetZip(options: { dir?: string; serverUrl: string }): WidgetZip {
  const dir = options.dir ?? WIDGET_BUILD_DIR;
  let cached: { signature: string; zip: Promise<{ body: Buffer; etag: string }> } | undefined;
  return {
    async get() {
      const script = await stat(join(dir, 'script.js')).catch(() => undefined);
      if (!script?.isFile()) return undefined;
      const signature = `${script.mtimeMs}:${script.size}`;
      if (cached?.signature !== signature) {
        const zip = buildZip(dir, options.serverUrl);
        cached = { signature, zip };
        // A failed read is not kept: the next request tries again.
        zip.catch(() => {
          if (cached?.zip === zip) cached = undefined;
        });
      }
      return cached.zip;
    },
  };
}

async function buildZip(dir: string, serverUrl: string): Promise<{ body: Buffer; etag: string }> {
  const files = await listFiles(dir);
  const zip = new ZipFile();
  for (const file of files) {
    // Kommo reads the archive's files at its root, so names are relative to the widget folder.
    const name = relative(dir, file).split(sep).join('/');
    const content = await readFile(file);
    const body = name === 'script.js' ? Buffer.from(withServerUrl(content.toString('utf8'), serverUrl), 'utf8') : content;
    // A fixed time keeps the archive, and so its ETag, the same for the same build.
    zip.addBuffer(body, name, { mtime: new Date(Date.UTC(2026, 0, 1)) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
