import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ferryVersion, versionText } from './version.js';

test('version text names Ferry, Node and the platform', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
  assert.equal(ferryVersion(), pkg.version);
  assert.deepEqual(versionText().split('\n'), [
    `Ferry Version: ${pkg.version}`,
    `Node Version: ${process.version}`,
    `Node OS/ARCH: ${process.platform} ${process.arch}`,
  ]);
});
