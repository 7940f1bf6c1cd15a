/**
 * GET|POST <issuer>/userinfo (OIDC Core §5.3; RFC 6750). Accepts any access or ID token Ferry signed (dex
 * dex v2.45.1 `server/handlers.go` `handleUserInfo`) as `Authorization: Bearer` (scheme case-insensitive) or, on POST, a form `access_token`.
 * Answers the token's claim set; an opaque access token (src/server/tokens/opaque-access-token.ts) answers the
 * claim set stored with it. Errors follow RFC 6750 §3: 401 with `WWW-Authenticate: Bearer`, plus
 * `error="invalid_token"` for a bad token (dex answers 403 `access_denied` there; see docs/compatibility.md).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerChallenge, sendJsonError } from '../oauth2/write-json-error.js';
import { param, type RawParams } from '../http/params.js';
import type { AccessTokenChecker } from '../tokens/token-checker.js';

const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** RFC 6750 §3: the challenge names the error, except when no usable token came (then `invalid_request` in the body). */
function challenge(reply: FastifyReply, error: string, description: string, status = 401): FastifyReply {
  return sendJsonError(reply, { status, error: error || 'invalid_request', description, challenge: bearerChallenge(error, description) });
}

/** `storage`, when given, is consulted for revoked access tokens (RFC 7009): a revoked token is `invalid_token`. */
export function userinfoHandler(tokens: AccessTokenChecker) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const header = req.headers.authorization;
    let token = '';
    if (header) {
      const m = BEARER.exec(header);
      if (!m?.[1]) return challenge(reply, '', 'Malformed Authorization header.');
      token = m[1];
    }
    if (req.method === 'POST' && req.body && typeof req.body === 'object') {
      let formToken = '';
      try {
        formToken = param(req.body as RawParams, 'access_token');
      } catch {
        return challenge(reply, 'invalid_request', 'Malformed access_token parameter.', 400);
      }
      if (formToken && token) return challenge(reply, 'invalid_request', 'Token given in more than one way.', 400);
      token ||= formToken;
    }
    if (!token) return challenge(reply, '', 'No bearer token provided.');
    const claims = await tokens.check(token);
    if (claims === null) return challenge(reply, 'invalid_token', 'The access token is invalid or expired.');
    return reply.header('cache-control', 'no-store').send(claims);
  };
}
