/**
 * The HTTP server under the issuer URL (dex v2.45.1 `server/`): what dex's `server.go`, `handlers.go`,
 * `oauth2.go`, `refreshhandlers.go`, `deviceflowhandlers.go` and `introspectionhandler.go` do, split by feature.
 *
 * Built by `createServer(parts)` (server.ts) from `ServerParts` (context.ts: config, storage, signer, connectors,
 * logger, metrics, clock), which `src/cli/` assembles from the config and tests assemble directly; the server derives
 * the one `ServerContext` (context.ts) from them once and hands it to every handler. Every request
 * passes the same fastify hooks: security headers (http/), metrics (lib/metrics.ts), one error handler that answers
 * JSON on API paths and an error page elsewhere. routes.ts is the table of URLs.
 *
 * Folders:
 *   authflow/      the browser login: /auth, /auth/{connector}[/login], /callback, /approval (see its index.ts)
 *   grants/        POST /token and one file per grant type (authorization_code, refresh_token, password,
 *                  client_credentials, device_code, token exchange)
 *   device/        the device flow's /device/* pages and endpoints (RFC 8628)
 *   userinfo/, introspection/, revocation/, discovery/, home/ (/, /healthz) and keys-endpoint.ts (/keys)
 *   tokens/        the token services: building and signing ID and access tokens, verifying Ferry's own tokens,
 *                  refresh-token lookup, policy and issuance, the scope policy and cross-client trust, the
 *                  DeviceToken states, dex's `sub` and refresh-token wire forms
 *   oauth2/        the protocol's vocabulary: grant and response types, scopes, PKCE, client auth, OAuth errors
 *   http/          request parameters, cookies, security headers, the token form and the form-in, JSON-out
 *                  endpoint shell shared by the routes
 *   responses/     how a browser flow answers: to the client's verified redirect URI (query, fragment, form_post)
 *                  or with an error page; which redirect URIs may be answered (shared by authflow/ and device/)
 *   connectors/    which configured connectors a request may use, the built-in password DB
 *   templates/     rendering the pages (Handlebars, or a dex Go-template directory)
 *   throttle/      brute-force and request-rate guards
 *
 * Layering (what may import what) is enforced by the rules in eslint.config.js: a feature folder (authflow,
 * grants, device, introspection, revocation, userinfo, discovery, home, logout, mfa) never imports another; the
 * shared services never import a feature; oauth2/ is a leaf, http/ imports only oauth2/, tokens/ only both.
 */
export { createServer, type CreateServerOptions } from './server.js';
export type { ConnectorResolver, ResolvedConnector, ServerContext, ServerParts } from './context.js';
