/**
 * createServer(deps): builds the HTTP application from its dependencies. No endpoint logic lives here: it sets up
 * the shared pieces (body and cookie parsing, security headers, the error channels, static assets) and mounts the
 * route table under the issuer path.
 */

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { SecureContextOptions } from 'node:tls';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { listenerOptions, type Timeouts } from '../lib/listener-options.js';
import { createFlowContext, issuerPathOf } from './authflow/flow-context.js';
import { describe } from './authflow/flow-errors.js';
import type { ServerDeps } from './deps.js';
import { registerRoutes } from './routes.js';
import { createRenderer } from './templates/render.js';
import { createTokenIssuer } from './tokens/issuer.js';

/** Largest request body: a SAML response fits; everything else is far smaller. */
const BODY_LIMIT = 1024 * 1024;
const JSON_PATHS = ['/token', '/userinfo', '/keys', '/.well-known/'];

function isApiPath(url: string, issuerPath: string): boolean {
  const path = url.split('?')[0] ?? '';
  return JSON_PATHS.some((p) => path.startsWith(issuerPath + p));
}

/** Headers on every response: the operator's `web.headers`, and anti-framing defaults on HTML pages. */
function securityHeaders(deps: ServerDeps) {
  const configured = Object.entries(deps.config.web.headers).filter(([, v]) => v);
  const hasCSP = configured.some(([k]) => k.toLowerCase() === 'content-security-policy');
  const hasXFO = configured.some(([k]) => k.toLowerCase() === 'x-frame-options');
  return async (_req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    // A page's own CSP (form_post) stays; an operator's policy is sent beside it: browsers enforce both.
    const own = reply.getHeader('content-security-policy');
    for (const [k, v] of configured) reply.header(k, v);
    if (own !== undefined && hasCSP) reply.header('content-security-policy', [String(own), String(reply.getHeader('content-security-policy'))]);
    if (!reply.hasHeader('x-content-type-options')) reply.header('x-content-type-options', 'nosniff');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      if (!hasCSP && own === undefined) reply.header('content-security-policy', "frame-ancestors 'none'");
      if (!hasXFO) reply.header('x-frame-options', 'DENY');
      reply.header('referrer-policy', 'no-referrer');
    }
    return payload;
  };
}

/** Counts each response under dex's route pattern (`/auth/{connector}`); static assets are not instrumented. */
function instrument(app: FastifyInstance, deps: ServerDeps, issuerPath: string): void {
  const metrics = deps.metrics;
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

export async function createServer(deps: ServerDeps, opts: CreateServerOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const issuerPath = issuerPathOf(config.issuer);
  const renderer = await createRenderer({
    dir: config.frontend.dir || undefined,
    issuer: config.frontend.issuer,
    logoURL: config.frontend.logoURL,
    theme: config.frontend.theme,
    extra: config.frontend.extra,
    issuerPath,
  });
  const tokens = createTokenIssuer({ signer: deps.signer, issuer: config.issuer, idTokensValidFor: config.expiry.idTokens, now: deps.now });
  const ctx = createFlowContext(deps, renderer, tokens, deps.signer);

  const base = { logger: false, bodyLimit: BODY_LIMIT, genReqId: () => randomUUID(), routerOptions: { maxParamLength: 256 } };
  const listener = opts.timeouts ? listenerOptions(opts.timeouts) : undefined;
  const withTimeouts = { ...base, ...listener?.fastify };
  const app = (
    opts.https
      ? Fastify({ ...withTimeouts, https: { ...opts.https, ...listener?.node } })
      : Fastify({ ...withTimeouts, http: listener?.node ?? {} })
  ) as unknown as FastifyInstance;
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  app.addHook('onSend', securityHeaders(deps));
  instrument(app, deps, issuerPath);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) deps.logger.error({ request_id: req.id, err: describe(err) }, 'request failed');
    const description =
      status >= 500 ? 'An internal server error occurred.'
      : status === 429 ? 'Too many attempts. Please wait a minute and try again.'
      : 'The request is malformed or too large.';
    if (isApiPath(req.url, issuerPath)) {
      return reply.code(status >= 500 ? 500 : 400).header('cache-control', 'no-store')
        .send({ error: status >= 500 ? 'server_error' : 'invalid_request', error_description: description });
    }
    return reply.code(status).type('text/html; charset=utf-8').send(renderer.error({ status, message: description }));
  });
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
  await app.register((scope) => registerRoutes(scope, deps, ctx), { prefix: issuerPath });
  return app;
}
