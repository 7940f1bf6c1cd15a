/**
 * The routes under the issuer path (dex v2.45.1 `server/server.go` `newServer`), as one table. CORS-enabled routes (discovery, keys,
 * token, introspection, revocation, userinfo) are mounted in their own scope so CORS headers never reach the
 * browser flow, the device flow's pages or the home page (`/`, which shows a signed-in user's account).
 */

import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { approval } from './authflow/approval.js';
import { authorize } from './authflow/authorize.js';
import { callback } from './authflow/callback.js';
import { connectorLogin } from './authflow/connector-login.js';
import type { FlowContext } from './authflow/flow-context.js';
import { passwordLogin } from './authflow/password-login.js';
import type { ServerDeps } from './deps.js';
import { createSessionEnder, type SessionEnder } from './backchannel/index.js';
import { registerDeviceFlow } from './device/device-routes.js';
import { buildDiscovery } from './discovery/discovery.js';
import { registerMfaRoutes } from './mfa/routes.js';
import { registerTokenEndpoint } from './grants/endpoint.js';
import { healthHandler } from './home/health.js';
import { registerHome } from './home/home-routes.js';
import { registerIntrospection } from './introspection/introspect.js';
import { keysHandler } from './keys-endpoint.js';
import { registerLogout } from './logout/index.js';
import { registerRevocation } from './revocation/revoke.js';
import { createAccessTokenChecker } from './tokens/token-checker.js';
import { userinfoHandler } from './userinfo/userinfo.js';

type Handler = (req: FastifyRequest, reply: FastifyReply, ctx: FlowContext) => Promise<FastifyReply>;
const GET_POST = ['GET', 'POST'] as ('GET' | 'POST')[];

const FLOW_ROUTES: { url: string; method: ('GET' | 'POST')[]; handler: Handler }[] = [
  { url: '/auth', method: GET_POST, handler: authorize },
  { url: '/auth/:connector', method: ['GET'], handler: connectorLogin as Handler },
  { url: '/auth/:connector/login', method: GET_POST, handler: passwordLogin as Handler },
  { url: '/callback', method: GET_POST, handler: callback as Handler },
  { url: '/callback/:connector', method: GET_POST, handler: callback as Handler },
  { url: '/approval', method: GET_POST, handler: approval },
];

/** Routes that answer cross-origin requests when `web.allowedOrigins` is set. */
async function registerApiRoutes(app: FastifyInstance, deps: ServerDeps, ctx: FlowContext): Promise<void> {
  const { config } = deps;
  if (config.web.allowedOrigins.length > 0) {
    const origins = config.web.allowedOrigins;
    await app.register(cors, { origin: origins.includes('*') ? '*' : origins, allowedHeaders: config.web.allowedHeaders });
  }
  const discovery = JSON.stringify(buildDiscovery(config, await deps.signer.algorithm()), null, 2);
  app.get('/.well-known/openid-configuration', (_req, reply) => reply.type('application/json').send(discovery));
  app.get('/keys', keysHandler(deps.signer));
  const accessTokens = createAccessTokenChecker({ signer: deps.signer, issuer: config.issuer, storage: deps.storage, now: deps.now });
  app.route({ url: '/userinfo', method: GET_POST, handler: userinfoHandler(accessTokens) });
  registerTokenEndpoint(app, { ...deps, tokens: ctx.tokens });
  registerIntrospection(app, deps);
  registerRevocation(app, deps, accessTokens);
}

/**
 * Starting a login at an upstream stores an auth request for anyone who asks: each client address may start
 * `LOGIN_STARTS_PER_MINUTE` a minute (per replica), so an anonymous flood cannot grow the store without bound.
 */
export const LOGIN_STARTS_PER_MINUTE = 100;
const RATE_LIMITED: Record<string, number> = { '/auth/:connector': LOGIN_STARTS_PER_MINUTE };

async function registerFlowRoutes(app: FastifyInstance, deps: ServerDeps, ctx: FlowContext): Promise<void> {
  await app.register(rateLimit, { global: false, keyGenerator: (req) => deps.guard.addressOf(req) });
  for (const r of FLOW_ROUTES) {
    const max = RATE_LIMITED[r.url];
    const config: { rateLimit?: { max: number; timeWindow: string } } = max === undefined ? {} : { rateLimit: { max, timeWindow: '1 minute' } };
    app.route({ url: r.url, method: r.method, config, handler: (req, reply) => r.handler(req, reply, ctx) });
  }
  registerMfaRoutes(app, ctx);
}

/** `/logout` and `/logout/callback` (sessions on), in their own scope: no CORS, no rate limit. */
function registerLogoutRoutes(app: FastifyInstance, deps: ServerDeps, ctx: FlowContext, ender: SessionEnder): void {
  const { config, storage, logger, now, connectors } = deps;
  registerLogout(app, { config, storage, logger, now, connectors, ender, signer: deps.signer, renderer: ctx.renderer, sessions: ctx.sessions, cookies: ctx.cookies });
}

export async function registerRoutes(app: FastifyInstance, deps: ServerDeps, ctx: FlowContext): Promise<void> {
  await app.register((scope) => registerApiRoutes(scope, deps, ctx));
  // One session-end policy (notify, drop session-bound refresh tokens, delete) for logout and the home page.
  const sessionEnder = createSessionEnder(deps);
  await app.register((scope) => registerFlowRoutes(scope, deps, ctx));
  await app.register(async (scope) => registerLogoutRoutes(scope, deps, ctx, sessionEnder));
  registerDeviceFlow(app, { ...deps, tokens: ctx.tokens }, ctx);
  registerHome(app, {
    ...deps,
    issuer: deps.config.issuer,
    sessions: ctx.sessions,
    endSession: (session, reason) => sessionEnder.endSession(session, reason),
    accessTokensValidFor: deps.config.expiry.idTokens,
  });
  app.get('/healthz', healthHandler(deps.storage, deps.logger, deps.now));
}
