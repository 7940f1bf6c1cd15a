/**
 * Fixture for the `/token` flow tests: a fastify app with only the token endpoint mounted under the issuer path,
 * memory storage, a real local signer (ES256), the mock connectors plus spies, and an injected clock.
 * Codes and refresh tokens are created directly in storage (no /auth flow needed).
 */

import { Writable } from 'node:stream';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import type { Config, RefreshExpiryConfig } from '../../../src/config/types.js';
import { MockCallbackConnector, MockPasswordConnector } from '../../../src/connectors/mock/index.js';
import type { Connector, Identity, RefreshConnector, Scopes } from '../../../src/connectors/types.js';
import { createLocalSigner } from '../../../src/keys/local.js';
import { NotFoundError } from '../../../src/lib/errors.js';
import { createServerContext, type ConnectorResolver, type ResolvedConnector, type ServerContext } from '../../../src/server/context.js';
import { tokenEndpoint } from '../../../src/server/grants/endpoint.js';
import { openMemoryStorage } from '../../../src/storage/memory/index.js';
import type { Storage } from '../../../src/storage/storage.js';
import type { AuthCode, Claims, Client } from '../../../src/storage/types.js';
import { createAttemptGuard } from '../../../src/server/throttle/attempt-guard.js';

export const ISSUER = 'http://127.0.0.1:5556/dex';
export const REDIRECT = 'https://app.example.com/callback';
/** A secret with characters that must be URL-escaped inside HTTP Basic. */
export const APP_SECRET = 'app s3cr+t/=:%';
export const T0 = new Date('2030-01-01T00:00:00Z');
export const DAY = 86_400_000;

const client = (id: string, over: Partial<Client> = {}): Client => ({
  id, secret: '', public: false, redirectURIs: [REDIRECT], trustedPeers: [], name: id, logoURL: '',
  allowedConnectors: [], postLogoutRedirectURIs: [], backchannelLogoutURI: '', refreshTokenLifetime: '',
  clientCredentialsClaims: null, ssoSharedWith: null, mfaChain: null, ...over,
});

export const CLIENTS: Client[] = [
  client('app', { secret: APP_SECRET }),
  client('other', { secret: 'other-secret' }),
  client('cli', { public: true }),
  client('only-pw', { secret: 'only-pw-secret', allowedConnectors: ['pw'] }),
];

/** A refresh connector that counts calls, can be told to fail, and reports a renamed user. */
export class SpyConnector implements RefreshConnector {
  calls = 0;
  fail = false;
  lastData: string | null = null;
  async refresh(_scopes: Scopes, identity: Identity): Promise<Identity> {
    this.calls++;
    this.lastData = identity.connectorData ? new TextDecoder().decode(identity.connectorData) : null;
    await new Promise((r) => setImmediate(r));
    if (this.fail) throw new Error('upstream said no at /very/secret/path');
    return { ...identity, username: 'Renamed', groups: ['new-group'], connectorData: new TextEncoder().encode(`data-${this.calls}`) };
  }
}

export const claims = (over: Partial<Claims> = {}): Claims => ({
  userId: '0-385-28089-0', username: 'Kilgore Trout', preferredUsername: 'kilgore', email: 'kilgore@kilgore.trout',
  emailVerified: true, groups: [], ...over,
});

function config(grantTypes: string[], refreshTokens: RefreshExpiryConfig): Config {
  return {
    issuer: ISSUER,
    storage: { type: 'memory', config: {} },
    web: { http: '127.0.0.1:5556', https: '', tlsCert: '', tlsKey: '', tlsMinVersion: '', tlsMaxVersion: '', headers: {},
      allowedOrigins: [], allowedHeaders: ['Authorization'], clientRemoteIP: { header: '', trustedProxies: [] } },
    telemetry: { http: '', enableProfiling: false },
    grpc: { addr: '', tlsCert: '', tlsKey: '', tlsClientCA: '', tlsMinVersion: '', tlsMaxVersion: '', reflection: false },
    expiry: { idTokens: DAY, authRequests: DAY, deviceRequests: 300_000, signingKeys: 0, refreshTokens },
    logger: { level: 'info', format: 'json', excludeFields: [] },
    oauth2: { grantTypes, responseTypes: ['code'], skipApprovalScreen: true, alwaysShowLoginScreen: false, passwordConnector: '',
      pkce: { enforce: false, codeChallengeMethodsSupported: ['S256', 'plain'], requireS256ForPublicClients: true } },
    frontend: { dir: '', logoURL: '', issuer: 'dex', theme: 'light', extra: {} },
    signer: { type: 'local', keysRotationPeriod: 6 * 3600_000, algorithm: 'ES256' },
    connectors: [],
    staticClients: [],
    enablePasswordDB: false,
    staticPasswords: [],
  };
}

export interface TokenFixture {
  app: FastifyInstance;
  storage: Storage;
  deps: ServerContext;
  spy: SpyConnector;
  /** Moves the injected clock. */
  advance(ms: number): void;
  /** Every log line written so far (JSON). */
  logs: string[];
  close(): Promise<void>;
}

export interface FixtureOptions {
  grantTypes?: string[];
  refresh?: Partial<RefreshExpiryConfig>;
  /** `oauth2.pkce.requireS256ForPublicClients` (default true, as in the config loader). */
  publicS256?: boolean;
}

export async function tokenFixture(opts: FixtureOptions = {}): Promise<TokenFixture> {
  let t = T0.getTime();
  const now = () => new Date(t);
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } }));
  const storage = openMemoryStorage();
  for (const c of CLIENTS) await storage.createClient(c);

  const spy = new SpyConnector();
  const resolved = (id: string, connector: Connector, grantTypes: string[] = []): ResolvedConnector => ({ id, type: id, name: id, grantTypes, connector });
  const table = new Map<string, ResolvedConnector>([
    ['mock', resolved('mock', new MockCallbackConnector())],
    ['pw', resolved('pw', new MockPasswordConnector({ username: 'kilgore', password: 'trout' }))],
    ['spy', resolved('spy', spy)],
    ['plain', resolved('plain', {})],
    ['no-refresh-grant', resolved('no-refresh-grant', new MockCallbackConnector(), ['authorization_code'])],
  ]);
  const connectors: ConnectorResolver = {
    get: async (id) => {
      const c = table.get(id);
      if (!c) throw new NotFoundError(`connector ${id}`);
      return c;
    },
    list: async () => [...table.values()],
  };

  const signer = createLocalSigner({ storage, algorithm: 'ES256', rotationPeriod: 6 * 3600_000, idTokensValidFor: DAY, logger, now });
  await signer.rotate();
  const refreshTokens = { disableRotation: false, reuseInterval: 0, absoluteLifetime: 0, validIfNotUsedFor: 0, ...opts.refresh };
  const cfg = config(opts.grantTypes ?? ['authorization_code', 'refresh_token', 'implicit'], refreshTokens);
  const guard = createAttemptGuard({ storage, now, logger, clientRemoteIP: cfg.web.clientRemoteIP });
  cfg.oauth2.pkce.requireS256ForPublicClients = opts.publicS256 ?? true;
  const deps: ServerContext = await createServerContext({ config: cfg, storage, signer, connectors, logger, now, guard });

  const app = Fastify({ logger: false });
  await app.register(formbody);
  const token = tokenEndpoint(deps);
  await app.register(async (scoped) => {
    scoped.route({ method: 'POST', url: '/token', handler: token.post, errorHandler: token.errorHandler });
    scoped.route({ method: ['GET', 'PUT', 'PATCH', 'DELETE'], url: '/token', handler: token.other });
  }, { prefix: '/dex' });
  await app.ready();
  return { app, storage, deps, spy, logs, advance: (ms) => void (t += ms), close: () => app.close() };
}

/** Stores an authorization code for `clientId` (defaults: mock connector, openid + offline_access, no PKCE). */
export async function storeCode(f: TokenFixture, over: Partial<AuthCode> = {}): Promise<AuthCode> {
  const code: AuthCode = {
    id: `code-${Math.random().toString(36).slice(2)}`,
    clientId: 'app',
    redirectURI: REDIRECT,
    nonce: 'n-0S6_WzA2Mj',
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    connectorId: 'mock',
    connectorData: null,
    claims: claims(),
    expiry: new Date(f.deps.now().getTime() + 30 * 60_000),
    pkce: { codeChallenge: '', codeChallengeMethod: '' },
    authTime: f.deps.now(),
    sessionId: '',
    ...over,
  };
  await f.storage.createAuthCode(code);
  return code;
}
