/**
 * PKCE (RFC 7636), the one implementation of both halves. `checkPkceChallenge` checks the challenge where a flow
 * starts (`/auth` and `/device/code`, RFC 7636 §4.3). `verifyPkce` checks the verifier at the token endpoint
 * (RFC 7636 §4.6) as dex does (dex v2.45.1 `server/handlers.go` `handleAuthCode`), for the authorization_code and
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

/** RFC 7636 §4.2: 43–128 characters of the unreserved set. */
const CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface PkceChallenge {
  codeChallenge: string;
  /** The method after defaulting (`plain` when a challenge comes without one); '' without a challenge. */
  codeChallengeMethod: string;
}

/**
 * Checks the challenge a flow starts with (RFC 7636 §4.3; dex v2.45.1 `server/oauth2.go`
 * `parseAuthorizationRequest`): no method without a challenge, a challenge when `oauth2.pkce.enforce` is set, a
 * supported method and a well-formed challenge. `requireS256` (a public client's code flow at `/auth` with
 * `oauth2.pkce.requireS256ForPublicClients`, RFC 9700 §2.1.1) also demands a challenge, with S256. Throws
 * `invalid_request`.
 */
export function checkPkceChallenge(
  challenge: string,
  method: string,
  config: { enforce: boolean; codeChallengeMethodsSupported: readonly string[] },
  requireS256 = false,
): PkceChallenge {
  if (challenge === '') {
    if (method !== '') throw invalidRequest('code_challenge_method given without code_challenge.');
    if (config.enforce) throw invalidRequest('PKCE is required: missing code_challenge.');
    if (requireS256) throw invalidRequest('PKCE is required for public clients: missing code_challenge (use S256).');
    return { codeChallenge: '', codeChallengeMethod: '' };
  }
  const m = method || PKCE_METHODS.plain;
  if (requireS256 && m !== PKCE_METHODS.s256) throw invalidRequest('Public clients must use code_challenge_method=S256.');
  if (!config.codeChallengeMethodsSupported.includes(m)) {
    throw invalidRequest(`Unsupported PKCE challenge method (${JSON.stringify(m.slice(0, 40))}).`);
  }
  if (!CHALLENGE.test(challenge)) throw invalidRequest('Invalid code_challenge.');
  return { codeChallenge: challenge, codeChallengeMethod: m };
}
