/**
 * The OAuth2 authorization-code client shared by the SaaS connectors (RFC 6749 §4.1, §6): the authorize URL,
 * the code exchange, the refresh grant, and "give me a usable access token" for refresh-time API calls.
 * The client secret is only ever written into the token request; it never appears in a message or a log.
 */

import { ConfigError, ConnectorError, UserRefusedError } from '../../lib/errors.js';
import { callbackError } from '../upstream-refusal.js';
import type { CallbackRequest } from '../types.js';
import type { JsonHttpClient } from '../http/index.js';
import { isTokenExpired, parseTokenResponse, type UpstreamToken } from './upstream-token.js';

export interface OAuth2ClientOptions {
  connectorId: string;
  clientId: string;
  clientSecret: string;
  authURL: string;
  tokenURL: string;
  /** The connector's configured `redirectURI`; logins are refused unless it equals `<issuer>/callback`. */
  redirectURI: string;
  /**
   * Client authentication at the token endpoint: HTTP Basic (default) or form fields (RFC 6749 §2.3.1), or a
   * JWT client assertion (RFC 7523 §2.2) from `clientAssertion`, read anew for every request.
   */
  authStyle?: 'basic' | 'post' | 'assertion';
  clientAssertion?: () => string;
  http: JsonHttpClient;
  now: () => Date;
}

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

export class OAuth2Client {
  // A #private field: util.inspect and JSON.stringify of the client never show the secret.
  readonly #o: OAuth2ClientOptions;

  constructor(options: OAuth2ClientOptions) {
    this.#o = options;
  }

  /**
   * The upstream authorize URL for `state`. Throws `ConfigError` when the server's callback URL is not the
   * configured `redirectURI` (dex refuses the login the same way).
   */
  authorizeURL(callbackURL: string, scopes: readonly string[], state: string, extra: Record<string, string> = {}): string {
    if (callbackURL !== this.#o.redirectURI) {
      throw new ConfigError(`redirectURI ${JSON.stringify(this.#o.redirectURI)} must be ${JSON.stringify(callbackURL)} (the issuer + /callback)`, `connector ${this.#o.connectorId}`);
    }
    const url = new URL(this.#o.authURL);
    url.searchParams.set('client_id', this.#o.clientId);
    url.searchParams.set('redirect_uri', this.#o.redirectURI);
    url.searchParams.set('response_type', 'code');
    if (scopes.length) url.searchParams.set('scope', scopes.join(' '));
    url.searchParams.set('state', state);
    for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
    return url.toString();
  }

  /** Trades the `code` of a callback for a token. An `error` on the callback is classified by upstream-refusal.ts. */
  async exchange(request: CallbackRequest): Promise<UpstreamToken> {
    const q = request.url.searchParams;
    const error = q.get('error');
    if (error !== null) throw callbackError(this.#o.connectorId, error, this.#o.connectorId);
    const code = q.get('code');
    if (!code) throw new UserRefusedError(this.#o.connectorId, 'bad_callback', `${this.#o.connectorId}: callback without a code`);
    return this.tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: this.#o.redirectURI });
  }

  /** The refresh grant. The old refresh token is kept when the answer carries no new one. */
  async refresh(refreshToken: string): Promise<UpstreamToken> {
    const token = await this.tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken });
    return token.refreshToken ? token : { ...token, refreshToken };
  }

  /**
   * A token whose access token is usable now: `token` itself while it has not expired, else a refreshed one.
   * `refreshed` tells the caller to store the new token in the connector data.
   */
  async usable(token: UpstreamToken): Promise<{ token: UpstreamToken; refreshed: boolean }> {
    if (!isTokenExpired(token, this.#o.now())) return { token, refreshed: false };
    if (!token.refreshToken) {
      throw new ConnectorError(this.#o.connectorId, `${this.#o.connectorId}: the upstream access token expired and there is no refresh token`);
    }
    return { token: await this.refresh(token.refreshToken), refreshed: true };
  }

  private async tokenRequest(fields: Record<string, string>): Promise<UpstreamToken> {
    const form = new URLSearchParams(fields);
    const headers: Record<string, string> = {};
    if (this.#o.authStyle === 'assertion') {
      form.set('client_id', this.#o.clientId);
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', this.#o.clientAssertion?.() ?? '');
    } else if (this.#o.authStyle === 'post') {
      form.set('client_id', this.#o.clientId);
      form.set('client_secret', this.#o.clientSecret);
    } else {
      const basic = Buffer.from(`${formEncode(this.#o.clientId)}:${formEncode(this.#o.clientSecret)}`).toString('base64');
      headers.authorization = `Basic ${basic}`;
    }
    // 400/401 answers carry an RFC 6749 §5.2 error code; parseTokenResponse turns it into a ConnectorError.
    const res = await this.#o.http.postForm(this.#o.tokenURL, form, { headers, acceptStatus: [400, 401] });
    return parseTokenResponse(this.#o.connectorId, res.body ?? {}, this.#o.now());
  }
}
