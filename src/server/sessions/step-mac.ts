/**
 * The HMAC verifiers of the login flow's steps (dex HEAD server/internal/flowstep.go, hmac.go): every redirect
 * between the `/auth` dispatcher and a step (MFA, consent) carries `req` (the AuthRequest id) and `hmac`, an
 * HMAC-SHA256 under the request's own key over the request id and the step's name, so a verifier minted for one
 * hop cannot be replayed on another. Step names are namespaced (`step:…`, `authenticator:…`): an authenticator
 * configured with the id `approved` cannot forge the consent verifier.
 * The message is the two values joined by a NUL byte (neither an id nor a step name contains one), not dex's
 * protobuf payload: verifiers never leave the server that made them and the AuthRequest, so no dex reads them.
 */

import { createHmac } from 'node:crypto';
import type { AuthRequest } from '../../storage/types.js';
import { constantTimeEqual } from '../../lib/constant-time.js';

export const STEP = {
  /** Back to the `/auth` dispatcher after a login or a completed MFA factor. */
  continue: 'step:continue',
  /** Into the MFA entry (`/mfa`). */
  mfa: 'step:mfa',
  /** Into the consent page (`/approval`). */
  approval: 'step:approval',
  /** Back to the dispatcher from the consent page: the user just approved. */
  approved: 'step:approved',
} as const;

export type Step = (typeof STEP)[keyof typeof STEP] | `authenticator:${string}`;

/** The step of one MFA authenticator (its id comes from the `mfa` config). */
export const authenticatorStep = (id: string): Step => `authenticator:${id}`;

type Keyed = Pick<AuthRequest, 'id' | 'hmacKey'>;

/** The verifier proving that a redirect to `step` belongs to `authReq`. */
export function signStep(authReq: Keyed, step: Step): string {
  return createHmac('sha256', authReq.hmacKey).update(`${authReq.id}\0${step}`).digest('base64url');
}

export function verifyStep(authReq: Keyed, mac: string, step: Step): boolean {
  return mac !== '' && constantTimeEqual(signStep(authReq, step), mac);
}

/** `${issuerPath}${path}?req=…&hmac=…` (plus `extra` parameters) for `step` of `authReq`. */
export function stepURL(issuerPath: string, path: string, authReq: Keyed, step: Step, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams(extra);
  q.set('req', authReq.id);
  q.set('hmac', signStep(authReq, step));
  return `${issuerPath}${path}?${q}`;
}

/** Back to the dispatcher: `${issuerPath}/auth?req=…&hmac=…` (dex HEAD server/authflow/urls.go buildContinueURL). */
export function continueURL(issuerPath: string, authReq: Keyed): string {
  return stepURL(issuerPath, '/auth', authReq, STEP.continue);
}

/** The MFA entry: `${issuerPath}/mfa?req=…&hmac=…` (verified by the mfa feature with `STEP.mfa`). */
export function mfaURL(issuerPath: string, authReq: Keyed): string {
  return stepURL(issuerPath, '/mfa', authReq, STEP.mfa);
}
