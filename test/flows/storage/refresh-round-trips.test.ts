/**
 * A refresh grant costs at most 3 store round trips on the networked SQL stores (issue 9, "speed holds"; the
 * benchmark `bench/storage.ts` measures the same under load). Counted exactly, in-process, by the statements the
 * backends send (src/storage/sql/query-counter.ts), against the real PostgreSQL and MariaDB peers, each in a
 * database of its own. The connector is a refresh connector, so the grant also needs the user's OfflineSessions
 * (read in the same statement as the token).
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { queriesSent } from '../../../src/storage/sql/query-counter.js';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { createTestDatabase as createPg, POSTGRES_PEER_MISSING, postgresPeer } from '../../peers/postgres/database.js';
import { createTestDatabase as createMysql, MYSQL_PEER_MISSING, mysqlPeer } from '../../peers/mariadb/database.js';

const LIMIT = 3;
const CLIENTS = 4;

const config = (type: string, storage: unknown) => (issuer: string, listen: string) => `issuer: ${issuer}
storage: { type: ${type}, config: ${JSON.stringify(storage)} }
web: { http: ${listen} }
oauth2: { passwordConnector: mock, grantTypes: [authorization_code, refresh_token, password] }
expiry: { refreshTokens: { reuseInterval: 0s } }
connectors: [{ type: mockPassword, id: mock, name: Mock, config: { username: jane, password: secret } }]
staticClients:
${Array.from({ length: CLIENTS }, (_, i) => `- { id: c${i}, secret: s${i}, name: C${i}, redirectURIs: ['http://127.0.0.1:5555/cb'] }`).join('\n')}
`;

async function token(f: TestFerry, client: number, form: Record<string, string>): Promise<string> {
  const res = await fetch(`${f.issuer}/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`c${client}:s${client}`).toString('base64')}` },
    body: new URLSearchParams(form),
  });
  const body = (await res.json()) as { refresh_token?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(typeof body.refresh_token, 'string');
  return body.refresh_token!;
}

const login = (f: TestFerry, client: number) =>
  token(f, client, { grant_type: 'password', username: 'jane', password: 'secret', scope: 'openid email offline_access' });

/** Refreshes every chain `rounds` times (chains in parallel); returns the statements sent per refresh. */
async function perRefresh(f: TestFerry, chains: string[], rounds: number): Promise<number> {
  const before = queriesSent();
  await Promise.all(
    chains.map(async (_, i) => {
      for (let k = 0; k < rounds; k++) chains[i] = await token(f, i, { grant_type: 'refresh_token', refresh_token: chains[i]! });
    }),
  );
  return (queriesSent() - before) / (chains.length * rounds);
}

function roundTrips(name: string, start: () => Promise<{ f: TestFerry; close: () => Promise<void> }>): void {
  describe(`${name}: store round trips of a refresh grant`, () => {
    test(`at most ${LIMIT} per refresh, one chain after another and several chains at once`, async (t) => {
      const { f, close } = await start();
      try {
        const chains = [await login(f, 0)];
        await perRefresh(f, chains, 1); // warm: statements prepared, key material loaded
        const sequential = await perRefresh(f, chains, 10);
        for (let i = 1; i < CLIENTS; i++) chains.push(await login(f, i));
        const parallel = await perRefresh(f, chains, 5);
        t.diagnostic(`round trips per refresh: ${sequential} sequential, ${parallel} with ${CLIENTS} chains at once`);
        assert.ok(sequential <= LIMIT, `${sequential} round trips per sequential refresh`);
        assert.ok(parallel <= LIMIT, `${parallel} round trips per refresh with ${CLIENTS} chains at once`);
        // The count is real: a refresh reads the token and writes it back.
        assert.ok(sequential >= 2, `${sequential} round trips per refresh cannot be right`);
      } finally {
        await close();
      }
    });
  });
}

const pg = postgresPeer();
if (pg) {
  roundTrips('postgres', async () => {
    const db = await createPg(pg);
    const f = await startTestFerry(config('postgres', db.config));
    return { f, close: async () => (await f.stop(), await db.drop()) };
  });
} else {
  test('postgres: store round trips of a refresh grant', () => {
    throw new Error(POSTGRES_PEER_MISSING);
  });
}

const my = mysqlPeer();
if (my) {
  roundTrips('mysql (MariaDB peer)', async () => {
    const db = await createMysql(my);
    const f = await startTestFerry(config('mysql', db.config));
    return { f, close: async () => (await f.stop(), await db.drop()) };
  });
} else {
  test('mysql: store round trips of a refresh grant', () => {
    throw new Error(MYSQL_PEER_MISSING);
  });
}
