/**
 * `startApiSim`: a loopback HTTP(S) server that speaks a SaaS provider's OAuth2 and REST API well enough for a
 * connector to log users in against it. The SaaS providers cannot be reached from the test machines, so each
 * provider simulator in `test/sim/<provider>-sim.ts` is a short list of routes over this helper.
 *
 * What every simulation gets:
 * - an authorize endpoint that redirects straight back to `redirect_uri` with `code` and `state` for a chosen user:
 *   the `sim_user` query parameter, else `login_hint`, else `sim.defaultUser`; `sim_deny=1` answers
 *   `error=access_denied` instead;
 * - a token endpoint (authorization_code, refresh_token) checking the client (Basic or form), issuing access and
 *   refresh tokens that can expire on the simulation clock (`sim.advance(ms)`), rotate and be revoked;
 * - bearer checking (`Authorization: Bearer x` or GitHub's `token x`) before every route with `auth` (the default);
 * - fault injection: `sim.inject('rate-limit' | 'server-error' | ..., { times, path })`;
 * - `sim.mutate(userKey, fn)` to change a user between login and refresh (returns an undo function);
 * - `sim.requests`: every request seen, for asserting scopes, headers and paging.
 *
 * @example
 * const sim = await startApiSim({
 *   users: { alice: { id: 1, login: 'alice' } },
 *   oauth: { authorizePath: '/login/oauth/authorize', tokenPath: '/login/oauth/access_token', clientId: 'c', clientSecret: 's' },
 *   routes: [{ path: '/user', handle: (_req, ctx) => json(ctx.user) }],
 * });
 * const back = await sim.authorize(loginURL, 'alice'); // the redirect to the connector's callback, with ?code
 */

import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { faultReply, json, type Fault, type RecordedRequest, type SimReply, type SimRequest } from './sim-http.js';
import { oauthRoutes, type OAuthOptions } from './sim-oauth.js';
import { simCert } from './sim-tls.js';
import { TokenBook } from './sim-tokens.js';

export { json, status, SIM_UPSTREAM_BODY, type Fault, type SimReply, type SimRequest } from './sim-http.js';
export type { OAuthOptions } from './sim-oauth.js';

/** What an authenticated route sees besides the request. */
export interface RouteContext<U> {
  userKey: string;
  user: U;
  scopes: string[];
  sim: ApiSim<U>;
}

export interface Route<U> {
  method?: 'GET' | 'POST';
  /** Exact path, `:name` segments captured into `req.params` (e.g. `/orgs/:org/members/:user`). */
  path: string;
  /** Require a valid bearer token (default true). Unauthenticated routes get `ctx.userKey === ''`. */
  auth?: boolean;
  handle(req: SimRequest, ctx: RouteContext<U>): SimReply | Promise<SimReply>;
}

export interface ApiSimOptions<U> {
  users: Record<string, U>;
  routes: Route<U>[];
  oauth: OAuthOptions;
  /** Serve HTTPS with a self-signed certificate for 127.0.0.1 (`sim.caFile`, `sim.caPEM`). */
  tls?: boolean;
  /** The 401 body for a missing or bad token (provider-shaped). */
  unauthorized?: SimReply;
}

export interface ApiSim<U> {
  /** Origin, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  /** `127.0.0.1:<port>` (for GitHub Enterprise's `hostName`). */
  readonly host: string;
  readonly caPEM: string | undefined;
  readonly caFile: string | undefined;
  readonly users: Record<string, U>;
  readonly requests: RecordedRequest[];
  readonly tokens: TokenBook;
  /** User logged in by the authorize endpoint when the request names none. */
  defaultUser: string;
  /** Follows a connector's login URL through the authorize endpoint as `userKey`; returns the redirect target. */
  authorize(loginURL: string, userKey?: string, extra?: Record<string, string>): Promise<URL>;
  /** Changes a user in place; the returned function restores the previous state. */
  mutate(userKey: string, change: (user: U) => void): () => void;
  /** Revokes every token of the user. */
  revoke(userKey: string): void;
  /** Moves the simulation clock forward (access-token expiry). */
  advance(ms: number): void;
  now(): number;
  /** The next `times` (default 1) requests whose path matches `path` (default: any but authorize) fail with `fault`. */
  inject(fault: Fault, opts?: { times?: number; path?: string | RegExp; retryAfter?: number }): void;
  /** Forgets recorded requests. */
  clearRequests(): void;
  close(): Promise<void>;
}

interface PendingFault {
  fault: Fault;
  left: number;
  path?: string | RegExp;
  retryAfter?: number;
}

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const p = a[i] ?? '';
    const v = b[i] ?? '';
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(v);
    else if (p !== v) return null;
  }
  return params;
}

const pathMatches = (want: string | RegExp | undefined, path: string) =>
  want === undefined || (typeof want === 'string' ? path === want || path.endsWith(want) : want.test(path));

function bearerOf(req: SimRequest): string | null {
  const m = /^(?:bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1] ?? null;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: SimReply): void {
  const headers = { ...reply.headers };
  let payload = reply.raw;
  if (payload === undefined && reply.body !== undefined) payload = JSON.stringify(reply.body);
  if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

export async function startApiSim<U>(opts: ApiSimOptions<U>): Promise<ApiSim<U>> {
  let clock = Date.now();
  const faults: PendingFault[] = [];
  const cert = opts.tls ? simCert() : undefined;
  const book = new TokenBook(opts.oauth, () => clock);
  const unauthorized = opts.unauthorized ?? json({ message: 'Bad credentials' }, 401);
  let origin = '';

  const sim: ApiSim<U> = {
    get url() {
      return origin;
    },
    get host() {
      return new URL(origin).host;
    },
    caPEM: cert?.cert,
    caFile: cert?.caFile,
    users: opts.users,
    requests: [],
    tokens: book,
    defaultUser: Object.keys(opts.users)[0] ?? '',
    async authorize(loginURL, userKey, extra = {}) {
      // Served in-process (no socket), so HTTPS simulations need no trust setup in the test itself.
      const u = new URL(loginURL);
      if (u.origin !== origin || u.pathname !== opts.oauth.authorizePath) throw new Error(`sim: ${u.origin}${u.pathname} is not this sim's authorize endpoint`);
      if (userKey !== undefined) u.searchParams.set('sim_user', userKey);
      for (const [k, v] of Object.entries(extra)) u.searchParams.set(k, v);
      const reply = await dispatch({ method: 'GET', path: u.pathname, query: u.searchParams, headers: {}, params: {}, body: '', form: new URLSearchParams(), url: u });
      sim.requests.push({ method: 'GET', path: u.pathname, query: u.searchParams, headers: {}, form: new URLSearchParams(), status: reply.status });
      const location = reply.headers?.location;
      if (reply.status !== 302 || !location) throw new Error(`sim authorize answered ${reply.status}: ${JSON.stringify(reply.body)}`);
      return new URL(location);
    },
    mutate(userKey, change) {
      const before = structuredClone(opts.users[userKey]);
      const user = opts.users[userKey];
      if (user === undefined) throw new Error(`sim: no user ${userKey}`);
      change(user);
      return () => {
        opts.users[userKey] = before as U;
      };
    },
    revoke: (userKey) => book.revoke(userKey),
    advance(ms) {
      clock += ms;
    },
    now: () => clock,
    inject(fault, o = {}) {
      faults.push({ fault, left: o.times ?? 1, path: o.path, retryAfter: o.retryAfter });
    },
    clearRequests() {
      sim.requests.length = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const routes: Route<U>[] = [...oauthRoutes<U>(opts.oauth, book), ...opts.routes];

  async function dispatch(req: SimRequest): Promise<SimReply> {
    const fault = req.path === opts.oauth.authorizePath ? undefined : faults.find((f) => f.left > 0 && pathMatches(f.path, req.path));
    if (fault) {
      fault.left -= 1;
      return faultReply(fault.fault, fault.retryAfter);
    }
    for (const route of routes) {
      if ((route.method ?? 'GET') !== req.method) continue;
      const params = matchPath(route.path, req.path);
      if (!params) continue;
      req.params = params;
      if (route.auth === false) return route.handle(req, { userKey: '', user: undefined as U, scopes: [], sim });
      const token = bearerOf(req);
      const grant = token ? book.check(token) : null;
      const user = grant ? opts.users[grant.userKey] : undefined;
      if (!grant || user === undefined) return unauthorized;
      return route.handle(req, { userKey: grant.userKey, user, scopes: grant.scopes, sim });
    }
    return json({ message: 'Not Found' }, 404);
  }

  const handler = async (raw: IncomingMessage, res: ServerResponse) => {
    const url = new URL(raw.url ?? '/', origin);
    const body = await readBody(raw);
    const req: SimRequest = {
      method: raw.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: raw.headers,
      params: {},
      body,
      form: new URLSearchParams(/x-www-form-urlencoded/.test(raw.headers['content-type'] ?? '') ? body : ''),
      url,
    };
    let reply: SimReply;
    try {
      reply = await dispatch(req);
    } catch (err) {
      reply = json({ message: `sim route threw: ${(err as Error).message}` }, 500);
    }
    sim.requests.push({ method: req.method, path: req.path, query: req.query, headers: req.headers, form: req.form, status: reply.status });
    send(res, reply);
  };

  const server: Server = cert
    ? createHttpsServer({ cert: cert.cert, key: cert.key }, (q, s) => void handler(q, s))
    : createHttpServer((q, s) => void handler(q, s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `${cert ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.unref();
  return sim;
}
