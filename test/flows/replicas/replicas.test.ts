/**
 * Three Ferry processes on ONE store (etcd, then PostgreSQL), as behind a load balancer (dex v2.45.1 `server/signer/rotation.go`;
 * docs/storage.md):
 * - a login started on one replica finishes on another and its code is redeemed on the third (and only once);
 * - with keys rotated every 2 s, every ID token issued by any replica verifies against every replica's /keys;
 * - 100 parallel refreshes of one refresh token spread over the replicas never answer 5xx, and all successes
 *   carry one and the same successor; outside the reuse window the old token is refused.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import { createTestDatabase, POSTGRES_PEER_MISSING, postgresPeer, type TestDatabase } from '../../peers/postgres/database.js';
import { browserLogin, type Cluster, redeem, refresh, startCluster } from './cluster.js';
import { CLIENT_IDS, REUSE_MS, ROTATION_MS, type StoreConfig } from './replicas.config.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Store {
  name: string;
  open(): Promise<{ storage: StoreConfig; close(): Promise<void> }>;
}

const stores: Store[] = [
  {
    name: 'etcd',
    open: async () => {
      const endpoints = process.env.FERRY_ETCD_ENDPOINTS;
      if (!endpoints) throw new Error('FERRY_ETCD_ENDPOINTS is not set: start test/peers/etcd/start.sh (node scripts/test.mjs --peers etcd,postgres)');
      const namespace = `replicas/${randomBytes(6).toString('hex')}/`;
      return { storage: { type: 'etcd', config: { endpoints: endpoints.split(','), namespace } }, close: async () => {} };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const peer = postgresPeer();
      if (!peer) throw new Error(POSTGRES_PEER_MISSING);
      const db: TestDatabase = await createTestDatabase(peer);
      return { storage: { type: 'postgres', config: db.config }, close: () => db.drop() };
    },
  },
];

for (const store of stores) {
  describe(`three replicas on one ${store.name}`, () => {
    let cluster: Cluster;
    let close = async () => {};
    before(async () => {
      const opened = await store.open();
      close = opened.close;
      cluster = await startCluster(3, opened.storage);
    });
    after(async () => {
      await cluster?.stop();
      await close();
    });

    const jwks = async (i: number) => createLocalJWKSet((await (await fetch(`${cluster.replicas[i]!.base}/keys`)).json()) as JSONWebKeySet);
    const verifyEverywhere = async (idToken: string, audience: string = CLIENT_IDS[0]) => {
      for (let i = 0; i < cluster.replicas.length; i++) {
        await jwtVerify(idToken, await jwks(i), { issuer: cluster.issuer, audience }).catch((err: unknown) => {
          throw new Error(`replica ${i}'s /keys does not verify a token (kid ${decodeProtectedHeader(idToken).kid}): ${String(err)}`);
        });
      }
    };

    test('a login started on replica 0 finishes on replica 1; the code is redeemed on replica 2, once', async () => {
      const [a, b, c] = cluster.replicas as [Cluster['replicas'][0], Cluster['replicas'][0], Cluster['replicas'][0]];
      const code = await browserLogin(a, b);
      const answer = await redeem(c, code);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.ok(answer.body.id_token && answer.body.refresh_token);
      await verifyEverywhere(answer.body.id_token);
      const again = await redeem(a, code);
      assert.equal(again.status, 400);
      assert.equal(again.body.error, 'invalid_grant');
    });

    test(`with keys rotated every ${ROTATION_MS / 1000} s, every issued ID token verifies against every replica`, async (t) => {
      const n = cluster.replicas.length;
      // One chain per client: a new login of the same user and client would replace the refresh token.
      const chains = await Promise.all(
        cluster.replicas.map(async (r, i) => {
          const code = await browserLogin(r, cluster.replicas[(i + 1) % n]!, CLIENT_IDS[i]);
          return (await redeem(cluster.replicas[(i + 2) % n]!, code, CLIENT_IDS[i])).body.refresh_token!;
        }),
      );
      const kids = new Set<string>();
      let checked = 0;
      const until = Date.now() + ROTATION_MS * 2.5;
      await Promise.all(
        chains.map(async (first, loop) => {
          let current = first;
          for (let i = loop; Date.now() < until; i++) {
            const answer = await refresh(cluster.replicas[i % n]!, current, CLIENT_IDS[loop]);
            assert.equal(answer.status, 200, JSON.stringify(answer.body));
            current = answer.body.refresh_token!;
            kids.add(decodeProtectedHeader(answer.body.id_token!).kid ?? '');
            await verifyEverywhere(answer.body.id_token!, CLIENT_IDS[loop]);
            checked++;
          }
        }),
      );
      assert.ok(kids.size >= 2, `tokens were signed by ${kids.size} key(s) over ${checked} refreshes: no rotation happened`);
      t.diagnostic(`${checked} ID tokens from ${kids.size} signing keys, each verified against all ${n} replicas`);
    });

    test('100 parallel refreshes of one token over the replicas: no 5xx, one successor, a replay after the window ends the family', async (t) => {
      const n = cluster.replicas.length;
      const issued = await redeem(cluster.replicas[2]!, await browserLogin(cluster.replicas[0]!, cluster.replicas[1]!));
      const original = issued.body.refresh_token!;
      await sleep(REUSE_MS + 100); // outside the reuse window of the issue, so the first refresh rotates
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => refresh(cluster.replicas[i % n]!, original)));
      const took = Date.now() - started;
      const ok = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status !== 200);
      assert.deepEqual(answers.filter((a) => a.status >= 500), [], 'never a 5xx');
      for (const a of refused) assert.deepEqual([a.status, a.body.error], [400, 'invalid_request'], JSON.stringify(a.body));
      assert.ok(ok.length >= 1, 'at least one refresh succeeds');
      const successors = new Set(ok.map((a) => a.body.refresh_token));
      assert.equal(successors.size, 1, `all successes carry one successor, got ${successors.size}`);
      const [successor] = [...successors] as [string];
      assert.notEqual(successor, original);
      t.diagnostic(`${ok.length} succeeded (reuse window), ${refused.length} refused (outside it); the burst took ${took} ms`);

      await sleep(REUSE_MS + 100);
      const old = await refresh(cluster.replicas[1]!, original);
      assert.deepEqual([old.status, old.body.error], [400, 'invalid_request'], 'the original is dead outside the window');
      // The replay outside the window revoked the family (RFC 9700 §4.14.2, issue 12 item 6), on every replica.
      const next = await refresh(cluster.replicas[2]!, successor);
      assert.deepEqual([next.status, next.body.error], [400, 'invalid_request'], 'the successor died with its family');
    });
  });
}
