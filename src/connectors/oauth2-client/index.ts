/**
 * OAuth2 authorization-code plumbing for the SaaS connectors (github, gitlab, gitea, bitbucket-cloud, linkedin,
 * and google, microsoft, openshift ...).
 *
 * Flow of a connector built on it:
 *   loginURL      → `OAuth2Client.authorizeURL(callbackURL, scopes, state)` (checks `redirectURI` = issuer/callback)
 *   handleCallback → `OAuth2Client.exchange(request)` (callback `error` or a refused code → ConnectorError)
 *                 → API calls with `JsonHttpClient.getJSON(url, { bearer })` (`../http/`), lists via `collectPages`
 *                 → `encodeTokenData(token)` into `Identity.connectorData` when `offlineAccess`
 *   refresh       → `decodeTokenData` → `OAuth2Client.usable(token)` (refreshes an expired token) or
 *                   `OAuth2Client.refresh(refreshToken)` → API calls again.
 *
 * Every upstream failure (network, timeout, non-2xx, rate limit, bad JSON, token refused) is a `ConnectorError`
 * whose message names the connector, the endpoint and the status, for the log; upstream bodies are never copied.
 *
 * @example
 * const http = new JsonHttpClient({ connectorId: id });
 * const oauth = new OAuth2Client({ connectorId: id, clientId, clientSecret, redirectURI,
 *   authURL: 'https://example.com/oauth/authorize', tokenURL: 'https://example.com/oauth/token', http, now: deps.now });
 * const url = oauth.authorizeURL(callbackURL, ['read_user'], state);
 * const token = await oauth.exchange(request);
 * const { body: user } = await http.getJSON<{ id: number }>('https://example.com/api/user', { bearer: token.accessToken });
 */

export { OAuth2Client, type OAuth2ClientOptions } from './oauth2-client.js';
export { openOAuth2Client, type OAuth2AppConfig, type OAuth2Endpoints } from './open-client.js';
export { collectPages, MAX_PAGES, nextLink, type Page } from './paging.js';
export { decodeTokenData, encodeTokenData, isTokenExpired, parseTokenResponse, type UpstreamToken } from './upstream-token.js';
export { TokenUserConnector } from './token-user-connector.js';
