/**
 * `node --import tsx bench/refresh-round-trips.ts`: SQL round trips per refresh grant on PostgreSQL, counted exactly
 * (src/storage/sql/query-counter.ts): one Ferry in-process on a private PostgreSQL cluster, 16 clients logged in
 * once, then 20 sequential refreshes of one chain and 5 refreshes on each of the 16 chains at once. The in-process
 * counter is read after a pause at each edge, so nothing outside the refreshes is counted. Needs root and
 * postgresql-15. test/flows/storage/refresh-round-trips.test.ts holds the same count to the limit in `npm test`.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { queriesSent } from '../src/storage/sql/query-counter.js';
import { startPrivateCluster } from '../test/peers/postgres/cluster.js';
import { startTestFerry } from '../test/helpers/ferry.js';
import { keepAliveAgent } from './lib/http.js';
import { exchange, loginOnce } from './lib/login-flow.js';

const cluster = await startPrivateCluster();
const p = cluster.peer;
const N = 16;
const f = await startTestFerry((issuer, listen) => `issuer: ${issuer}
storage: { type: postgres, config: { host: ${p.host}, port: ${p.port}, user: ${p.user}, password: ${p.password}, database: ${p.database}, ssl: { mode: disable } } }
web: { http: ${listen} }
oauth2: { skipApprovalScreen: true }
expiry: { refreshTokens: { reuseInterval: 0s } }
connectors: [{ type: mockPassword, id: mock, name: Mock, config: { username: bench, password: bench } }]
staticClients:
${Array.from({ length: N }, (_, i) => `- { id: c${i}, secret: s, name: C${i}, redirectURIs: ['http://127.0.0.1:5555/cb'] }`).join('\n')}
`);
const agent = keepAliveAgent(N);
const target = (i: number) => ({ authorizationEndpoint: `${f.issuer}/auth`, tokenEndpoint: `${f.issuer}/token`, clientId: `c${i}`, clientSecret: 's', redirectUri: 'http://127.0.0.1:5555/cb', scope: 'openid email offline_access', username: 'bench', password: 'bench', extraParams: { connector_id: 'mock' } });
const chains: string[] = [];
for (let i = 0; i < N; i++) chains.push((await loginOnce(agent, target(i))).refresh_token!);
const count = async () => { await sleep(300); return queriesSent(); };
let c0 = await count();
// One chain, one refresh after another.
const R = 20;
for (let k = 0; k < R; k++) chains[0] = (await exchange(agent, target(0), { grant_type: 'refresh_token', refresh_token: chains[0]! })).refresh_token!;
let c1 = await count();
console.log('sequential round trips/refresh', (c1 - c0) / R);
c0 = await count();
await Promise.all(Array.from({ length: N }, async (_, i) => { for (let k = 0; k < 5; k++) chains[i] = (await exchange(agent, target(i), { grant_type: 'refresh_token', refresh_token: chains[i]! })).refresh_token!; }));
c1 = await count();
console.log(`${N} concurrent chains round trips/refresh`, (c1 - c0) / (N * 5));
agent.destroy();
await f.stop();
await cluster.destroy();
