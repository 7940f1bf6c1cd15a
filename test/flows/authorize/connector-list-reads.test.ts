/**
 * A login request reads the connector list once (issue 14): `validateAuthRequest` lists the client's connectors and
 * every later check of the same request (`connector_id`, the login page's choice, the one connector decision in
 * flow-connector.ts) uses that copy. Counted on the resolver (`list`) and on the storage facade
 * (`listConnectors`, no cache in between), for each way a login starts.
 */

import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { Storage } from '../../../src/storage/storage.js';
import { APP_REDIRECT as REDIRECT, instrumentedServer } from '../../helpers/instrumented-server.js';

const ISSUER = 'http://127.0.0.1:5556/dex';
const YAML = `
issuer: ${ISSUER}
storage: {type: memory}
web: {http: 127.0.0.1:5556}
connectors:
- {type: mockPassword, id: pw, name: Password, config: {username: kilgore, password: trout}}
- {type: mockCallback, id: upstream, name: Upstream}
`;

const reads = { list: 0, listConnectors: 0 };
let app: FastifyInstance;

/** `storage` with `listConnectors` counted. */
function countingStorage(storage: Storage): Storage {
  return new Proxy(storage, {
    get(target, prop) {
      if (prop === 'listConnectors') {
        return () => {
          reads.listConnectors++;
          return target.listConnectors();
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

before(async () => {
  app = await instrumentedServer({
    yaml: YAML,
    storage: countingStorage,
    connectors: (opened) => ({
      get: (id) => opened.get(id),
      list: () => {
        reads.list++;
        return opened.list();
      },
    }),
  });
});

after(() => app.close());

beforeEach(() => {
  reads.list = 0;
  reads.listConnectors = 0;
});

const query = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ client_id: 'app', redirect_uri: REDIRECT, response_type: 'code', scope: 'openid', state: 's', ...extra });

const cases: [string, string, number, RegExp][] = [
  ['/auth with connector_id of a password connector', `/dex/auth?${query({ connector_id: 'pw' })}`, 302, /^\/dex\/auth\/pw\/login\?/],
  ['/auth with connector_id of a callback connector', `/dex/auth?${query({ connector_id: 'upstream' })}`, 302, /^https?:\/\//],
  ['/auth without connector_id (the connector list)', `/dex/auth?${query()}`, 200, /./],
  ['/auth/{connector} with connector_id', `/dex/auth/pw?${query({ connector_id: 'pw' })}`, 302, /^\/dex\/auth\/pw\/login\?/],
  ['the password form with connector_id', `/dex/auth/pw/login?${query({ connector_id: 'pw' })}`, 200, /./],
];

for (const [name, url, status, answer] of cases) {
  test(`${name}: the connector list is read once`, async () => {
    const res = await app.inject({ method: 'GET', url });
    assert.equal(res.statusCode, status, res.body.slice(0, 200));
    assert.match(status === 302 ? String(res.headers.location) : res.body, answer);
    assert.deepEqual(reads, { list: 1, listConnectors: 1 });
  });
}

test('a connector the request cannot use is still refused, from the same single read', async () => {
  const res = await app.inject({ method: 'GET', url: `/dex/auth/nope?${query()}` });
  assert.equal(res.statusCode, 404);
  assert.match(res.body, /Connector not found/);
  assert.deepEqual(reads, { list: 1, listConnectors: 1 });
});
