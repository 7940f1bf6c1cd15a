/**
 * Counts SQL round trips of the networked backends, for benchmarks only. Off unless the environment variable
 * `FERRY_STORAGE_QUERY_COUNT_FILE` names a file: then every statement sent is counted and the running total is
 * written to that file (at most every 100 ms), so a benchmark can read it at the edges of its measured window.
 */

import { writeFileSync } from 'node:fs';

const file = process.env.FERRY_STORAGE_QUERY_COUNT_FILE ?? '';
let total = 0;
let written = -1;

if (file !== '') {
  setInterval(() => {
    if (total === written) return;
    written = total;
    writeFileSync(file, String(total));
  }, 100).unref();
}

/** Called once per statement sent; `undefined` (no overhead) when counting is off. */
export const countQuery: (() => void) | undefined = file === '' ? undefined : () => void total++;
