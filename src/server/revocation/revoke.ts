/**
 * `POST <issuer>/token/revoke` (RFC 7009; beyond dex, which has none — dexidp/dex#1778). The client authenticates
 * as at /token (public clients by `client_id`). A JWT is revoked as an access token: its `jti` joins the denylist
 * until it expires, and introspection and userinfo then report it inactive/invalid. An opaque access token
 * (src/server/tokens/opaque-access-token.ts) is deleted from storage, so it stops at once. Anything else is taken as a
 * refresh token, deleted with its OfflineSessions link. A token that is unknown, invalid, expired or issued to
 * another client changes nothing and still answers 200 (RFC 7009 §2.2). `token_type_hint` is optional; the token's
 * shape decides (§2.1 lets the server ignore a wrong hint).
 */

import type { ServerContext } from '../context.js';
import { authenticateFormClient, formEndpoint, type FormEndpoint } from '../http/form-endpoint.js';
import { invalidRequest } from '../oauth2/oauth-error.js';
import { looksOpaque, revokeOpaqueAccessToken } from '../tokens/opaque-access-token.js';
import { clientOfToken, looksLikeJwt, revokeJwt, verifyOwnJwt } from '../tokens/access-tokens.js';
import { findRefreshToken, revokeRefreshToken } from '../tokens/refresh-tokens.js';

async function revokeAccessToken(deps: ServerContext, token: string, clientId: string): Promise<boolean> {
  const claims = await verifyOwnJwt(deps.signer, deps.config.issuer, token);
  if (claims === null || clientOfToken(claims) !== clientId) return false;
  const revoked = await revokeJwt(deps.storage, claims, clientId);
  if (revoked && typeof claims.jti === 'string') deps.accessTokens.forget(claims.jti);
  return revoked;
}

async function revokeRefresh(deps: ServerContext, token: string, clientId: string): Promise<boolean> {
  const rdeps = { ...deps, policy: deps.config.expiry.refreshTokens, accessTokensValidFor: deps.config.expiry.idTokens };
  const found = await findRefreshToken(rdeps, token, clientId);
  if (found === null) return false;
  await revokeRefreshToken(rdeps, found.stored);
  return true;
}

/** The handlers of `/token/revoke` (wired in ../routes.ts); a revoked JWT is forgotten by `deps.accessTokens`. */
export function revocationEndpoint(deps: ServerContext): FormEndpoint {
  return formEndpoint({
    logger: deps.logger,
    realm: deps.config.issuer,
    async handle(form, request, reply) {
      const client = await authenticateFormClient(deps.storage, request, form);
      const token = form.get('token');
      if (token === '') throw invalidRequest('Required param: token.');
      const revoked = looksLikeJwt(token)
        ? await revokeAccessToken(deps, token, client.id)
        : looksOpaque(token)
          ? await revokeOpaqueAccessToken(deps.storage, token, client.id)
          : await revokeRefresh(deps, token, client.id);
      deps.logger.info({ reqId: request.id, client_id: client.id, revoked }, 'revocation request');
      return reply.code(200).header('cache-control', 'no-store').header('pragma', 'no-cache').send();
    },
  });
}
