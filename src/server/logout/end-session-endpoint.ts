/**
 * GET/POST <issuer>/logout, the `end_session_endpoint` (OpenID Connect RP-Initiated Logout 1.0; dex HEAD
 * server/logout/logout.go). Steps:
 * 1. read the parameters; verify `id_token_hint` (Ferry's signature and issuer, expiry ignored); `client_id`, when
 *    also sent, must name the hint's client;
 * 2. the session cookie, never the hint, decides which session ends;
 * 3. a POST answering a confirmation shown to this browser carries the confirmed parameters (./confirmation.ts);
 * 4. `post_logout_redirect_uri` must be one of the client's `postLogoutRedirectURIs`, exactly; otherwise an error
 *    page, never a redirect;
 * 5. no hint for this session and no confirmation → the confirmation page;
 * 6. upstream logout when the connector offers it (./upstream-logout.ts), else end the session here
 *    (`endSession`: back-channel notices, session-bound refresh tokens, delete), clear the cookie and finish.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import { clearConfirmation, readConfirmation, setConfirmation } from './confirmation.js';
import { finishLogout, logoutError, sendPage } from './finish.js';
import { hintMatches, verifyIdTokenHint } from './id-token-hint.js';
import type { ServerContext } from '../context.js';
import type { LogoutParams } from './logout-context.js';
import { type EndSessionRequest, readEndSessionRequest } from './logout-params.js';
import { startUpstreamLogout } from './upstream-logout.js';
import { issuerPathOf } from '../http/issuer-path.js';

/** '' when `p` may be used: no URI, or one registered by its client. Otherwise the message for the error page. */
async function redirectProblem(ctx: ServerContext, p: LogoutParams): Promise<string> {
  if (!p.postLogoutRedirectURI) return '';
  if (!p.clientId) return 'post_logout_redirect_uri requires id_token_hint or client_id.';
  try {
    const client = await ctx.storage.getClient(p.clientId);
    return client.postLogoutRedirectURIs.includes(p.postLogoutRedirectURI) ? '' : 'Unregistered post_logout_redirect_uri.';
  } catch (err) {
    if (err instanceof NotFoundError) return 'Unknown client.';
    throw err;
  }
}

export async function endSessionEndpoint(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  let r: EndSessionRequest;
  try {
    r = readEndSessionRequest(req);
  } catch {
    return logoutError(ctx, reply, 'Invalid logout request.');
  }
  const hint = r.idTokenHint ? await verifyIdTokenHint(ctx.signer, ctx.config.issuer, r.idTokenHint) : null;
  if (r.idTokenHint && !hint) {
    ctx.logger.warn({ request_id: req.id }, 'logout: invalid id_token_hint');
    return logoutError(ctx, reply, 'Invalid id_token_hint.');
  }
  if (hint && r.clientId && hint.clientId !== r.clientId) return logoutError(ctx, reply, 'client_id does not match id_token_hint.');

  const session = await ctx.sessions.current(req, reply);
  const confirmed = session && !r.idTokenHint ? await readConfirmation(ctx, req, session) : null;
  const params: LogoutParams = confirmed ?? { clientId: hint?.clientId || r.clientId, postLogoutRedirectURI: r.postLogoutRedirectURI, state: r.state };
  const problem = await redirectProblem(ctx, params);
  if (problem) {
    ctx.logger.warn({ request_id: req.id, client_id: params.clientId }, `logout: ${problem}`);
    return logoutError(ctx, reply, problem);
  }
  if (!session) return finishLogout(ctx, reply, params.postLogoutRedirectURI, params.state, false);

  if (!confirmed && !hintMatches(hint, session)) {
    await setConfirmation(ctx, reply, session, params);
    const postURL = `${issuerPathOf(ctx.config.issuer)}/logout`;
    return sendPage(reply, ctx.renderer.logout({ showConfirmation: true, loggedOut: false, backURL: '', postURL }));
  }
  clearConfirmation(ctx, reply);
  const upstream = await startUpstreamLogout(ctx, session, params);
  if (upstream) return reply.code(303).header('cache-control', 'no-store').redirect(upstream, 303);

  const ended = await ctx.sessionEnder.endSession(session, 'logout');
  ctx.sessions.clearCookie(reply);
  return finishLogout(ctx, reply, params.postLogoutRedirectURI, params.state, ended);
}
