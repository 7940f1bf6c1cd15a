import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

/** Runs `ferry <args>` from source. */
function ferry(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { encoding: 'utf8', env: { PATH: process.env['PATH'] } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('ferry version prints three lines and exits 0', () => {
  const r = ferry('version');
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^Ferry Version: \d+\.\d+\.\d+\nNode Version: v\d+[^\n]*\nNode OS\/ARCH: \S+ \S+\n$/);
});

test('bare ferry prints the usage to stderr and exits 2; a bad flag says why', () => {
  const bare = ferry();
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /Usage:\n {2}ferry serve/);
  const bad = ferry('serve', '--bogus', 'x.yaml');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^ferry: Unknown option '--bogus'/);
});

test('an invalid config lists every issue on its own line and exits 1', () => {
  const r = ferry('serve', 'test/fixtures/config/many-errors.yaml');
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines[0], 'ferry: invalid config:');
  assert.ok(lines.includes('  issuer: must be an absolute http or https URL'), r.stderr);
  assert.ok(lines.includes('  connectors[1].config.username: required'), r.stderr);
  assert.ok(lines.length > 20);
});
