/**
 * The calls the `oauth` connector makes: the authorization-code exchange at `tokenURL` and the `userInfoURL`
 * request. Client authentication is detected as golang.org/x/oauth2 does for dex: HTTP Basic first, and when
 * the token endpoint refuses it (400/401), the secret in the form body; the style that worked is remembered.
 * Every failure becomes a `ConnectorError` whose message is for logs only (never the upstream's body).
 */

import { ConnectorError } from '../../lib/errors.js';
import type { Fetch } from '../http/index.js';
import { codeExchangeError, safeErrorCode } from '../upstream-refusal.js';
import type { OauthConfig } from './config.js';

/** Deadline of each call (the connector's HTTP client enforces it). */
export const TIMEOUT_MS = 15_000;

export type AuthStyle = 'basic' | 'post';

export interface TokenResponse {
  accessToken: string;
}

/** RFC 6749 §2.3.1: id and secret are form-encoded before Basic encoding. */
const formEncode = (s: string) => new URLSearchParams({ v: s }).toString().slice(2);

function tokenRequest(config: OauthConfig, code: string, style: AuthStyle): RequestInit {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: config.redirectURI });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (style === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${formEncode(config.clientID)}:${formEncode(config.clientSecret)}`).toString('base64')}`;
  } else {
    form.set('client_id', config.clientID);
    if (config.clientSecret) form.set('client_secret', config.clientSecret);
  }
  return { method: 'POST', headers, body: form.toString() };
}

/** Reads a token response as JSON, or as a form (some OAuth 2 providers answer `a=b&c=d`). */
async function readTokenBody(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export class OauthUpstream {
  readonly #id: string;
  readonly #config: OauthConfig;
  readonly #fetch: Fetch;
  #style: AuthStyle | null = null;

  constructor(id: string, config: OauthConfig, fetchFn: Fetch) {
    this.#id = id;
    this.#config = config;
    this.#fetch = fetchFn;
  }

  async #post(code: string, style: AuthStyle): Promise<{ status: number; body: Record<string, unknown> }> {
    try {
      const res = await this.#fetch(this.#config.tokenURL, tokenRequest(this.#config, code, style));
      return { status: res.status, body: await readTokenBody(res).catch(() => ({})) };
    } catch (err) {
      throw new ConnectorError(this.#id, `oauth: failed to get token: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Exchanges the authorization code for an access token. */
  async exchangeCode(code: string): Promise<TokenResponse> {
    let style: AuthStyle = this.#style ?? 'basic';
    let r = await this.#post(code, style);
    if (this.#style === null && (r.status === 400 || r.status === 401)) {
      style = 'post';
      r = await this.#post(code, style);
    }
    const accessToken = r.body.access_token;
    if (r.status !== 200 || typeof accessToken !== 'string' || !accessToken) {
      const error = typeof r.body.error === 'string' ? r.body.error : '';
      throw codeExchangeError(this.#id, error, `oauth: failed to get token: HTTP ${r.status}${error ? ` (${safeErrorCode(error)})` : ''}`);
    }
    this.#style = style;
    return { accessToken };
  }

  /** The userinfo JSON object for an access token. */
  async userinfo(accessToken: string): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await this.#fetch(this.#config.userInfoURL, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
    } catch (err) {
      throw new ConnectorError(this.#id, `oauth: failed to execute request to userinfo: ${(err as Error).message}`, { cause: err });
    }
    if (res.status !== 200) throw new ConnectorError(this.#id, `oauth: failed to execute request to userinfo: status ${res.status}`);
    const body: unknown = await res.json().catch(() => null);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ConnectorError(this.#id, 'oauth: failed to parse userinfo: not a JSON object');
    }
    return body as Record<string, unknown>;
  }
}
