/**
 * Counts SQL round trips of the networked backends, for benchmarks and the round-trip tests. Every statement sent
 * is counted in-process (`queriesSent`, an increment per statement). When the environment variable
 * `FERRY_STORAGE_QUERY_COUNT_FILE` names a file, the running total is also written there (at most every 100 ms),
 * so a benchmark can read it from outside the server at the edges of its measured window.
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

/** Called once per statement sent. */
export const countQuery = (): void => void total++;

/** Statements the networked SQL backends of this process have sent so far. */
export const queriesSent = (): number => total;
