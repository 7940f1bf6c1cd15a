/**
 * Back-channel logout across three replicas on one PostgreSQL store: a logout on one replica is delivered from
 * whichever replica claims the outbox entry, and a replica killed in the middle of a delivery (the relying party
 * hangs, so the replica holds the lease) loses nothing: once its lease runs out another replica delivers.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import { freePort } from '../../helpers/ferry.js';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { type BackchannelReceiver, startBackchannelReceiver } from './backchannel-receiver.js';
import { killReplica, type LogoutCluster, type LogoutReplica, startLogoutCluster } from './logout-cluster.js';
import { CLIENT, type LogoutPorts, postLogoutURI, rpCallback, USER } from './logout.config.js';

const OUTBOX = `sessions:
  backchannelLogout:
    timeout: 20s
    leaseDuration: 25s
    retryAfter: 500ms
    maxRetryDelay: 1s
    pollInterval: 200ms
`;

let cluster: LogoutCluster;
let receiver: BackchannelReceiver;
let ports: LogoutPorts;

before(async () => {
  ports = { rp: await freePort(), backchannel: await freePort() };
  cluster = await startLogoutCluster(3, ports, OUTBOX);
  receiver = await startBackchannelReceiver(ports.backchannel, cluster.issuer, CLIENT.id);
});

after(async () => {
  receiver?.close();
  await cluster?.stop();
});

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** Logs in on `r` with a scripted browser; returns the browser and the ID token (redeemed on `r` too). */
async function login(r: LogoutReplica): Promise<{ ua: UserAgent; idToken: string }> {
  const ua = new UserAgent(r.base);
  const q = new URLSearchParams({ client_id: CLIENT.id, redirect_uri: rpCallback(ports), response_type: 'code', scope: 'openid email', state: 's1', nonce: 'n1' });
  let page = await ua.browse(`${r.base}/auth?${q}`);
  page = await ua.submit(readForm(page), { login: USER.email, password: USER.password });
  if (!page.redirect) page = await ua.submit(readForm(page), { approval: 'approve' });
  const code = page.redirect?.searchParams.get('code');
  assert.ok(code, `a code (status ${page.status})`);
  const basic = `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`;
  const res = await fetch(`${r.base}/token`, { ...form({ grant_type: 'authorization_code', code, redirect_uri: rpCallback(ports) }), headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic } });
  const body = (await res.json()) as { id_token?: string };
  assert.ok(body.id_token, 'an ID token');
  return { ua, idToken: body.id_token };
}

/** The outbox once it is empty, or as it is after `ms` (a delivery is deleted just after the receiver accepts it). */
async function outboxOnceSettled(ms: number) {
  const deadline = Date.now() + ms;
  let rows = await cluster.storage.listLogoutDeliveries();
  while (rows.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    rows = await cluster.storage.listLogoutDeliveries();
  }
  return rows;
}

/** RP-initiated logout of `ua`'s session on replica `r` (cookies are per host, so any replica sees them). */
async function logout(ua: UserAgent, r: LogoutReplica, idToken: string): Promise<void> {
  const q = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: postLogoutURI(ports), state: 'x' });
  const res = await ua.request(`${r.base}/logout?${q}`);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `${postLogoutURI(ports)}?state=x`);
}

test('a logout on replica 2 of a login on replica 0 is delivered once, with the ID token\'s sid', async () => {
  const [r0, , r2] = cluster.replicas as [LogoutReplica, LogoutReplica, LogoutReplica];
  const { ua, idToken } = await login(r0);
  await logout(ua, r2, idToken);
  const [got] = await receiver.waitFor(1, 15_000);
  assert.equal(got?.claims.sid, decodeJwt(idToken).sid);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(receiver.received.length, 1, 'delivered once, not once per replica');
  assert.deepEqual(await outboxOnceSettled(5_000), [], 'the outbox is empty');
});

test('the replica holding the lease is killed mid-delivery; another replica delivers after the lease', async () => {
  const before = receiver.received.length;
  const postsBefore = receiver.attempts();
  receiver.behave('hang');
  const { ua, idToken } = await login(cluster.replicas[1]!);
  await logout(ua, cluster.replicas[1]!, idToken);
  const deadline = Date.now() + 15_000;
  let owner = '';
  while (!owner) {
    assert.ok(Date.now() < deadline, 'a replica claimed the notification');
    owner = (await cluster.storage.listLogoutDeliveries())[0]?.leaseOwner ?? '';
    if (!owner) await new Promise((r) => setTimeout(r, 50));
  }
  while (receiver.attempts() === postsBefore) await new Promise((r) => setTimeout(r, 50)); // the POST is in flight
  const pid = Number(owner.split(':')[1]);
  const holder = cluster.replicas.find((r) => r.child.pid === pid);
  assert.ok(holder, `the lease owner ${owner} is one of the replicas`);
  await killReplica(holder);
  receiver.behave('accept');
  const [got] = (await receiver.waitFor(before + 1, 60_000)).slice(before);
  assert.equal(got?.claims.sid, decodeJwt(idToken).sid, 'the notification survived its replica');
  // The receiver records the token before its 200 reaches the delivering replica, which only then deletes the row.
  assert.deepEqual(await outboxOnceSettled(5_000), [], 'the delivered notification leaves the outbox');
});
