/**
 * Where a passed factor leads (dex HEAD server/mfa/handler.go CompleteStep): the next authenticator of the chain, or,
 * after the last one, the request is marked `mfaValidated` (atomically, in the storage updater) and the browser
 * returns to the dispatcher. The method used is recorded on the request (`mfaMethods`, RFC 8176 `amr` values) so
 * the ID token's `amr` can say how the user signed in.
 */

import type { AuthRequest } from '../../storage/types.js';
import { authenticatorStep, continueURL, stepURL } from '../sessions/step-mac.js';
import type { Authenticator } from './authenticators.js';
import type { MfaContext } from './mfa-context.js';
import type { FactorRequest } from './mfa-request.js';

/** RFC 8176 §2: `otp` for TOTP and backup codes, `hwk` (proof of possession of a key) for WebAuthn. */
export type MfaMethod = 'otp' | 'hwk';

/** The signed URL of an authenticator's page. */
export function factorURL(issuerPath: string, authReq: AuthRequest, a: Pick<Authenticator, 'id' | 'type'>, page?: string): string {
  const path = page ?? (a.type === 'WebAuthn' ? '/mfa/webauthn' : '/mfa/totp');
  return stepURL(issuerPath, path, authReq, authenticatorStep(a.id), { authenticator: a.id });
}

/** Marks the request as having passed MFA; returns the dispatcher URL. */
export async function markValidated(ctx: MfaContext, authReq: AuthRequest, method?: MfaMethod): Promise<string> {
  await ctx.storage.updateAuthRequest(authReq.id, (old) => ({
    ...old,
    mfaValidated: true,
    webauthnSessionData: null,
    mfaMethods: method && !old.mfaMethods.includes(method) ? [...old.mfaMethods, method] : old.mfaMethods,
  }));
  return continueURL(ctx.issuerPath, authReq);
}

/** Records the passed factor and returns the URL to go to next. */
export async function completeFactor(ctx: MfaContext, f: FactorRequest, method: MfaMethod): Promise<string> {
  const i = f.chain.findIndex((a) => a.id === f.authenticator.id);
  const next = f.chain[i + 1];
  if (next === undefined) return markValidated(ctx, f.authReq, method);
  await ctx.storage.updateAuthRequest(f.authReq.id, (old) => ({
    ...old,
    webauthnSessionData: null,
    mfaMethods: old.mfaMethods.includes(method) ? old.mfaMethods : [...old.mfaMethods, method],
  }));
  return factorURL(ctx.issuerPath, f.authReq, next);
}
