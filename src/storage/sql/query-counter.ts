/**
 * Counts SQL round trips of the networked backends, for benchmarks and the round-trip tests. Every statement sent
 * is counted in-process (`queriesSent`, an increment per statement). When the environment variable
 * `FERRY_STORAGE_QUERY_COUNT_FILE` names a file, the process writes its running total there each time it receives
 * SIGUSR2 (written whole: a temp file renamed over it), so a benchmark reads it at the edges of its measured window
 * without the server spending anything on it in between.
 */

import { renameSync, writeFileSync } from 'node:fs';

const file = process.env.FERRY_STORAGE_QUERY_COUNT_FILE ?? '';
let total = 0;

if (file !== '') {
  process.on('SIGUSR2', () => {
    writeFileSync(`${file}.tmp`, String(total));
    renameSync(`${file}.tmp`, file);
  });
}

/** Called once per statement sent. */
export const countQuery = (): void => void total++;

/** Statements the networked SQL backends of this process have sent so far. */
export const queriesSent = (): number => total;
