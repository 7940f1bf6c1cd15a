/**
 * The WebAuthn library (with its X.509/ASN.1 stack) and the QR code library are loaded at the first ceremony or
 * enrolment, not when the MFA routes are registered: every `ferry serve` registers them, most never use them
 * (issue 13 item 6, idle memory; bench/README.md).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

const LAZY = ['@simplewebauthn/server', 'qrcode'];

test('loading the route table (every MFA handler) loads neither the WebAuthn nor the QR code library', () => {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/helpers/record-imports.mjs', '--input-type=module', '-e', "await import('./src/server/routes.ts');"],
    { encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  const imported = r.stdout.split('\n').filter((l) => l.startsWith('IMPORTED ')).map((l) => l.slice(9));
  assert.ok(imported.includes('otplib'), 'the recorder works (the TOTP library is loaded with the routes)');
  const eager = imported.filter((s) => LAZY.some((l) => s === l || s.startsWith(`${l}/`)));
  assert.deepEqual(eager, [], `loaded eagerly: ${eager.join(', ')}`);
});
