/**
 * createServer(parts): builds the HTTP application from its parts, through the one server context (context.ts). No
 * endpoint logic lives here: it sets up the shared pieces (body and cookie parsing, security headers, the error
 * channels, static assets) and mounts the route table (routes.ts) under the issuer path.
 */

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { listenerOptions, type Timeouts } from '../lib/listener-options.js';
import { issuerPathOf } from './http/issuer-path.js';
import { describe } from './responses/flow-errors.js';
import { createServerContext, type ServerContext, type ServerParts } from './context.js';
import { securityHeaders } from './http/security-headers.js';
import { sendJsonError } from './oauth2/write-json-error.js';
import { registerRoutes } from './routes.js';

/** Largest request body: a SAML response fits; everything else is far smaller. */
const BODY_LIMIT = 1024 * 1024;
const JSON_PATHS = ['/token', '/userinfo', '/keys', '/.well-known/'];

function isApiPath(url: string, issuerPath: string): boolean {
  const path = url.split('?')[0] ?? '';
  return JSON_PATHS.some((p) => path.startsWith(issuerPath + p));
}

/** Counts each response under dex's route pattern (`/auth/{connector}`); static assets are not instrumented. */
function instrument(app: FastifyInstance, ctx: ServerContext, issuerPath: string): void {
  const metrics = ctx.metrics;
  if (!metrics) return;
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url;
    if (!route || route.startsWith(`${issuerPath}/static`) || route.startsWith(`${issuerPath}/theme`)) return;
    const handler = (route.slice(issuerPath.length) || '/').replace(/:(\w+)/g, '{$1}');
    const bytes = Number(reply.getHeader('content-length') ?? 0);
    metrics.observeRequest({ code: reply.statusCode, method: req.method, handler }, reply.elapsedTime / 1000, bytes);
  });
}

export interface CreateServerOptions {
  /** TLS settings and key material to serve HTTPS (see `src/lib/tls-files.ts`). */
  https?: SecureContextOptions;
  /** Listener timeouts; fastify's defaults (none) when absent. */
  timeouts?: Timeouts;
}

export async function createServer(deps: ServerParts, opts: CreateServerOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const issuerPath = issuerPathOf(config.issuer);
  const ctx = await createServerContext(deps);
  const { renderer } = ctx;

  // Also for what fastify rejects before routing (a path parameter over maxParamLength, a malformed URL), which
  // would otherwise get fastify's default JSON with its internal error code.
  const onError = (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) deps.logger.error({ request_id: req.id, err: describe(err) }, 'request failed');
    const description =
      status >= 500 ? 'An internal server error occurred.'
      : status === 429 ? 'Too many attempts. Please wait a minute and try again.'
      : 'The request is malformed or too large.';
    if (isApiPath(req.url, issuerPath)) {
      const [code, error] = status >= 500 ? [500, 'server_error'] : [400, 'invalid_request'];
      return sendJsonError(reply, { status: code, error, description });
    }
    return reply.code(status).type('text/html; charset=utf-8').send(renderer.error({ status, message: description }));
  };
  const base = { logger: false, bodyLimit: BODY_LIMIT, genReqId: () => randomUUID(), routerOptions: { maxParamLength: 256 }, frameworkErrors: onError };
  const listener = opts.timeouts ? listenerOptions(opts.timeouts) : undefined;
  const withTimeouts = { ...base, ...listener?.fastify };
  const app = (
    opts.https
      ? Fastify({ ...withTimeouts, https: { ...opts.https, ...listener?.node } })
      : Fastify({ ...withTimeouts, http: listener?.node ?? {} })
  ) as unknown as FastifyInstance;
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.addHook('onSend', securityHeaders(config));
  instrument(app, ctx, issuerPath);

  app.setErrorHandler(onError);
  app.setNotFoundHandler((_req, reply) => reply.code(404).type('text/plain; charset=utf-8').send('404 page not found\n'));

  const web = renderer.root;
  await app.register(fastifyStatic, { root: join(web, 'static'), prefix: `${issuerPath}/static/`, index: false });
  await app.register(fastifyStatic, {
    root: renderer.themeDir,
    prefix: `${issuerPath}/theme/`,
    decorateReply: false,
    index: false,
  });
  app.get(`${issuerPath}/robots.txt`, (_req, reply) => reply.sendFile('robots.txt', web));
  await app.register((scope) => registerRoutes(scope, ctx), { prefix: issuerPath });
  return app;
}
