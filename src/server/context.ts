/**
 * The one server context: everything a route handler uses, built once per server by `createServerContext`
 * (called from `createServer`, server.ts) and passed to every handler in the route table (routes.ts).
 *
 * The caller assembles the `ServerParts` (`src/cli/start.ts` from the config; tests with memory storage, mock
 * connectors and a fixed clock); the context adds what the server derives from them once: the renderer, the token
 * issuer, the browser sessions, the cookie names, the access-token checker and the session-end policy. A handler
 * that is unit-tested with less takes a documented `Pick<ServerContext, ...>` instead.
 */

import type { Config } from '../config/types.js';
import type { Connector } from '../connectors/types.js';
import type { Signer } from '../keys/signer.js';
import type { Logger } from '../lib/logger.js';
import type { Metrics } from '../lib/metrics.js';
import type { Storage } from '../storage/storage.js';
import type { Client } from '../storage/types.js';
import { createSessionEnder, type SessionEnder } from './backchannel/end-session.js';
import { flowCookies, type FlowCookies } from './http/flow-cookies.js';
import { issuerPathOf } from './http/issuer-path.js';
import { SessionManager } from './sessions/session-manager.js';
import { createRenderer, type Renderer } from './templates/render.js';
import type { AttemptGuard } from './throttle/attempt-guard.js';
import { isOwnToken } from './tokens/access-tokens.js';
import { createTokenIssuer, type TokenIssuer } from './tokens/issuer.js';
import { createAccessTokenChecker, type AccessTokenChecker } from './tokens/token-checker.js';
import { accessTokenFormats } from './tokens/opaque-access-token.js';

/** A connector opened and ready, with the attributes from its config. */
export interface ResolvedConnector {
  id: string;
  type: string;
  name: string;
  /** Grant types this connector may be used for; empty = all. */
  grantTypes: string[];
  connector: Connector;
}

/** Looks connectors up by id (static ones from config plus ones stored through the API). */
export interface ConnectorResolver {
  /** Throws `NotFoundError` when no connector has that id. */
  get(id: string): Promise<ResolvedConnector>;
  /** All connectors, in config order. */
  list(): Promise<ResolvedConnector[]>;
}

export interface ServerContext {
  config: Config;
  storage: Storage;
  signer: Signer;
  connectors: ConnectorResolver;
  logger: Logger;
  now: () => Date;
  /** Prometheus metrics; absent in tests that don't look at them (and without a telemetry listener). */
  metrics?: Metrics;
  /** The brute-force throttle of password, user-code and device-callback attempts (stored, shared by replicas). */
  guard: AttemptGuard;

  /** `config.issuer`. */
  issuer: string;
  /** Path of the issuer URL without a trailing slash, e.g. `/dex` (may be empty). */
  issuerPath: string;
  renderer: Renderer;
  tokens: TokenIssuer;
  /** Browser sessions (`enabled` false with `DEX_SESSIONS_ENABLED=false`: dex v2.45.1's flow). */
  sessions: SessionManager;
  /** Names, path and attributes of the flow's cookies (`Secure` when the issuer is https). */
  cookies: FlowCookies;
  /** Access tokens presented at `/userinfo`, remembered briefly; revocation tells it to forget one. */
  accessTokens: AccessTokenChecker;
  /** The one policy for ending a browser session (logout, the home page's sign-out). */
  sessionEnder: SessionEnder;
  /** Connectors the client may use (its `allowedConnectors`, empty = all), in config order. Reads the list once. */
  connectorsFor(client: Client): Promise<ResolvedConnector[]>;
  /** True when `jwt` was signed by this issuer (signature and `iss`; expiry optionally ignored). */
  verifyOwnToken(jwt: string, opts?: { ignoreExpiry?: boolean }): Promise<boolean>;
}

/** What the caller assembles: the server's inputs, from which the rest of the context is derived. */
export type ServerParts = Pick<ServerContext, 'config' | 'storage' | 'signer' | 'connectors' | 'logger' | 'now' | 'metrics' | 'guard'>;

export async function createServerContext(parts: ServerParts): Promise<ServerContext> {
  const { config, storage, signer, logger, now, guard } = parts;
  const { issuer, frontend } = config;
  const issuerPath = issuerPathOf(issuer);
  const renderer = await createRenderer({
    dir: frontend.dir || undefined,
    issuer: frontend.issuer,
    logoURL: frontend.logoURL,
    theme: frontend.theme,
    extra: frontend.extra,
    issuerPath,
  });
  return {
    ...parts,
    issuer,
    issuerPath,
    renderer,
    tokens: createTokenIssuer({
      signer,
      issuer,
      idTokensValidFor: config.expiry.idTokens,
      now,
      opaque: { storage, formatOf: accessTokenFormats(config.oauth2) },
    }),
    sessions: new SessionManager({
      config: config.sessions ?? null,
      storage,
      logger,
      now,
      issuer,
      addressOf: (req) => guard.addressOf(req),
    }),
    cookies: flowCookies(issuer),
    accessTokens: createAccessTokenChecker({ signer, issuer, storage, now }),
    sessionEnder: createSessionEnder({ storage, logger, now }),
    async connectorsFor(client) {
      const all = await parts.connectors.list();
      return client.allowedConnectors.length ? all.filter((c) => client.allowedConnectors.includes(c.id)) : all;
    },
    verifyOwnToken: (jwt, opts = {}) => isOwnToken(signer, issuer, jwt, now(), opts),
  };
}
