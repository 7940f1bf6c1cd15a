/**
 * Issues the authorization response (dex v2.45.1 `server/handlers.go` `sendCodeResponse`; OIDC Core §3.1.2.5, §3.3.2.5): the AuthRequest is
 * deleted (single use, so a double submit cannot issue twice), then a code (30 minutes) and/or tokens are sent
 * to the verified redirect URI: with a 303, in the query for the code flow and in the fragment when tokens are
 * returned, unless `response_mode` asks otherwise (`form_post`: an auto-submitting form). The out-of-band URI
 * shows the code on a page instead. With sessions on, the code and tokens carry the browser's session (`sid`).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import { newId } from '../../storage/ids.js';
import type { AuthCode, AuthRequest } from '../../storage/types.js';
import { RESPONSE_TYPES } from '../oauth2/response-types.js';
import { loginMethodClaims } from '../sessions/auth-methods.js';
import type { TokenContext } from '../tokens/claims.js';
import type { ServerContext } from '../context.js';
import { pageError } from '../oauth2/oauth-error.js';
import { sendToClient } from '../responses/client-response.js';
import { EXPIRED_MESSAGE } from './load-flow.js';
import { OOB_REDIRECT_URI } from '../oauth2/redirect-uris.js';
import { isDeliverableRedirectURI } from '../responses/redirect-uri.js';

/** Authorization codes live 30 minutes, as in dex (hard-coded there too). */
export const AUTH_CODE_TTL_MS = 30 * 60 * 1000;

/** `amr`/`acr` of a request that passed MFA (sessions/auth-methods.ts). */
async function methodClaims(ctx: ServerContext, authReq: AuthRequest) {
  const [client, conn] = await Promise.all([ctx.storage.getClient(authReq.clientId), ctx.connectors.get(authReq.connectorId).catch(() => null)]);
  return loginMethodClaims(ctx.config.mfa, client, conn);
}

export async function issueAuthResponse(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  authReq: AuthRequest,
): Promise<FastifyReply> {
  if (!isDeliverableRedirectURI(authReq.redirectURI)) throw pageError(400, 'The redirect URI of this client is not allowed.');
  await ctx.storage.deleteAuthRequest(authReq.id).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw pageError(400, EXPIRED_MESSAGE, 'auth request already used');
    throw err;
  });
  const now = ctx.now();
  const sessionId = await ctx.sessions.issuedFor(req, reply, authReq, now);
  const types = authReq.responseTypes;
  let code: AuthCode | null = null;
  if (types.includes(RESPONSE_TYPES.code)) {
    code = {
      id: newId(),
      clientId: authReq.clientId,
      redirectURI: authReq.redirectURI,
      nonce: authReq.nonce,
      scopes: authReq.scopes,
      connectorId: authReq.connectorId,
      connectorData: authReq.connectorData,
      claims: authReq.claims,
      expiry: new Date(now.getTime() + AUTH_CODE_TTL_MS),
      pkce: authReq.pkce,
      authTime: authReq.authTime,
      sessionId,
    };
    await ctx.storage.createAuthCode(code);
  }
  if (authReq.redirectURI === OOB_REDIRECT_URI) {
    // The page shows a live code: no cache (browser, proxy, back button) may keep it (RFC 6749 §5.1 spirit).
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ctx.renderer.oob({ code: code?.id ?? '' }));
  }

  const fields: Record<string, string> = { state: authReq.state };
  if (code) fields.code = code.id;
  const tctx: TokenContext = {
    clientId: authReq.clientId,
    scopes: authReq.scopes,
    claims: authReq.claims,
    connectorId: authReq.connectorId,
    nonce: authReq.nonce,
    authTime: authReq.authTime,
    sessionId,
    ...(authReq.mfaValidated ? await methodClaims(ctx, authReq) : {}),
  };
  let accessToken = '';
  if (types.includes(RESPONSE_TYPES.token)) {
    const at = await ctx.tokens.accessToken(tctx);
    accessToken = at.token;
    Object.assign(fields, { access_token: at.token, token_type: 'bearer' });
    if (!code) fields.expires_in = String(Math.max(0, Math.round((at.expiry.getTime() - now.getTime()) / 1000)));
  }
  if (types.includes(RESPONSE_TYPES.idToken)) {
    const idt = await ctx.tokens.idToken(tctx, { accessToken: accessToken || undefined, code: code?.id });
    fields.id_token = idt.token;
  }
  ctx.logger.debug({ request_id: req.id, client_id: authReq.clientId }, 'authorization response issued');
  return sendToClient(reply, authReq, fields);
}
