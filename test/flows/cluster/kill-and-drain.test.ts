/**
 * Two workers as real processes, under trouble (docs/operations.md, "Workers"):
 *
 * A worker SIGKILLed under load. Clients open a fresh connection per request (a worker accepts it from the shared
 * listening socket). A request is LOST if it got no HTTP answer, unless the failure is attributable to the killed
 * worker: a connection error (reset, hang-up) of a request that was still under way when the worker was killed and
 * that started before the primary noticed the death (until then the dying worker may still have accepted it). A
 * hang (no answer in 15 s) is always lost. The test asserts no request is lost, none is answered 5xx, no more fail than were in flight,
 * the remaining worker answers (and the probes pass) while the primary restarts the killed one, and the new worker
 * serves.
 *
 * A worker whose primary is SIGKILLed stops by itself (no orphan keeps serving the port).
 *
 * SIGTERM drains: a password-grant request whose body is still arriving when the primary gets SIGTERM is answered
 * (200 with tokens) after both workers stopped accepting, and only then does the primary exit, with 0.
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { CLIENT, serving, USER } from './serve-process.js';
import { connectTo, pinnedRequest } from './worker-of.js';

interface Outcome {
  start: number;
  end: number;
  status?: number;
  error?: string;
}

/** One GET on a fresh connection; a request that hangs 15 s counts as an error. */
function get(url: string): Promise<Outcome> {
  const start = Date.now();
  return new Promise((resolve) => {
    const done = (o: Partial<Outcome>) => resolve({ start, end: Date.now(), ...o });
    const req = http.get(url, { agent: false, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode }));
      res.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
  });
}

const CONNECTION_ERRORS = new Set(['ECONNRESET', 'EPIPE']);

test('a worker SIGKILLed under load: no request lost, the other worker serves on, the primary restarts it', async (t) => {
  const s = await serving({ env: { FERRY_WORKERS: '2' } });
  try {
    const victim = s.workers().get(2)!;
    const outcomes: Outcome[] = [];
    let running = true;
    const urls = [`${s.issuer}/.well-known/openid-configuration`, `${s.issuer}/keys`];
    const loops = Array.from({ length: 6 }, async (_, i) => {
      for (let k = i; running; k++) outcomes.push(await get(urls[k % 2]!));
    });
    await new Promise((r) => setTimeout(r, 1000));
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    const noticed = await s.waitFor((l) => l.msg === 'worker exited; restarting it' && l['processId'] === victim);
    assert.equal(noticed['signal'], 'SIGKILL');
    for (const probe of ['/healthz/live', '/healthz/ready']) assert.equal((await fetch(s.telemetry + probe)).status, 200, `${probe} with one worker down`);
    const back = await s.waitFor((l) => l.msg === 'worker serving' && l['worker'] === 2 && l['processId'] !== victim);
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(loops);

    const failed = outcomes.filter((o) => o.status === undefined);
    t.diagnostic(`${outcomes.length} requests; ${failed.length} failed (${failed.map((o) => o.error).join(', ')}); restart took ${back.at - noticed.at} ms`);
    const lost = failed.filter((o) => !(CONNECTION_ERRORS.has(o.error!) && o.start < noticed.at && o.end >= killedAt));
    assert.deepEqual(lost, [], 'requests lost (no answer, not attributable to the killed worker)');
    assert.ok(failed.length <= 6, `${failed.length} failures, more than the 6 requests in flight`);
    assert.deepEqual(outcomes.filter((o) => o.status !== undefined && o.status !== 200), [], 'every answer is a 200');
    const whileDown = outcomes.filter((o) => o.status === 200 && o.start >= noticed.at && o.end <= back.at);
    assert.ok(whileDown.length > 0, 'the remaining worker answered while the killed one restarted');
    assert.ok(outcomes.filter((o) => o.start >= back.at && o.status === 200).length > 0);

    const pids = [...s.workers().values()];
    assert.equal(pids.length, 2);
    assert.ok(!pids.includes(victim));
    assert.equal((await pinnedRequest(`${s.issuer}/keys`, {}, back['processId'] as number, pids)).status, 200, 'the new worker serves');
    assert.match(await (await fetch(`${s.telemetry}/metrics`)).text(), /^ferry_worker_restarts_total 1$/m);
  } finally {
    await s.stop();
  }
});

test('SIGTERM drains: a request in flight is answered after the listeners closed, then the primary exits 0', async () => {
  const s = await serving({ env: { FERRY_WORKERS: '2' }, extra: 'oauth2: { passwordConnector: local }' });
  try {
    const pids = [...s.workers().values()];
    const [held, other] = [...s.workers().entries()];
    const socket = await connectTo(s.port, held![1], pids);
    let answer = '';
    socket.setEncoding('utf8').on('data', (c: string) => (answer += c));
    const body = new URLSearchParams({ grant_type: 'password', username: USER.email, password: USER.password, scope: 'openid' }).toString();
    const half = Math.floor(body.length / 2);
    const auth = Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64');
    socket.write(
      `POST /dex/token HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nAuthorization: Basic ${auth}\r\n` +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, half)}`,
    );
    await new Promise((r) => setTimeout(r, 300));

    s.child.kill('SIGTERM');
    await s.waitFor((l) => l.msg === 'worker stopped' && l['worker'] === other![0], 30_000);
    // Nobody accepts new connections any more; the held request's worker and the primary are still up.
    const refused = await new Promise<string>((r) => net.connect(s.port, '127.0.0.1').once('connect', () => r('connected')).once('error', (e: NodeJS.ErrnoException) => r(e.code ?? '')));
    assert.equal(refused, 'ECONNREFUSED');
    assert.equal(s.child.exitCode, null);
    assert.doesNotThrow(() => process.kill(held![1], 0), 'the worker holding the request is still running');

    socket.write(body.slice(half)); // (not end(): Ferry treats a half-closed connection as gone)
    await new Promise((r) => socket.once('close', r));
    assert.match(answer, /^HTTP\/1\.1 200 /);
    assert.match(answer, /"id_token":"[\w-]+\.[\w-]+\.[\w-]+"/);
    assert.deepEqual(await s.exited, { code: 0, signal: null });
    assert.ok(s.lines.some((l) => l.msg === 'worker stopped' && l['worker'] === held![0] && l['code'] === 0));
  } finally {
    await s.stop();
  }
});

test('a primary killed with SIGKILL leaves no worker behind', async () => {
  const s = await serving({ env: { FERRY_WORKERS: '2' } });
  try {
    const pids = [...s.workers().values()];
    s.child.kill('SIGKILL');
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 300 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(pids.filter(alive), [], 'workers still running 30 s after their primary died');
  } finally {
    await s.stop();
  }
});
