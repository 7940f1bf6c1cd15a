/**
 * WebAuthn ceremonies with @simplewebauthn/server (dex HEAD server/mfa/webauthn.go uses go-webauthn). The pending
 * ceremony is kept on the AuthRequest (`webauthnSessionData`, as dex HEAD): its kind, authenticator, challenge and
 * deadline; `finish` takes it out atomically, so a challenge answers once. The RP id and origins come from the
 * authenticator config (default: the issuer). The sign counter is checked here, after the signature: a counter
 * that does not grow (when either side is non-zero) marks the credential `cloneWarning` and refuses the login.
 */

import { createHash } from 'node:crypto';
import type { AuthenticationResponseJSON, AuthenticatorTransportFuture, RegistrationResponseJSON } from '@simplewebauthn/server';
import { own } from '../../lib/own.js';
import type { AuthRequest, UserIdentity, WebAuthnCredential } from '../../storage/types.js';
import type { WebAuthnAuthenticator } from './authenticators.js';
import type { MfaContext } from './mfa-context.js';
import { MfaError } from './mfa-error.js';

export type Ceremony = 'register' | 'login';

interface Pending {
  ceremony: Ceremony;
  authenticator: string;
  challenge: string;
  /** ms since the epoch. */
  deadline: number;
}

/**
 * The library (with its X.509/ASN.1 stack, about 0.7 MB of code) is loaded at the first ceremony, not at start:
 * a server without WebAuthn authenticators never needs it (issue 13 item 6, idle memory).
 */
const webauthn = () => import('@simplewebauthn/server');

const credentialsOf = (identity: UserIdentity, a: WebAuthnAuthenticator) => own(identity.webauthnCredentials, a.id) ?? [];
const descriptor = (c: WebAuthnCredential) => ({ id: c.credentialId, transports: c.transport as AuthenticatorTransportFuture[] });

/** The options for the browser's `navigator.credentials.create/get`; stores the challenge on the request. */
export async function beginCeremony(ctx: MfaContext, authReq: AuthRequest, identity: UserIdentity, a: WebAuthnAuthenticator, ceremony: Ceremony) {
  const creds = credentialsOf(identity, a);
  const { generateAuthenticationOptions, generateRegistrationOptions } = await webauthn();
  const options =
    ceremony === 'register'
      ? await generateRegistrationOptions({
          rpName: a.rpDisplayName,
          rpID: a.rpID,
          userName: identity.claims.email || identity.claims.username || identity.userId,
          userDisplayName: identity.claims.preferredUsername || identity.claims.username,
          // The user handle is at most 64 bytes (WebAuthn §5.4.3); a digest of dex's `userID|connectorID` fits any id.
          userID: new Uint8Array(createHash('sha256').update(`${identity.userId}|${identity.connectorId}`).digest()),
          timeout: a.timeoutMs,
          attestationType: a.attestation as 'none',
          excludeCredentials: creds.map(descriptor),
          authenticatorSelection: { residentKey: 'preferred', userVerification: a.userVerification, authenticatorAttachment: a.attachment },
        })
      : await generateAuthenticationOptions({ rpID: a.rpID, allowCredentials: creds.map(descriptor), userVerification: a.userVerification, timeout: a.timeoutMs });
  const pending: Pending = { ceremony, authenticator: a.id, challenge: options.challenge, deadline: ctx.now().getTime() + a.timeoutMs + 30_000 };
  await ctx.storage.updateAuthRequest(authReq.id, (old) => ({ ...old, webauthnSessionData: new Uint8Array(Buffer.from(JSON.stringify(pending))) }));
  return options;
}

class NoCeremony extends Error {}

/** Takes the pending ceremony off the request (once); throws a 400 when there is none of this kind. */
async function takeChallenge(ctx: MfaContext, authReq: AuthRequest, a: WebAuthnAuthenticator, ceremony: Ceremony): Promise<string> {
  let pending: Pending | null = null;
  try {
    await ctx.storage.updateAuthRequest(authReq.id, (old) => {
      const raw = old.webauthnSessionData ? (JSON.parse(Buffer.from(old.webauthnSessionData).toString('utf8')) as Pending) : null;
      if (!raw || raw.ceremony !== ceremony || raw.authenticator !== a.id) throw new NoCeremony();
      pending = raw;
      return { ...old, webauthnSessionData: null };
    });
  } catch (err) {
    if (err instanceof NoCeremony || err instanceof SyntaxError) throw new MfaError(400, 'Invalid session.', 'no pending WebAuthn ceremony');
    throw err;
  }
  const p = pending as Pending | null;
  if (!p || p.deadline < ctx.now().getTime()) throw new MfaError(400, 'The security key request timed out. Please try again.', 'WebAuthn ceremony expired');
  return p.challenge;
}

const failed = (detail: string) => new MfaError(401, 'Authentication failed.', detail);

/** Verifies a registration; returns the credential to store. */
export async function finishRegistration(ctx: MfaContext, authReq: AuthRequest, a: WebAuthnAuthenticator, response: unknown): Promise<WebAuthnCredential> {
  const expectedChallenge = await takeChallenge(ctx, authReq, a, 'register');
  const { verifyRegistrationResponse } = await webauthn();
  const result = await verifyRegistrationResponse({
    response: response as RegistrationResponseJSON,
    expectedChallenge,
    expectedOrigin: a.rpOrigins,
    expectedRPID: a.rpID,
    requireUserVerification: a.userVerification === 'required',
  }).catch((err: unknown) => {
    throw new MfaError(400, 'Registration failed.', `WebAuthn registration refused: ${(err as Error).message}`);
  });
  if (!result.verified) throw new MfaError(400, 'Registration failed.', 'WebAuthn registration not verified');
  const info = result.registrationInfo;
  return {
    credentialId: info.credential.id,
    publicKey: new Uint8Array(info.credential.publicKey),
    attestationType: info.fmt,
    aaguid: info.aaguid,
    signCount: info.credential.counter,
    cloneWarning: false,
    transport: info.credential.transports ?? [],
    backupEligible: info.credentialDeviceType === 'multiDevice',
    backupState: info.credentialBackedUp,
    displayName: info.credentialDeviceType === 'multiDevice' ? 'Passkey' : 'Security Key',
    createdAt: ctx.now(),
  };
}

/** Verifies an assertion against the stored credential; returns the credential id and its new counter and state. */
export async function finishLogin(ctx: MfaContext, authReq: AuthRequest, identity: UserIdentity, a: WebAuthnAuthenticator, response: unknown) {
  const expectedChallenge = await takeChallenge(ctx, authReq, a, 'login');
  const id = (response as { id?: unknown } | null)?.id;
  const stored = credentialsOf(identity, a).find((c) => c.credentialId === id);
  if (!stored) throw failed('assertion for an unknown credential');
  const { verifyAuthenticationResponse } = await webauthn();
  const result = await verifyAuthenticationResponse({
    response: response as AuthenticationResponseJSON,
    expectedChallenge,
    expectedOrigin: a.rpOrigins,
    expectedRPID: a.rpID,
    // The counter is compared below, after the signature, so a regression can be recorded on the credential.
    credential: { id: stored.credentialId, publicKey: new Uint8Array(stored.publicKey), counter: 0, transports: descriptor(stored).transports },
    requireUserVerification: a.userVerification === 'required',
  }).catch((err: unknown) => {
    throw failed(`WebAuthn assertion refused: ${(err as Error).message}`);
  });
  if (!result.verified) throw failed('WebAuthn assertion not verified');
  const counter = result.authenticationInfo.newCounter;
  const cloned = (counter > 0 || stored.signCount > 0) && counter <= stored.signCount;
  return { credentialId: stored.credentialId, counter, cloned, backedUp: result.authenticationInfo.credentialBackedUp };
}
