/**
 * GET /mfa/webauthn (the page; "register" while the user has no credential for this authenticator, else "login")
 * and the JSON calls `/mfa/webauthn/{register,login}/{begin,finish}` (dex HEAD server/mfa/webauthn.go). Finishing
 * answers `{"status":"ok","redirect":…}` as dex does, plus `backupCodes` when new ones were made. Unlike dex HEAD,
 * registration is refused once the user has a credential for this authenticator: otherwise someone holding only
 * the password could register their own key and pass the second factor.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { own } from '../../lib/own.js';
import { csrfToken } from '../http/browser-binding.js';
import { checkPost, codesToShow } from './after-factor.js';
import type { WebAuthnAuthenticator } from './authenticators.js';
import { completeFactor, factorURL } from './complete-step.js';
import type { MfaContext } from './mfa-context.js';
import { MfaError } from './mfa-error.js';
import { type FactorRequest, loadFactor } from './mfa-request.js';
import { webauthnPage } from './pages.js';
import { beginCeremony, type Ceremony, finishLogin, finishRegistration } from './webauthn-ceremony.js';

class AlreadyRegistered extends Error {}

const registered = (f: FactorRequest) => (own(f.identity.webauthnCredentials, f.authenticator.id) ?? []).length > 0;

async function loadCall(req: FastifyRequest, ctx: MfaContext): Promise<{ f: FactorRequest; body: Record<string, unknown> }> {
  const body = (req.body !== null && typeof req.body === 'object' ? req.body : {}) as Record<string, unknown>;
  const f = await loadFactor(req, ctx, req.query as Record<string, unknown>, 'WebAuthn');
  if ('done' in f) throw new MfaError(400, 'This sign-in step is already complete.', 'WebAuthn call after MFA passed');
  checkPost(req, ctx, f, body.csrf_token);
  return { f, body };
}

export async function webauthnGet(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext): Promise<FastifyReply> {
  const f = await loadFactor(req, ctx, req.query as Record<string, unknown>, 'WebAuthn');
  if ('done' in f) return reply.redirect(f.done, 303);
  const hasCodes = (f.identity.backupCodes?.hashes.length ?? 0) > 0;
  const page = webauthnPage(ctx.frame, {
    mode: registered(f) ? 'login' : 'register',
    csrf: csrfToken(req, f.authReq, ctx.cookies),
    backupURL: hasCodes ? factorURL(ctx.issuerPath, f.authReq, f.authenticator, '/mfa/backup') : undefined,
  });
  return reply.code(200).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page);
}

export async function webauthnBegin(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext, ceremony: Ceremony): Promise<FastifyReply> {
  const { f } = await loadCall(req, ctx);
  if (ceremony === 'register' && registered(f)) throw new MfaError(409, 'A security key is already registered.', 'WebAuthn re-registration refused');
  if (ceremony === 'login' && !registered(f)) throw new MfaError(400, 'No WebAuthn credentials registered.', 'WebAuthn login without credentials');
  const options = await beginCeremony(ctx, f.authReq, f.identity, f.authenticator as WebAuthnAuthenticator, ceremony);
  return reply.header('cache-control', 'no-store').type('application/json').send(options);
}

async function storeCredential(ctx: MfaContext, f: FactorRequest, response: unknown): Promise<void> {
  const cred = await finishRegistration(ctx, f.authReq, f.authenticator as WebAuthnAuthenticator, response);
  const id = f.authenticator.id;
  try {
    await ctx.storage.updateUserIdentity(f.identity.userId, f.identity.connectorId, (old) => {
      if ((own(old.webauthnCredentials, id) ?? []).length > 0) throw new AlreadyRegistered();
      return { ...old, webauthnCredentials: { ...old.webauthnCredentials, [id]: [cred] } };
    });
  } catch (err) {
    throw err instanceof AlreadyRegistered ? new MfaError(409, 'A security key is already registered.', 'WebAuthn registration raced') : err;
  }
}

async function checkAssertion(ctx: MfaContext, f: FactorRequest, response: unknown): Promise<void> {
  const r = await finishLogin(ctx, f.authReq, f.identity, f.authenticator as WebAuthnAuthenticator, response);
  const id = f.authenticator.id;
  // The clone warning is stored even when the login is refused, so an administrator sees it (ListMFADevices).
  await ctx.storage.updateUserIdentity(f.identity.userId, f.identity.connectorId, (old) => ({
    ...old,
    webauthnCredentials: {
      ...old.webauthnCredentials,
      [id]: (own(old.webauthnCredentials, id) ?? []).map((c) =>
        c.credentialId === r.credentialId ? { ...c, signCount: r.cloned ? c.signCount : r.counter, cloneWarning: r.cloned, backupState: r.backedUp } : c,
      ),
    },
  }));
  if (r.cloned) {
    ctx.logger.error({ connector_id: f.authReq.connectorId, authenticator_id: id }, 'mfa: WebAuthn sign counter did not grow (cloned authenticator?): login refused');
    throw new MfaError(401, 'Authentication failed.', 'WebAuthn sign counter regression');
  }
}

export async function webauthnFinish(req: FastifyRequest, reply: FastifyReply, ctx: MfaContext, ceremony: Ceremony): Promise<FastifyReply> {
  const { f, body } = await loadCall(req, ctx);
  if (ceremony === 'register') await storeCredential(ctx, f, body.credential);
  else await checkAssertion(ctx, f, body.credential);
  const redirect = await completeFactor(ctx, f, 'hwk');
  const backupCodes = await codesToShow(ctx, f, { enrolled: ceremony === 'register', regenerate: body.regenerateBackupCodes === true });
  return reply.header('cache-control', 'no-store').type('application/json').send({ status: 'ok', redirect, ...(backupCodes ? { backupCodes } : {}) });
}
