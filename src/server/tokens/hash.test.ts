import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { tokenHash } from './hash.js';

test('OIDC Core examples (RS256): at_hash and c_hash', () => {
  // OpenID Connect Core 1.0, Appendix A.4 / A.6 (access token and code of the non-normative examples).
  assert.equal(tokenHash('jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y', 'RS256'), '77QmUPtjPfzWtF2AnpK9RQ');
  assert.equal(tokenHash('Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk', 'RS256'), 'LDktKdoQak3Pk0cnXxCltA');
});

test('hash follows the algorithm: left half of SHA-256 / 384 / 512, unpadded base64url', () => {
  const value = 'some-access-token';
  const half = (alg: string, bytes: number) => createHash(alg).update(value).digest().subarray(0, bytes).toString('base64url');
  assert.equal(tokenHash(value, 'ES256'), half('sha256', 16));
  assert.equal(tokenHash(value, 'RS384'), half('sha384', 24));
  assert.equal(tokenHash(value, 'ES512'), half('sha512', 32));
  assert.equal(tokenHash(value, 'EdDSA'), half('sha512', 32), 'Ed25519 uses SHA-512 (OIDC Core errata 2)');
  assert.equal(tokenHash(value, 'RS256').length, 22);
  assert.doesNotMatch(tokenHash(value, 'RS384'), /=/);
});

test('unknown algorithms are refused', () => {
  assert.throws(() => tokenHash('x', 'HS256'), TypeError);
  assert.throws(() => tokenHash('x', 'none'), TypeError);
  assert.throws(() => tokenHash('x', 'toString'), TypeError);
});
