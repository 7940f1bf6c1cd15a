/**
 * The glue between sub-suites and node:test: every test gets a fresh storage from `open()` and closes it after,
 * and tests named in the skip list are reported as skipped with their reason (never silently passed).
 */

import { test } from 'node:test';
import type { Storage } from '../storage.js';

export interface SkipEntry {
  /** `Suite` (e.g. `TransactionTests`) or `Suite/test name` (e.g. `ClientCRUD/update`). */
  tests: string[];
  reason: string;
}

export interface ConformanceOptions {
  /** Shown as the outer `describe` (e.g. `sqlite3 (temp file)`). */
  name: string;
  /** A fresh, empty storage per call. */
  open: () => Promise<Storage>;
  skip?: SkipEntry[];
}

export interface Harness {
  test(name: string, fn: (s: Storage) => Promise<void>): void;
}

export function createHarness(opts: ConformanceOptions, suite: string): Harness {
  const reasonFor = (name: string): string | undefined =>
    opts.skip?.find((e) => e.tests.includes(suite) || e.tests.includes(`${suite}/${name}`))?.reason;
  return {
    test(name, fn) {
      const reason = reasonFor(name);
      test(name, reason ? { skip: reason } : {}, async () => {
        const s = await opts.open();
        try {
          await fn(s);
        } finally {
          await s.close();
        }
      });
    },
  };
}
