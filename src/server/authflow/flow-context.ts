/**
 * Everything the browser login flow needs, built once in `server.ts` and shared by the authflow handlers.
 *
 * Flow: GET /auth → (connector list | 302 /auth/{id}) → GET /auth/{id} creates the AuthRequest and sends the
 * browser to the connector (upstream redirect, password form, or SAML POST) → /callback or the password POST
 * finishes the login (finalize.ts) → 303 /approval?req&hmac → consent (or skipped) → response.ts issues the code
 * or tokens to the verified redirect URI. Every step after the first is bound to the browser that started it.
 * With sessions on, a login (or a reused session, session-login.ts) goes to the dispatcher `/auth?req&hmac`
 * instead (dispatch.ts): MFA, then consent, then the response.
 */

import type { Config } from '../../config/types.js';
import type { Signer } from '../../keys/signer.js';
import type { Logger } from '../../lib/logger.js';
import type { Storage } from '../../storage/storage.js';
import type { Client } from '../../storage/types.js';
import type { ConnectorResolver, ResolvedConnector, ServerDeps } from '../deps.js';
import type { Renderer } from '../templates/render.js';
import { isOwnToken } from '../tokens/access-tokens.js';
import type { TokenIssuer } from '../tokens/issuer.js';
import { flowCookies, type FlowCookies } from '../http/flow-cookies.js';
import { issuerPathOf } from '../http/issuer-path.js';
import { SessionManager } from '../sessions/session-manager.js';

export interface FlowContext {
  config: Config;
  storage: Storage;
  logger: Logger;
  now: () => Date;
  issuer: string;
  /** Path of the issuer URL without a trailing slash, e.g. `/dex` (may be empty). */
  issuerPath: string;
  renderer: Renderer;
  tokens: TokenIssuer;
  connectors: ConnectorResolver;
  /** Connectors the client may use (its `allowedConnectors`, empty = all), in config order. */
  connectorsFor(client: Client): Promise<ResolvedConnector[]>;
  /** True when `jwt` was signed by this issuer (signature and `iss`; expiry optionally ignored): tokens/access-tokens.ts. */
  verifyOwnToken(jwt: string, opts?: { ignoreExpiry?: boolean }): Promise<boolean>;
  /** Cookies get `Secure` when the issuer is https. */
  secureCookies: boolean;
  /** The brute-force throttle (password form). */
  guard: ServerDeps['guard'];
  /** Names, path and attributes of the flow's cookies. */
  cookies: FlowCookies;
  /** Signs a short-lived form token with the server's stored signing key (form-token.ts). */
  signer: Signer;
  /** Browser sessions (`enabled` false with `DEX_SESSIONS_ENABLED=false`: dex v2.45.1's flow). */
  sessions: SessionManager;
}

export function createFlowContext(deps: ServerDeps, renderer: Renderer, tokens: TokenIssuer, signer: Signer): FlowContext {
  const { config } = deps;
  return {
    config,
    storage: deps.storage,
    logger: deps.logger,
    now: deps.now,
    issuer: config.issuer,
    issuerPath: issuerPathOf(config.issuer),
    renderer,
    tokens,
    connectors: deps.connectors,
    secureCookies: config.issuer.startsWith('https:'),
    guard: deps.guard,
    cookies: flowCookies(config.issuer),
    signer,
    sessions: new SessionManager({
      config: config.sessions ?? null,
      storage: deps.storage,
      logger: deps.logger,
      now: deps.now,
      issuer: config.issuer,
      addressOf: (req) => deps.guard.addressOf(req),
    }),
    async connectorsFor(client) {
      const all = await deps.connectors.list();
      return client.allowedConnectors.length ? all.filter((c) => client.allowedConnectors.includes(c.id)) : all;
    },
    verifyOwnToken: (jwt, opts = {}) => isOwnToken(signer, config.issuer, jwt, deps.now(), opts),
  };
}
