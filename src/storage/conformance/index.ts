/**
 * The storage conformance suite (re-exports only). Third-party backends import `runStorageConformance` from here
 * and call it from a node:test file; it imports `node:test`, so production code never imports this folder.
 */
export { CONFORMANCE_SUITES, runStorageConformance } from './run-storage-conformance.js';
export type { ConformanceOptions, SkipEntry } from './harness.js';
