import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authenticatorStep, continueURL, signStep, STEP, verifyStep } from './step-mac.js';

const req = { id: 'req1', hmacKey: new Uint8Array(32).fill(9) };
const other = { id: 'req2', hmacKey: new Uint8Array(32).fill(9) };

test('a verifier is good for one step of one request only', () => {
  const mac = signStep(req, STEP.continue);
  assert.equal(verifyStep(req, mac, STEP.continue), true);
  for (const step of [STEP.approved, STEP.approval, STEP.mfa]) assert.equal(verifyStep(req, mac, step), false, step);
  assert.equal(verifyStep(other, mac, STEP.continue), false, 'another request');
  assert.equal(verifyStep({ ...req, hmacKey: new Uint8Array(32) }, mac, STEP.continue), false, 'another key');
  assert.equal(verifyStep(req, '', STEP.continue), false);
});

test('attack: an authenticator named "approved" or "continue" cannot mint the flow\'s verifiers', () => {
  for (const id of ['approved', 'step:approved', 'continue']) {
    const mac = signStep(req, authenticatorStep(id));
    assert.equal(verifyStep(req, mac, STEP.approved), false, id);
    assert.equal(verifyStep(req, mac, STEP.continue), false, id);
  }
});

test('continueURL: the dispatcher under the issuer path, with req and the continue verifier', () => {
  const u = new URL(continueURL('/dex', req), 'https://id.example');
  assert.equal(u.pathname, '/dex/auth');
  assert.equal(u.searchParams.get('req'), 'req1');
  assert.equal(verifyStep(req, u.searchParams.get('hmac') ?? '', STEP.continue), true);
});
