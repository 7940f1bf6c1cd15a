/**
 * Logging in from the browser's session (dex HEAD server/authflow/login.go, sessionlogin.go; OIDC Core §3.1.2.1).
 * Run before a connector is asked, with sessions on. The session is used when it was made with this connector and
 * either the client already has state in it (a direct login) or a client the user signed in to directly shares
 * its sign-in with this one (sessions/sso.ts). Then a logged-in AuthRequest is stored with the identity Ferry
 * remembers (its claims, `auth_time` = the last real login) and the browser goes to the dispatcher.
 * The protocol's parameters:
 *   - `prompt=login` and `prompt=select_account` never reuse the session (the user signs in, or chooses);
 *   - `max_age`: a last login older than that many seconds means signing in again;
 *   - `id_token_hint` naming another user than the session's: the session is ignored;
 *   - `prompt=none`: the session is the only way; without a usable one the client gets `login_required`.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import type { AuthSession, ClientAuthState, UserIdentity } from '../../storage/types.js';
import { OAuthError } from '../oauth2/oauth-error.js';
import { continueURL } from '../sessions/step-mac.js';
import { findSSOSource } from '../sessions/sso.js';
import { encodeSubject } from '../tokens/subject.js';
import { newAuthRequest } from './auth-request.js';
import { bindBrowser } from './browser-binding.js';
import type { ServerContext } from '../context.js';
import type { ValidAuthRequest } from './validate-auth-request.js';
import { own } from '../../lib/own.js';

/** The state the session lends this client: its own, or a sharing client's (then marked as SSO), or null. */
async function lentState(ctx: ServerContext, session: AuthSession, clientId: string): Promise<ClientAuthState | null> {
  const mine = own(session.clientStates, clientId);
  if (mine) return mine;
  const fallback = ctx.sessions.config?.ssoSharedWithDefault ?? 'none';
  const source = await findSSOSource(ctx.storage, session, clientId, fallback);
  return source ? { ...source, viaSSO: true, lastTokenIssuedAt: null } : null;
}

async function identityOf(ctx: ServerContext, s: AuthSession): Promise<UserIdentity | null> {
  return ctx.storage.getUserIdentity(s.userId, s.connectorId).catch((err: unknown) => {
    if (err instanceof NotFoundError) return null;
    throw err;
  });
}

/** The browser's session when the request may use it (connector, hint), else null. */
export async function usableSession(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext, valid: ValidAuthRequest): Promise<AuthSession | null> {
  const session = await ctx.sessions.current(req, reply);
  if (!session) return null;
  if (valid.hintSubject && valid.hintSubject !== encodeSubject(session.userId, session.connectorId)) return null;
  return session;
}

/**
 * Completes the login from the session and redirects to the dispatcher; null when the session cannot be used
 * (the caller then shows the login). Under `prompt=none` that null becomes `login_required` here.
 */
export async function trySessionLogin(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  valid: ValidAuthRequest,
  connectorId: string,
): Promise<FastifyReply | null> {
  if (!ctx.sessions.enabled) return null;
  const prompt = valid.params.prompt;
  const silent = prompt.includes('none');
  const done = async (): Promise<FastifyReply | null> => {
    if (prompt.includes('login') || prompt.includes('select_account')) return null;
    const session = await usableSession(req, reply, ctx, valid);
    if (!session || session.connectorId !== connectorId) return null;
    const state = await lentState(ctx, session, valid.client.id);
    const ui = state ? await identityOf(ctx, session) : null;
    const now = ctx.now();
    if (!state || !ui || (ui.blockedUntil !== null && ui.blockedUntil > now)) return null;
    if (valid.maxAge >= 0 && now.getTime() - ui.lastLogin.getTime() > valid.maxAge * 1000) return null;
    const authReq = {
      ...newAuthRequest(valid, connectorId, bindBrowser(req, reply, ctx.cookies), ctx),
      loggedIn: true,
      claims: ui.claims,
      authTime: ui.lastLogin,
    };
    await ctx.storage.createAuthRequest(authReq);
    await ctx.sessions.touchClient(session.id, valid.client.id, now, state);
    ctx.logger.debug({ request_id: req.id, session_id: session.id, client_id: valid.client.id, sso: state.viaSSO }, 'login from session');
    return reply.redirect(continueURL(ctx.issuerPath, authReq), 303);
  };
  const sent = await done();
  if (!sent && silent) throw new OAuthError('login_required', 'The user is not signed in.');
  return sent;
}
