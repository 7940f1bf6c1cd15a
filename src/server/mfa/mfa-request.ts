/**
 * Loads the login an MFA request belongs to and checks it (dex HEAD server/mfa/handler.go validateMFARequest, plus
 * Ferry's browser binding): the AuthRequest exists, is not expired, was started by this browser, has a logged-in
 * user, and `hmac` is the verifier of this step (the `/mfa` entry, or one authenticator's pages). A request that
 * already passed MFA is sent on to the dispatcher. Also resolves the chain for this login.
 */

import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import type { AuthRequest, UserIdentity } from '../../storage/types.js';
import { isSameBrowser } from '../http/browser-binding.js';
import { authenticatorStep, continueURL, STEP, verifyStep } from '../sessions/step-mac.js';
import { type Authenticator, resolveChain } from './authenticators.js';
import type { MfaContext } from './mfa-context.js';
import { EXPIRED, MfaError } from './mfa-error.js';

export interface MfaRequest {
  authReq: AuthRequest;
  identity: UserIdentity;
  chain: Authenticator[];
}

export interface FactorRequest extends MfaRequest {
  authenticator: Authenticator;
}

/** The request already passed MFA: go on to this dispatcher URL. */
export interface Done {
  done: string;
}

/** Query (or form) values of an MFA request. */
export type MfaParams = Partial<Record<'req' | 'hmac' | 'authenticator', unknown>>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

const orExpired = <T>(p: Promise<T>): Promise<T> =>
  p.catch((err: unknown) => {
    throw err instanceof NotFoundError ? new MfaError(400, EXPIRED, 'auth request, client or connector not found') : err;
  });

async function loadLogin(req: FastifyRequest, ctx: MfaContext, q: MfaParams): Promise<AuthRequest> {
  const id = text(q.req);
  if (id === '') throw new MfaError(400, EXPIRED, 'missing auth request id');
  const authReq = await orExpired(ctx.storage.getAuthRequest(id));
  if (authReq.expiry.getTime() < ctx.now().getTime()) throw new MfaError(400, EXPIRED, 'auth request expired');
  if (!isSameBrowser(req, authReq, ctx.cookies)) {
    throw new MfaError(403, 'This login was started in another browser. Please sign in again from the application.', 'browser binding mismatch');
  }
  if (!authReq.loggedIn) throw new MfaError(400, 'The login is not complete yet.', 'MFA before login');
  return authReq;
}

async function withChain(ctx: MfaContext, authReq: AuthRequest): Promise<MfaRequest> {
  const [client, connector] = await Promise.all([
    orExpired(ctx.storage.getClient(authReq.clientId)),
    orExpired(ctx.connectors.get(authReq.connectorId)),
  ]);
  const defaults = ctx.config.mfa?.defaultMFAChain ?? [];
  const chain = resolveChain(client.mfaChain, defaults, ctx.authenticators, connector.type);
  const identity = await ctx.storage.getUserIdentity(authReq.claims.userId, authReq.connectorId).catch((err: unknown) => {
    throw err instanceof NotFoundError ? new MfaError(400, 'The login is not complete yet.', 'no user identity') : err;
  });
  return { authReq, identity, chain };
}

/** The `/mfa` entry (`STEP.mfa`). */
export async function loadEntry(req: FastifyRequest, ctx: MfaContext, q: MfaParams): Promise<MfaRequest | Done> {
  const authReq = await loadLogin(req, ctx, q);
  if (!verifyStep(authReq, text(q.hmac), STEP.mfa)) throw new MfaError(401, 'Unauthorized request.', 'bad MFA entry hmac');
  return authReq.mfaValidated ? { done: continueURL(ctx.issuerPath, authReq) } : withChain(ctx, authReq);
}

/** One authenticator's pages (`authenticator:<id>`), of the given type. */
export async function loadFactor(
  req: FastifyRequest,
  ctx: MfaContext,
  q: MfaParams,
  type: Authenticator['type'] | 'any',
): Promise<FactorRequest | Done> {
  const authReq = await loadLogin(req, ctx, q);
  const id = text(q.authenticator);
  if (!verifyStep(authReq, text(q.hmac), authenticatorStep(id))) throw new MfaError(401, 'Unauthorized request.', 'bad MFA step hmac');
  if (authReq.mfaValidated) return { done: continueURL(ctx.issuerPath, authReq) };
  const base = await withChain(ctx, authReq);
  const authenticator = base.chain.find((a) => a.id === id);
  if (!authenticator || (type !== 'any' && authenticator.type !== type)) {
    throw new MfaError(400, 'Unknown authenticator.', `authenticator ${JSON.stringify(id).slice(0, 80)} not in the chain`);
  }
  return { ...base, authenticator };
}
