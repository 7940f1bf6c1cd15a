/**
 * The folder of Ferry's `package.json`, found by walking up from this module. Works from `src/` (tsx), from the
 * tsc output in `dist/` and from the bundle in `dist/bundle/`, so assets (`web/`) and the version are found however
 * Ferry is run.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ferry') return (cached = dir);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find Ferry\'s package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
