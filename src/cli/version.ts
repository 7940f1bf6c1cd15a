/** `ferry version`: the counterpart of `dex version` ("Dex Version", "Go Version", "Go OS/ARCH"). */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../lib/package-root.js';

let cached: string | undefined;

/** Ferry's version from `package.json` (two levels up from both `src/cli` and `dist/cli`). */
export function ferryVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
    cached = pkg.version ?? 'unknown';
  }
  return cached;
}

/** The three lines `ferry version` prints. */
export function versionText(): string {
  return [
    `Ferry Version: ${ferryVersion()}`,
    `Node Version: ${process.version}`,
    `Node OS/ARCH: ${process.platform} ${process.arch}`,
  ].join('\n');
}
