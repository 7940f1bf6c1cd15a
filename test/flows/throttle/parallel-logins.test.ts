/**
 * Parallel logins with the right password are never refused for being parallel: the throttle claims each attempt
 * before its check and counts a failure only when the check fails (src/server/throttle/throttle.ts). Two Ferry
 * processes share one SQLite file, as workers or replicas do, and every request goes through the trusted proxy
 * with one client address, as a NAT's users do. Before, every attempt in flight counted as a failure: the 31st
 * parallel login from one address blocked the address, and the sixth of one account the account.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { basic } from '../grants/grants.config.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-parallel-'));
const USERS = 40;
const user = (i: number) => ({ email: `user${i}@example.com`, password: `pw-${i}` });
const NAT = '203.0.113.50';
let a: TestFerry;
let b: TestFerry;

const config = (hashes: string[]) => (issuer: string, listen: string) => `
issuer: ${issuer}
storage: { type: sqlite3, config: { file: ${join(dir, 'ferry.db')} } }
web:
  http: '${listen}'
  clientRemoteIP: { header: X-Real-IP, trustedProxies: ['127.0.0.1/32'] }
oauth2: { passwordConnector: local, grantTypes: [authorization_code, password] }
enablePasswordDB: true
staticPasswords:
${hashes.map((h, i) => `- { email: ${user(i).email}, hash: "${h}", username: user${i}, userID: user-${i} }`).join('\n')}
staticClients:
- { id: app, secret: s3cret, name: App, redirectURIs: ['https://app.example.com/cb'] }
`;

before(async () => {
  const hashes = await Promise.all(Array.from({ length: USERS }, (_, i) => hash(user(i).password, 10)));
  a = await startTestFerry(config(hashes));
  b = await startTestFerry(config(hashes));
});
after(async () => {
  await a.stop();
  await b.stop();
  rmSync(dir, { recursive: true, force: true });
});

const grant = async (f: TestFerry, email: string, password: string) => {
  const r = await fetch(`${f.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basic('app', 's3cret'), 'x-real-ip': NAT },
    body: new URLSearchParams({ grant_type: 'password', username: email, password, scope: 'openid' }),
  });
  return { status: r.status, text: await r.text() };
};

test('forty users behind one address log in at once through two processes: all pass', async () => {
  const answers = await Promise.all(Array.from({ length: USERS }, (_, i) => grant(i % 2 ? b : a, user(i).email, user(i).password)));
  assert.deepEqual(answers.map((x) => x.status), Array(USERS).fill(200), answers.filter((x) => x.status !== 200).map((x) => x.text).join('\n'));
});

test('twelve parallel logins of one account through two processes: all pass; twelve guesses stop at the block', async () => {
  const u = user(0);
  const right = await Promise.all(Array.from({ length: 12 }, (_, i) => grant(i % 2 ? b : a, u.email, u.password)));
  assert.deepEqual(right.map((x) => x.status), Array(12).fill(200));
  const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => grant(i % 2 ? b : a, u.email, `guess-${i}`)));
  assert.deepEqual(guesses.map((x) => x.status).sort(), [...Array(6).fill(401), ...Array(6).fill(429)]);
});
