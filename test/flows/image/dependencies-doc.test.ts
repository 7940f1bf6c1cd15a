/**
 * DEPENDENCIES.md keeps up with package.json: every runtime dependency (including the optional drivers) has a row
 * with its reason and the cost of replacing it, and no row names a package Ferry does not depend on.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, string> | undefined>;
const runtime = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }).sort();
const rows = readFileSync('DEPENDENCIES.md', 'utf8').split('\n').filter((l) => l.startsWith('| `'));
const documented = new Map(rows.map((r) => [/^\| `([^`]+)`/.exec(r)![1]!, r.split(' | ')]));

test('every runtime dependency has a row with a reason and a cost, and only those', () => {
  assert.deepEqual([...documented.keys()].sort(), runtime);
  for (const [name, cells] of documented) {
    assert.equal(cells.length, 3, `${name}: package, why, cost`);
    assert.ok(cells.every((c) => c.replace(/\|/g, '').trim().length > 3), `${name}: no empty cell`);
    assert.doesNotMatch(cells.join(' '), /reserved/i, `${name}: a dependency is used, not reserved`);
  }
});
