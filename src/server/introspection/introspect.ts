/**
 * `POST <issuer>/token/introspect` (RFC 7662; dex v2.45.1 `server/introspectionhandler.go`). A value that parses as
 * a JWT is introspected as an access token (Ferry's signature, `exp`, `iss`, not revoked), so is an opaque access
 * token (src/server/tokens/opaque-access-token.ts: stored, not expired, not revoked), anything else as a refresh token (the same lookup the refresh grant uses). Active answers carry dex's fields; an unknown, expired,
 * revoked or foreign token is a 200 `{"active":false}`. As in dex no client authentication is required, but
 * credentials that are sent are checked (RFC 7662 §2.1), and a failed check is 401 `invalid_client`.
 */

import type { FastifyReply } from 'fastify';
import type { JWTPayload } from 'jose';
import { NotFoundError } from '../../lib/errors.js';
import type { ServerContext } from '../context.js';
import { authenticateFormClient, formEndpoint, presentsClient, type FormEndpoint } from '../http/form-endpoint.js';
import { invalidRequest } from '../oauth2/oauth-error.js';
import { sendJson } from '../oauth2/write-json-error.js';
import { clientOfToken, isRevoked, looksLikeJwt, verifyOwnJwt } from '../tokens/access-tokens.js';
import { findRefreshToken } from '../tokens/refresh-tokens.js';
import { checkOpaqueAccessToken, looksOpaque } from '../tokens/opaque-access-token.js';
import { accessTokenIntrospection, refreshTokenIntrospection, type Introspection } from './introspection-response.js';

const send = (reply: FastifyReply, body: Introspection | { active: false }): FastifyReply => sendJson(reply, 200, body, true);

async function accessTokenClaims(deps: ServerContext, token: string): Promise<JWTPayload | null> {
  if (looksOpaque(token)) return checkOpaqueAccessToken(deps.storage, token, deps.now());
  const claims = await verifyOwnJwt(deps.signer, deps.config.issuer, token);
  return claims === null || (await isRevoked(deps.storage, claims)) ? null : claims;
}

async function introspectAccessToken(deps: ServerContext, token: string): Promise<Introspection | null> {
  const claims = await accessTokenClaims(deps, token);
  if (claims === null) return null;
  const clientId = clientOfToken(claims);
  if (clientId === null) return null;
  try {
    await deps.storage.getClient(clientId);
  } catch (err) {
    if (err instanceof NotFoundError) return null; // the client is gone: so is its token (dex answers 500 here)
    throw err;
  }
  return accessTokenIntrospection(claims, clientId, deps.config.issuer);
}

async function introspectRefreshToken(deps: ServerContext, token: string): Promise<Introspection | null> {
  const policy = deps.config.expiry.refreshTokens;
  const found = await findRefreshToken({ ...deps, policy }, token, null);
  if (found === null || found.expired) return null;
  return refreshTokenIntrospection(found.stored, policy.absoluteLifetime, deps.config.issuer);
}

/** The handlers of `/token/introspect` (wired in ../routes.ts). */
export function introspectionEndpoint(deps: ServerContext): FormEndpoint {
  return formEndpoint({
    logger: deps.logger,
    realm: deps.config.issuer,
    async handle(form, request, reply) {
      if (presentsClient(request, form)) await authenticateFormClient(deps.storage, request, form);
      const token = form.get('token');
      if (token === '') throw invalidRequest("The POST body doesn't contain 'token' parameter.");
      const isAccess = looksLikeJwt(token) || looksOpaque(token);
      const hint = form.get('token_type_hint');
      if (hint !== '' && hint !== (isAccess ? 'access_token' : 'refresh_token')) {
        deps.logger.debug({ reqId: request.id, token_type_hint: hint.slice(0, 40) }, 'introspection: token type hint does not match the token');
      }
      const result = isAccess ? await introspectAccessToken(deps, token) : await introspectRefreshToken(deps, token);
      return send(reply, result ?? { active: false });
    },
  });
}
