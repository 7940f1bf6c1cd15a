/**
 * The `linkedin` connector against the LinkedIn API simulation (test/sim/linkedin-sim.ts) — shaped like
 * LinkedIn's published v2 API, not the live service. LinkedIn's endpoints are replaced with the test-only
 * `createLinkedinFactory(endpoints)`.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isRefreshConnector } from '../../../src/connectors/capabilities.js';
import { runConnectorContract } from '../../../src/connectors/contract/index.js';
import { createLinkedinFactory, type LinkedinEndpoints } from '../../../src/connectors/linkedin/index.js';
import type { Connector } from '../../../src/connectors/types.js';
import type { ApiSim } from '../../sim/api-sim.js';
import { contractLogin, loginWithCode, SIM_CALLBACK, simLogin } from '../../sim/callback-login.js';
import { LINKEDIN_CLIENT, startLinkedinSim, type LinkedinSimUser } from '../../sim/linkedin-sim.js';
import { cleanRejection, OFFLINE, PLAIN, simDeps } from './saas-fixtures.js';

let sim: ApiSim<LinkedinSimUser>;
before(async () => {
  sim = await startLinkedinSim();
});
after(() => sim.close());

const base = { clientID: LINKEDIN_CLIENT.clientId, clientSecret: LINKEDIN_CLIENT.clientSecret, redirectURI: SIM_CALLBACK };
const SECRETS = [LINKEDIN_CLIENT.clientSecret];
const endpoints = (origin: string): LinkedinEndpoints => ({ authURL: `${origin}/oauth/v2/authorization`, tokenURL: `${origin}/oauth/v2/accessToken`, apiURL: `${origin}/v2` });
async function open(origin = sim.url): Promise<Connector> {
  const f = createLinkedinFactory(endpoints(origin));
  return f.open('linkedin', f.parseConfig(base, 'c'), simDeps());
}
const rejectsClean = cleanRejection(SECRETS);

runConnectorContract({
  name: 'linkedin (API simulation)',
  open: () => open(),
  openUnreachable: () => open('http://127.0.0.1:1'),
  login: contractLogin(() => sim),
  users: { primary: { username: 'alice', email: 'alice@example.com', emailVerified: true, groups: [] } },
  wrongCredentials: async (conn) => {
    await rejectsClean(simLogin(sim, conn, PLAIN, 'alice', { sim_deny: '1' }), 'refused');
    await rejectsClean(loginWithCode(conn, PLAIN, 'forged'), 'refused');
  },
  refresh: true,
});

describe('linkedin', () => {
  test('member id, full name, email; scopes r_liteprofile r_emailaddress; client secret as a form field', async () => {
    sim.clearRequests();
    const id = await simLogin(sim, await open(), PLAIN, 'alice');
    assert.deepEqual({ ...id, connectorData: null }, {
      userId: 'yrZCpj2Z12', username: 'Alice Liddell', preferredUsername: '', email: 'alice@example.com', emailVerified: true, groups: [], connectorData: null,
    });
    assert.equal(sim.requests.find((r) => r.path === '/oauth/v2/authorization')?.query.get('scope'), 'r_liteprofile r_emailaddress');
    const token = sim.requests.find((r) => r.path === '/oauth/v2/accessToken');
    assert.equal(token?.form.get('client_id'), LINKEDIN_CLIENT.clientId);
    assert.equal(token?.headers.authorization, undefined);
  });

  test('a member without a name is named by their email; without an email cannot log in', async () => {
    assert.equal((await simLogin(sim, await open(), PLAIN, 'nemo')).username, 'nemo@example.com');
    await rejectsClean(simLogin(sim, await open(), PLAIN, 'hidden'), 'refused');
  });

  test('refresh re-reads the profile with the stored access token; a revoked token fails cleanly', async () => {
    const conn = await open();
    assert.ok(isRefreshConnector(conn));
    const id = await simLogin(sim, conn, OFFLINE, 'alice');
    const restore = sim.mutate('alice', (u) => void (u.lastName = 'Pleasance Liddell'));
    try {
      assert.equal((await conn.refresh(OFFLINE, id)).username, 'Alice Pleasance Liddell');
    } finally {
      restore();
    }
    sim.revoke('alice');
    await rejectsClean(conn.refresh(OFFLINE, id));
  });

  for (const [fault, path] of [['rate-limit', '/v2/me'], ['server-error', '/v2/emailAddress'], ['malformed-json', '/v2/me'], ['bad-gateway', '/oauth/v2/accessToken']] as const) {
    test(`${fault} on ${path} fails cleanly`, async () => {
      const conn = await open();
      sim.inject(fault, { path });
      await rejectsClean(simLogin(sim, conn, PLAIN, 'alice'), 'upstream');
    });
  }
});
