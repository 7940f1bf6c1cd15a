/**
 * PKCE (RFC 7636 §4.6) as dex checks it at the token endpoint (dex v2.45.1 `server/handlers.go` `handleAuthCode`), for the authorization_code and
 * device_code grants:
 *
 * | challenge stored | verifier sent | result |
 * | --- | --- | --- |
 * | yes | yes | recompute (S256 or plain); mismatch → `invalid_grant` |
 * | no  | yes | `invalid_request` (no PKCE flow was started) |
 * | yes | no  | `invalid_grant` (the PKCE flow expects a verifier) |
 * | no  | no  | ok |
 */

import { createHash } from 'node:crypto';
import { invalidGrant, invalidRequest, serverError } from './oauth-error.js';
import { constantTimeEqual } from '../../lib/constant-time.js';

export const PKCE_METHODS = { plain: 'plain', s256: 'S256' } as const;

export type PkceMethod = (typeof PKCE_METHODS)[keyof typeof PKCE_METHODS];

export function isPkceMethod(value: string): value is PkceMethod {
  return value === PKCE_METHODS.plain || value === PKCE_METHODS.s256;
}

/** The challenge a verifier yields under `method` (S256 = base64url(SHA-256(verifier)), plain = identity). */
export function computeCodeChallenge(verifier: string, method: PkceMethod): string {
  return method === PKCE_METHODS.s256 ? createHash('sha256').update(verifier, 'ascii').digest('base64url') : verifier;
}

/**
 * Checks `verifier` against the stored `challenge`/`method` per the matrix above; throws `OAuthError`.
 * An empty stored method means `plain` (RFC 7636 §4.3 default).
 */
export function verifyPkce(challenge: string, method: string, verifier: string): void {
  if (challenge === '' && verifier === '') return;
  if (challenge === '') throw invalidRequest('No PKCE flow started. Cannot check code_verifier.');
  if (verifier === '') throw invalidGrant('Expecting parameter code_verifier in PKCE flow.');
  const m = method === '' ? PKCE_METHODS.plain : method;
  if (!isPkceMethod(m)) throw serverError(undefined, { detail: `stored code_challenge_method ${JSON.stringify(m)} is unknown` });
  if (!constantTimeEqual(computeCodeChallenge(verifier, m), challenge)) throw invalidGrant('Invalid code_verifier.');
}
