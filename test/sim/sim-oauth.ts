/**
 * The OAuth2 half of a simulation (RFC 6749 §4.1, §6): an authorize endpoint that logs the chosen user in at once
 * and a token endpoint for the authorization_code and refresh_token grants.
 */

import type { Route } from './api-sim.js';
import { json, type SimReply, type SimRequest } from './sim-http.js';
import type { TokenBook, TokenPolicy } from './sim-tokens.js';

export interface OAuthOptions extends TokenPolicy {
  authorizePath: string;
  tokenPath: string;
  clientId: string;
  clientSecret: string;
  /** Status of token-endpoint errors. GitHub answers 200 with an `error` member; RFC 6749 says 400 (default). */
  tokenErrorStatus?: number;
  /** Answer the token endpoint form-encoded unless the client asks for JSON with `Accept` (GitHub's habit). */
  formUnlessAcceptJSON?: boolean;
}

function clientOf(req: SimRequest): { id: string; secret: string } | null {
  const basic = /^basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (basic?.[1]) {
    const [id = '', secret = ''] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id), secret: decodeURIComponent(secret) };
  }
  const id = req.form.get('client_id');
  return id === null ? null : { id, secret: req.form.get('client_secret') ?? '' };
}

function tokenAnswer(o: OAuthOptions, req: SimRequest, body: Record<string, unknown>, status = 200): SimReply {
  if (o.formUnlessAcceptJSON && !/json/.test(req.headers.accept ?? '')) {
    const form = new URLSearchParams(Object.entries(body).map(([k, v]) => [k, String(v)]));
    return { status, headers: { 'content-type': 'application/x-www-form-urlencoded' }, raw: form.toString() };
  }
  return json(body, status);
}

export function oauthRoutes<U>(o: OAuthOptions, book: TokenBook): Route<U>[] {
  const tokenError = (req: SimRequest, error: string, description: string) =>
    tokenAnswer(o, req, { error, error_description: description }, o.tokenErrorStatus ?? 400);

  const authorize: Route<U> = {
    path: o.authorizePath,
    auth: false,
    handle(req, { sim }) {
      const redirectURI = req.query.get('redirect_uri');
      if (req.query.get('client_id') !== o.clientId || !redirectURI) return json({ message: 'unknown client or no redirect_uri' }, 400);
      const back = new URL(redirectURI);
      const state = req.query.get('state');
      if (state !== null) back.searchParams.set('state', state);
      const userKey = req.query.get('sim_user') ?? req.query.get('login_hint') ?? sim.defaultUser;
      if (req.query.get('sim_deny') === '1' || !(userKey in sim.users)) {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set('error_description', 'The user has denied your application access.');
      } else {
        const scopes = (req.query.get('scope') ?? '').split(/[ ,]+/).filter(Boolean);
        back.searchParams.set('code', book.newCode({ userKey, scopes, redirectURI, clientId: o.clientId }));
      }
      return { status: 302, headers: { location: back.toString() } };
    },
  };

  const token: Route<U> = {
    method: 'POST',
    path: o.tokenPath,
    auth: false,
    handle(req) {
      const client = clientOf(req);
      if (!client || client.id !== o.clientId || client.secret !== o.clientSecret) {
        return tokenError(req, 'invalid_client', 'Client authentication failed.');
      }
      switch (req.form.get('grant_type')) {
        case 'authorization_code': {
          const grant = book.takeCode(req.form.get('code') ?? '', client.id, req.form.get('redirect_uri'));
          return grant ? tokenAnswer(o, req, book.issue(grant)) : tokenError(req, 'bad_verification_code', 'The code passed is incorrect or expired.');
        }
        case 'refresh_token': {
          const body = book.redeemRefresh(req.form.get('refresh_token') ?? '');
          return body ? tokenAnswer(o, req, body) : tokenError(req, 'invalid_grant', 'The refresh token is invalid, expired or revoked.');
        }
        default:
          return tokenError(req, 'unsupported_grant_type', 'Unsupported grant type.');
      }
    },
  };
  return [authorize, token];
}
