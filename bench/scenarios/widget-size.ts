/** 6. Widget size: gzipped bytes of dist/widget/script.js (built first when missing). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../lib';

export interface WidgetSizeResult {
  bytes: number;
  gzipBytes: number;
  built: boolean;
}

export function widgetSize(): WidgetSizeResult {
  const file = join(ROOT, 'dist/widget/script.js');
  let built = false;
  if (!existsSync(file)) {
    execFileSync('npm', ['run', 'build:widget'], { cwd: ROOT, stdio: 'inherit' });
    built = true;
  }
  const content = readFileSync(file);
  return { bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length, built };
}
