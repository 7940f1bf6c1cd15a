/**
 * The route table is the whole truth: a server built with every optional part on (device flow, sessions and
 * logout, MFA, CORS) serves exactly the table's routes plus what server.ts owns (static assets, robots.txt) and the
 * CORS preflight. A route registered anywhere else fails here.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../config/load.js';
import { createLocalSigner } from '../keys/local.js';
import { silentLogger } from '../lib/logger.js';
import { openMemoryStorage } from '../storage/memory/index.js';
import { openConnectors } from './connectors/resolve.js';
import { createServerContext, type ServerParts } from './context.js';
import { routeTable, type Route } from './routes.js';
import { createServer } from './server.js';
import { createAttemptGuard } from './throttle/attempt-guard.js';

const ISSUER = 'http://127.0.0.1:5556/dex';
const YAML = `
issuer: ${ISSUER}
storage: {type: memory}
web: {http: 127.0.0.1:5556, allowedOrigins: ['https://app.example.com']}
enablePasswordDB: true
mfa:
  authenticators:
  - {id: totp, type: TOTP, config: {issuer: Ferry Test}}
`;

/** Registered by server.ts itself (fastify-static and robots.txt), not by the table. */
const SERVER_OWNED = ['GET /dex/static/*', 'GET /dex/theme/*', 'GET /dex/robots.txt'];
/** @fastify/cors answers preflight requests in the API scope (its wildcard, under the issuer path's prefix). */
const CORS_PREFLIGHT = 'OPTIONS /dex*';

let parts: ServerParts;
let app: FastifyInstance;
let table: Route[];

before(async () => {
  const { config } = parseConfig(YAML, {});
  const storage = openMemoryStorage();
  const logger = silentLogger();
  const now = () => new Date();
  const signer = createLocalSigner({ storage, algorithm: 'ES256', rotationPeriod: 3_600_000, idTokensValidFor: 3_600_000, logger, now });
  await signer.rotate();
  const connectors = await openConnectors({ config, storage, deps: { logger, now, issuer: ISSUER }, lookupFactory: () => undefined, continueOnFailure: false });
  const guard = createAttemptGuard({ storage, now, logger, clientRemoteIP: config.web.clientRemoteIP });
  parts = { config, storage, signer, connectors, logger, now, guard };
  app = await createServer(parts);
  await app.ready();
  table = await routeTable(await createServerContext(parts));
});

after(() => app.close());

/**
 * `METHOD /path` for every route fastify serves, read from `printRoutes()`'s radix tree (each line one node under
 * its parent, four columns per level; nodes without methods are path segments only). HEAD is fastify's twin of GET.
 */
function served(tree: string): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(m[2] ?? '');
    const path = stack.join('').replace(/(.)\/$/, '$1');
    for (const method of (m[3] ?? '').split(', ').filter((x) => x !== '' && x !== 'HEAD')) out.add(`${method} ${path}`);
  }
  return out;
}

const listed = (routes: Route[]) => new Set(routes.flatMap((r) => r.method.map((m) => `${m} ${`/dex${r.url}`.replace(/(.)\/$/, '$1')}`)));

test('the table lists every optional part when it is configured', () => {
  const urls = new Set(table.map((r) => r.url));
  for (const url of ['/token', '/token/introspect', '/token/revoke', '/device/code', '/device/callback', '/mfa/totp', '/logout', '/healthz', '/']) {
    assert.ok(urls.has(url), url);
  }
});

test('every route in the table is served with its methods', () => {
  for (const r of table) {
    for (const method of r.method) assert.ok(app.hasRoute({ method, url: `/dex${r.url}` }), `${method} ${r.url}`);
  }
});

test('the server serves nothing the table does not list (besides server.ts’s own and the CORS preflight)', () => {
  const expected = new Set([...listed(table), ...SERVER_OWNED, CORS_PREFLIGHT]);
  const actual = served(app.printRoutes());
  assert.deepEqual([...actual].filter((r) => !expected.has(r)).sort(), [], 'served but not in the table');
  assert.deepEqual([...expected].filter((r) => !actual.has(r)).sort(), [], 'in the table but not served');
});

test('the reading of printRoutes finds a route added behind the table’s back', async () => {
  const extra = await createServer(parts);
  await extra.register(async (scope) => scope.get('/sneaky', async () => 'x'), { prefix: '/dex' });
  await extra.ready();
  try {
    assert.ok(served(extra.printRoutes()).has('GET /dex/sneaky'));
  } finally {
    await extra.close();
  }
});
