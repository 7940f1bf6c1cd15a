/**
 * Loading the registry (what every `ferry serve` does) must not load the drivers and protocol libraries of
 * backends and connectors that the config does not use: each entry parses its config eagerly (small zod schemas) and
 * imports its implementation only when opened. Keeps idle memory low and start-up fast.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const HEAVY = ['kysely', 'better-sqlite3', 'pg', 'mysql2', 'etcd3', 'ldapts', 'openid-client', 'xml-crypto', '@xmldom/xmldom', '@connectrpc/connect-node', '@grpc/grpc-js'];

test('importing the registry loads no driver or protocol library', () => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/record-imports.mjs', '--input-type=module', '-e', "await import('./src/config/registry.ts');"],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const imported = r.stdout.split('\n').filter((l) => l.startsWith('IMPORTED ')).map((l) => l.slice(9));
  assert.ok(imported.includes('zod'), 'the recorder works (zod is loaded for config schemas)');
  const heavy = imported.filter((s) => HEAVY.some((h) => s === h || s.startsWith(`${h}/`)));
  assert.deepEqual(heavy, [], `loaded eagerly: ${heavy.join(', ')}`);
});
