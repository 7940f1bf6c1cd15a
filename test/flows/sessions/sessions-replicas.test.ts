/**
 * A browser session made on one replica is used on another: three Ferry processes share one SQLite file (as behind
 * a load balancer, every request may land anywhere). The user logs in through replica 0, then a `prompt=none`
 * request on replica 2 and an ordinary one on replica 1 sign in without a password, under the same `sid`.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeJwt } from 'jose';
import { readForm, UserAgent } from '../../helpers/user-agent.js';
import { type Cluster, follow, redeem, startCluster } from '../replicas/cluster.js';
import { CLIENT_IDS, REDIRECT, USER } from '../replicas/replicas.config.js';

let cluster: Cluster;
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-session-replicas-'));
  cluster = await startCluster(3, { type: 'sqlite3', config: { file: join(dir, 'ferry.db') } });
});
after(async () => {
  await cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const authURL = (base: string, extra: Record<string, string> = {}) =>
  `${base}/auth?${new URLSearchParams({ client_id: CLIENT_IDS[0], redirect_uri: REDIRECT, response_type: 'code', scope: 'openid email', state: 's', ...extra })}`;

const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

async function sidOf(replica: number, code: string): Promise<string> {
  const answer = await redeem(cluster.replicas[replica]!, code);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return String(decodeJwt(answer.body.id_token ?? '').sid);
}

test('a session made on replica 0 signs the user in on replicas 2 and 1', async () => {
  const [r0, r1, r2] = cluster.replicas;
  assert.ok(r0 && r1 && r2);
  const ua = new UserAgent(r0.origin);
  let page = await follow(ua, r0, authURL(r0.base));
  assert.equal(page.status, 200, 'the password form');
  const login = readForm({ ...page, headers: new Headers() });
  page = await follow(ua, r0, login.action, form({ ...login.fields, login: USER.email, password: USER.password }));
  assert.equal(page.status, 200, 'the approval page');
  const approval = readForm({ ...page, headers: new Headers() });
  page = await follow(ua, r0, approval.action, form({ ...approval.fields, approval: 'approve' }));
  assert.ok(page.redirect?.searchParams.get('code'));
  const sid = await sidOf(0, page.redirect?.searchParams.get('code') ?? '');

  const silent = await follow(ua, r2, authURL(r2.base, { prompt: 'none' }));
  assert.ok(silent.redirect?.searchParams.get('code'), `a code without interaction on replica 2: ${silent.redirect?.href ?? silent.html.slice(0, 200)}`);
  assert.equal(await sidOf(1, silent.redirect?.searchParams.get('code') ?? ''), sid);

  const again = await follow(ua, r1, authURL(r1.base));
  assert.ok(again.redirect?.searchParams.get('code'), 'no password form, no approval (remembered) on replica 1');
  assert.equal(await sidOf(2, again.redirect?.searchParams.get('code') ?? ''), sid);
});
