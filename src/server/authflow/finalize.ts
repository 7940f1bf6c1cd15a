/**
 * Finishes a login once the connector has produced an identity (dex v2.45.1 `server/handlers.go` `finalizeLogin`): the claims go onto the
 * AuthRequest (created here for password logins, updated for upstream ones), which is marked logged in, and the
 * browser continues to the consent step with an HMAC that only
 * this request's key can produce. With sessions on, the login is recorded on the browser's session (remember-me:
 * the password form's box, `rememberMeCheckedByDefault` for other logins) and the browser goes to the dispatcher
 * (`/auth?req&hmac`, dispatch.ts) instead. A request logs in once: a second upstream response for it (a replayed or
 * duplicated SAML POST, a callback reloaded) is refused with a 400 page, atomically with the update, so it can
 * neither replace the identity nor lead to a second code.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Identity } from '../../connectors/types.js';
import { ConnectorError } from '../../lib/errors.js';
import type { AuthRequest } from '../../storage/types.js';
import type { ResolvedConnector } from '../context.js';
import { claimsOf } from '../tokens/claims.js';
import { recordIdentity } from '../sessions/identity.js';
import { continueURL } from '../sessions/step-mac.js';
import { requestMac } from './browser-binding.js';
import type { ServerContext } from '../context.js';
import { pageError } from '../oauth2/oauth-error.js';

/** Refuses a login step for a request that has already logged in. */
export function refuseIfLoggedIn(authReq: AuthRequest): void {
  if (authReq.loggedIn) {
    throw pageError(400, 'This login is already complete. Please go back to the application and sign in again.', 'second login for a logged-in auth request');
  }
}

export async function finalizeLogin(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  authReq: AuthRequest,
  resolved: ResolvedConnector,
  identity: Identity,
  opts: { stored: boolean; rememberMe?: boolean } = { stored: true },
): Promise<FastifyReply> {
  if (!identity.userId) throw new ConnectorError(resolved.id, 'connector returned an identity without a user id');
  const claims = claimsOf(identity);
  const now = ctx.now();
  if (ctx.sessions.enabled) {
    // The identity (claims, last login) is recorded before the request, in the same read-modify-write that refuses
    // a locked one, so a refused login writes nothing. A request that already logged in is refused before that.
    if (opts.stored) refuseIfLoggedIn(authReq);
    if ((await recordIdentity(ctx.storage, { claims, connectorId: resolved.id }, now)) === null) {
      throw pageError(403, 'This account is locked. Please try again later.', 'login of a locked user identity');
    }
  }
  // From here the request only waits for consent: it gets the configured lifetime again.
  const loggedIn = (old: AuthRequest): AuthRequest => {
    refuseIfLoggedIn(old);
    return {
      ...old,
      loggedIn: true,
      claims,
      connectorData: identity.connectorData,
      authTime: now,
      expiry: new Date(now.getTime() + ctx.config.expiry.authRequests),
    };
  };
  const done = opts.stored ? await ctx.storage.updateAuthRequest(authReq.id, loggedIn) : loggedIn(authReq);
  if (!opts.stored) await ctx.storage.createAuthRequest(done);
  ctx.logger.info(
    {
      request_id: req.id,
      connector_id: resolved.id,
      user_id: claims.userId,
      username: claims.username,
      preferred_username: claims.preferredUsername,
      email: claims.emailVerified ? claims.email : `${claims.email} (unverified)`,
      groups: claims.groups,
    },
    'login successful',
  );
  if (ctx.sessions.enabled) {
    await ctx.sessions.establish(req, reply, done, { rememberMe: opts.rememberMe ?? ctx.sessions.rememberMeDefault });
    return reply.redirect(continueURL(ctx.issuerPath, done), 303);
  }
  const next = new URLSearchParams({ req: authReq.id, hmac: requestMac(authReq, authReq.id) });
  return reply.redirect(`${ctx.issuerPath}/approval?${next}`, 303);
}
