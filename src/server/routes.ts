/**
 * Every URL Ferry serves under the issuer path (dex v2.45.1 `server/server.go` `newServer`), in one table:
 * `routeTable` lists method, path and handler; feature folders export the handlers, and only this file mounts
 * them (routes.test.ts fails when a route is registered anywhere else). Static assets (`/static/*`, `/theme/*`)
 * and `/robots.txt` are served by server.ts.
 *
 * Each route belongs to a scope: `api` routes (discovery, keys, token, introspection, revocation, userinfo) answer
 * cross-origin requests when `web.allowedOrigins` is set, and CORS headers never reach the others; `flow` routes
 * (the browser login) share a rate limiter keyed by the client address; `user-code` is the device page's user-code
 * form, with its own limit; `page` routes have neither.
 */

import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { approval } from './authflow/approval.js';
import { authorize } from './authflow/authorize.js';
import { callback } from './authflow/callback.js';
import { connectorLogin } from './authflow/connector-login.js';
import { passwordLogin } from './authflow/password-login.js';
import type { ServerContext } from './context.js';
import { deviceCallback } from './device/device-callback.js';
import { deviceCodeEndpoint } from './device/device-code.js';
import { devicePage, verifyUserCode } from './device/device-page.js';
import { isDeviceFlowEnabled, USER_CODE_TRIES } from './device/device-routes.js';
import { buildDiscovery } from './discovery/discovery.js';
import { tokenEndpoint } from './grants/endpoint.js';
import type { FormEndpoint } from './http/form-endpoint.js';
import { healthHandler } from './home/health.js';
import { homeHandlers } from './home/home-routes.js';
import { introspectionEndpoint } from './introspection/introspect.js';
import { keysHandler } from './keys-endpoint.js';
import { endSessionEndpoint, logoutCallback, LOGOUT_CALLBACK_PATH } from './logout/index.js';
import { backupGet, backupPost } from './mfa/backup-routes.js';
import { mfaCall, mfaEntry, mfaPage, webauthnScript } from './mfa/handlers.js';
import { createMfaContext } from './mfa/mfa-context.js';
import { totpGet, totpPost } from './mfa/totp-routes.js';
import { webauthnBegin, webauthnFinish, webauthnGet } from './mfa/webauthn-routes.js';
import { revocationEndpoint } from './revocation/revoke.js';
import { userinfoHandler } from './userinfo/userinfo.js';

export type RouteScope = 'api' | 'flow' | 'user-code' | 'page';

export interface Route {
  method: HTTPMethods[];
  url: string;
  scope: RouteScope;
  handler: (req: FastifyRequest, reply: FastifyReply) => unknown;
  /** Body-parser failures of a form endpoint, answered as OAuth errors. */
  errorHandler?: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => unknown;
  /** Requests per client address a minute. */
  perMinute?: number;
}

/**
 * Starting a login at an upstream stores an auth request for anyone who asks: each client address may start
 * `LOGIN_STARTS_PER_MINUTE` a minute (per replica), so an anonymous flood cannot grow the store without bound.
 */
export const LOGIN_STARTS_PER_MINUTE = 100;

type CtxHandler = (req: FastifyRequest, reply: FastifyReply, ctx: ServerContext) => Promise<FastifyReply>;
const GET: HTTPMethods[] = ['GET'];
const POST: HTTPMethods[] = ['POST'];
const GET_POST: HTTPMethods[] = ['GET', 'POST'];
/** A form endpoint's POST; other methods get dex's 400 `invalid_request` "method not allowed" (form-endpoint.ts). */
const OTHER: HTTPMethods[] = ['GET', 'PUT', 'PATCH', 'DELETE'];

const formRoutes = (scope: RouteScope, url: string, e: FormEndpoint): Route[] => [
  { method: POST, url, scope, handler: e.post, errorHandler: e.errorHandler },
  { method: OTHER, url, scope, handler: e.other },
];

/** The table. Optional parts are listed only when configured: device flow, MFA authenticators, sessions (logout). */
export async function routeTable(ctx: ServerContext): Promise<Route[]> {
  const { config } = ctx;
  const discovery = JSON.stringify(buildDiscovery(config, await ctx.signer.algorithm()), null, 2);
  const withCtx = (handler: CtxHandler) => (req: FastifyRequest, reply: FastifyReply) => handler(req, reply, ctx);
  const mfa = createMfaContext(ctx);
  const home = homeHandlers(ctx);
  const routes: Route[] = [
    { scope: 'api', method: GET, url: '/.well-known/openid-configuration', handler: (_req, reply) => reply.type('application/json').send(discovery) },
    { scope: 'api', method: GET, url: '/keys', handler: keysHandler(ctx.signer) },
    { scope: 'api', method: GET_POST, url: '/userinfo', handler: userinfoHandler(ctx.accessTokens) },
    ...formRoutes('api', '/token', tokenEndpoint(ctx)),
    ...formRoutes('api', '/token/introspect', introspectionEndpoint(ctx)),
    ...formRoutes('api', '/token/revoke', revocationEndpoint(ctx)),

    { scope: 'flow', method: GET_POST, url: '/auth', handler: withCtx(authorize) },
    { scope: 'flow', method: GET, url: '/auth/:connector', handler: withCtx(connectorLogin as CtxHandler), perMinute: LOGIN_STARTS_PER_MINUTE },
    { scope: 'flow', method: GET_POST, url: '/auth/:connector/login', handler: withCtx(passwordLogin as CtxHandler) },
    { scope: 'flow', method: GET_POST, url: '/callback', handler: withCtx(callback as CtxHandler) },
    { scope: 'flow', method: GET_POST, url: '/callback/:connector', handler: withCtx(callback as CtxHandler) },
    { scope: 'flow', method: GET_POST, url: '/approval', handler: withCtx(approval) },
  ];
  if (mfa.authenticators.size > 0) {
    routes.push(
      { scope: 'flow', method: GET, url: '/mfa', handler: mfaPage(mfa, mfaEntry) },
      { scope: 'flow', method: GET, url: '/mfa/totp', handler: mfaPage(mfa, totpGet) },
      { scope: 'flow', method: POST, url: '/mfa/totp', handler: mfaPage(mfa, totpPost) },
      { scope: 'flow', method: GET, url: '/mfa/backup', handler: mfaPage(mfa, backupGet) },
      { scope: 'flow', method: POST, url: '/mfa/backup', handler: mfaPage(mfa, backupPost) },
      { scope: 'flow', method: GET, url: '/mfa/webauthn', handler: mfaPage(mfa, webauthnGet) },
      { scope: 'flow', method: POST, url: '/mfa/webauthn/register/begin', handler: mfaCall(mfa, (q, r, c) => webauthnBegin(q, r, c, 'register')) },
      { scope: 'flow', method: POST, url: '/mfa/webauthn/register/finish', handler: mfaCall(mfa, (q, r, c) => webauthnFinish(q, r, c, 'register')) },
      { scope: 'flow', method: POST, url: '/mfa/webauthn/login/begin', handler: mfaCall(mfa, (q, r, c) => webauthnBegin(q, r, c, 'login')) },
      { scope: 'flow', method: POST, url: '/mfa/webauthn/login/finish', handler: mfaCall(mfa, (q, r, c) => webauthnFinish(q, r, c, 'login')) },
      { scope: 'flow', method: GET, url: '/mfa/webauthn.js', handler: webauthnScript },
    );
  }
  if (ctx.sessions.enabled) {
    routes.push(
      { scope: 'page', method: GET_POST, url: '/logout', handler: withCtx(endSessionEndpoint) },
      { scope: 'page', method: GET_POST, url: LOGOUT_CALLBACK_PATH, handler: withCtx(logoutCallback) },
    );
  }
  if (isDeviceFlowEnabled(config)) {
    routes.push(
      ...formRoutes('page', '/device/code', deviceCodeEndpoint(ctx)),
      { scope: 'page', method: GET, url: '/device', handler: withCtx(devicePage) },
      // User codes are short (8 letters): each client address may try at most USER_CODE_TRIES a minute.
      { scope: 'user-code', method: POST, url: '/device/auth/verify_code', handler: withCtx(verifyUserCode), perMinute: USER_CODE_TRIES },
      { scope: 'page', method: GET, url: '/device/callback', handler: withCtx(deviceCallback) },
    );
  }
  routes.push(
    { scope: 'page', method: GET, url: '/', handler: home.page },
    { scope: 'page', method: POST, url: '/home/:action', handler: home.action },
    { scope: 'page', method: GET, url: '/healthz', handler: healthHandler(ctx.storage, ctx.logger, ctx.now) },
  );
  return routes;
}

function mount(app: FastifyInstance, routes: Route[], scope: RouteScope): void {
  for (const r of routes) {
    if (r.scope !== scope) continue;
    const limit = r.perMinute === undefined ? {} : { config: { rateLimit: { max: r.perMinute, timeWindow: '1 minute' } } };
    const onError = r.errorHandler ? { errorHandler: r.errorHandler } : {};
    app.route({ method: r.method, url: r.url, handler: r.handler, ...onError, ...limit });
  }
}

/** Mounts the table on `app` (the issuer path's scope), each scope with its plugins. */
export async function registerRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const routes = await routeTable(ctx);
  const { web } = ctx.config;
  await app.register(async (scope) => {
    if (web.allowedOrigins.length > 0) {
      await scope.register(cors, { origin: web.allowedOrigins.includes('*') ? '*' : web.allowedOrigins, allowedHeaders: web.allowedHeaders });
    }
    mount(scope, routes, 'api');
  });
  await app.register(async (scope) => {
    await scope.register(rateLimit, { global: false, keyGenerator: (req) => ctx.guard.addressOf(req) });
    mount(scope, routes, 'flow');
  });
  if (routes.some((r) => r.scope === 'user-code')) {
    await app.register(async (scope) => {
      await scope.register(rateLimit, { global: false });
      mount(scope, routes, 'user-code');
    });
  }
  mount(app, routes, 'page');
}
