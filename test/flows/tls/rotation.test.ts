/**
 * Certificate rotation the way cert-manager and Kubernetes secret volumes do it: the configured paths are symlinks
 * through `..data`, and a rotation atomically repoints `..data` at a new directory. Under steady load no request
 * fails, a keep-alive connection opened before the rotation keeps being served, new connections get the new
 * certificate, and a half-rotated pair (key not matching the certificate) is never served.
 */

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { connect } from 'node:tls';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { makePki, type Pki, sClient } from './pki.js';

let pki: Pki;
let f: TestFerry;
let port = 0;
let secretDir = '';
let generation = 0;

/** Publishes `cert`+`key` as the secret volume's current data, atomically, as the kubelet does. */
function publish(cert: string, key: string): void {
  const data = `..gen_${++generation}`;
  mkdirSync(join(secretDir, data));
  copyFileSync(cert, join(secretDir, data, 'tls.crt'));
  copyFileSync(key, join(secretDir, data, 'tls.key'));
  symlinkSync(data, join(secretDir, '..data_tmp'));
  renameSync(join(secretDir, '..data_tmp'), join(secretDir, '..data'));
}

/** The CN a brand-new connection is shown. */
function servedName(): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port, ca: pki.ca, servername: 'localhost', checkServerIdentity: () => undefined }, () => {
      const cn = s.getPeerCertificate().subject.CN;
      s.end();
      resolve(String(cn));
    });
    s.on('error', reject);
  });
}

async function waitForName(name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await servedName()) === name) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`new connections never saw the certificate ${name}`);
}

/** GET /healthz through `agent`; resolves with the status and whether the socket was reused. */
function healthz(agent: Agent): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `${new URL(f.issuer).pathname}/healthz`, agent, ca: pki.ca }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  pki = makePki();
  secretDir = join(pki.dir, 'secret');
  mkdirSync(secretDir);
  const a = pki.leaf('server-a');
  publish(a.cert, a.key);
  symlinkSync('..data/tls.crt', join(secretDir, 'tls.crt'));
  symlinkSync('..data/tls.key', join(secretDir, 'tls.key'));
  port = await freePort();
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web:
  http: ${listen}
  https: 127.0.0.1:${port}
  tlsCert: ${join(secretDir, 'tls.crt')}
  tlsKey: ${join(secretDir, 'tls.key')}
  tlsMaxVersion: "1.2"
connectors: [{ type: mockCallback, id: mock, name: Mock }]
`);
});
after(async () => {
  await f.stop();
  pki.remove();
});

test('rotation under load: no request fails, open connections survive, new ones see the new certificate', async (t) => {
  assert.equal(await servedName(), 'server-a');
  const kept = new Agent({ keepAlive: true, maxSockets: 1 });
  const fresh = new Agent({ keepAlive: false });
  assert.equal((await healthz(kept)).status, 200);

  const results: Array<number | string> = [];
  let running = true;
  const worker = async (agent: Agent) => {
    while (running) results.push(await healthz(agent).then((r) => r.status, (err: Error) => err.message));
  };
  const load = [worker(fresh), worker(fresh), worker(new Agent({ keepAlive: true, maxSockets: 2 }))];

  const b = pki.leaf('server-b');
  publish(b.cert, b.key);
  await waitForName('server-b');

  // A half-rotated volume (new certificate, old key) is not installed: server-b stays in service.
  const c = pki.leaf('server-c');
  publish(c.cert, b.key);
  for (let i = 0; i < 10; i++) {
    assert.equal(await servedName(), 'server-b');
    await new Promise((r) => setTimeout(r, 50));
  }
  publish(c.cert, c.key);
  await waitForName('server-c');

  running = false;
  await Promise.all(load);
  const after = await healthz(kept);
  assert.deepEqual(after, { status: 200, reused: true }, 'the keep-alive connection from before the rotation still serves');
  kept.destroy();
  fresh.destroy();

  assert.ok(results.length >= 20, `only ${results.length} requests ran during the rotation`);
  assert.deepEqual(results.filter((r) => r !== 200), [], 'every request during the rotation succeeded');
  t.diagnostic(`${results.length} requests during two rotations, none failed`);
});

test('the reloaded context keeps the configured versions and suites', async () => {
  assert.equal((await sClient(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-SHA256@SECLEVEL=0'])).ok, false);
  assert.equal((await sClient(port, ['-tls1_3'])).ok, false, 'tlsMaxVersion 1.2 still applies after the reload');
  assert.equal((await sClient(port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256'])).cipher, 'ECDHE-RSA-AES128-GCM-SHA256');
});
