/**
 * Listener timeouts (`web.timeouts`, docs/operations.md): a client that trickles its headers (slowloris) or its
 * body, or leaves a keep-alive connection idle, is cut off on every HTTP listener (web HTTP, web HTTPS, telemetry)
 * rather than holding a socket for ever. Small configured bounds keep the test short; it asserts that the server
 * answers 408 and closes, never how fast.
 */

import assert from 'node:assert/strict';
import { type Socket, connect as connectTcp } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { connect as connectTls } from 'node:tls';
import { listenApi } from '../../../src/api/listen.js';
import { createDexService } from '../../../src/api/service.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { openMemoryStorage } from '../../../src/storage/memory/index.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { makePki, type Pki } from '../tls/pki.js';

/** Upper bound for the test itself: far above the configured timeouts, so reaching it means "never cut". */
const GIVE_UP_MS = 20_000;

interface Outcome {
  /** What the server wrote back. */
  reply: string;
  /** The server closed the connection before we stopped sending. */
  closedByServer: boolean;
}

/** Writes `head` and then `drip` every 100 ms until the server closes the socket or GIVE_UP_MS passes. */
function trickle(socket: Socket, head: string, drip: string): Promise<Outcome> {
  return new Promise((resolve) => {
    let reply = '';
    let closed = false;
    socket.on('data', (c: Buffer) => (reply += c.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ reply, closedByServer: true });
    });
    socket.write(head);
    const timer = setInterval(() => !closed && socket.write(drip), 100);
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      resolve({ reply, closedByServer: false });
    }, GIVE_UP_MS);
  });
}

const open = {
  tcp: (port: number) => new Promise<Socket>((resolve) => { const s = connectTcp({ host: '127.0.0.1', port }, () => resolve(s)); }),
  tls: (port: number, ca: Buffer) =>
    new Promise<Socket>((resolve) => { const s = connectTls({ host: '127.0.0.1', port, ca, checkServerIdentity: () => undefined }, () => resolve(s)); }),
};

const slowHeaders = (s: Socket) => trickle(s, 'GET /dex/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n');
const slowBody = (s: Socket) =>
  trickle(
    s,
    'POST /dex/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n',
    'a',
  );

function assertCut(o: Outcome): void {
  assert.equal(o.closedByServer, true, `the server kept the connection open for ${GIVE_UP_MS} ms`);
  assert.match(o.reply, /^HTTP\/1\.1 408 /, `expected a 408, got ${JSON.stringify(o.reply.slice(0, 80))}`);
}

describe('web and telemetry listeners with small web.timeouts', () => {
  let pki: Pki;
  let f: TestFerry;
  let http = 0;
  let https = 0;
  let telemetry = 0;
  before(async () => {
    pki = makePki();
    const pair = pki.leaf('timeouts', 'ec');
    [https, telemetry] = [await freePort(), await freePort()];
    f = await startTestFerry((issuer, listen) => {
      http = Number(listen.split(':')[1]);
      return `
issuer: ${issuer}
storage: { type: memory }
web:
  http: ${listen}
  https: 127.0.0.1:${https}
  tlsCert: ${pair.cert}
  tlsKey: ${pair.key}
  timeouts: { request: 1s, headers: 500ms, keepAlive: 500ms, idle: 5s }
telemetry: { http: 127.0.0.1:${telemetry} }
enablePasswordDB: true
`;
    });
  });
  after(async () => {
    await f.stop();
    pki.remove();
  });

  test('slowloris headers get 408 and a closed connection (HTTP, HTTPS, telemetry)', async () => {
    assertCut(await slowHeaders(await open.tcp(http)));
    assertCut(await slowHeaders(await open.tls(https, pki.ca)));
    assertCut(await trickle(await open.tcp(telemetry), 'GET /healthz/live HTTP/1.1\r\nHost: x\r\n', 'X-Slow: 1\r\n'));
  });

  test('a trickled request body gets 408 and a closed connection (HTTP, HTTPS)', async () => {
    assertCut(await slowBody(await open.tcp(http)));
    assertCut(await slowBody(await open.tls(https, pki.ca)));
  });

  test('an idle keep-alive connection is closed after keepAlive', async () => {
    const s = await open.tcp(http);
    const closed = new Promise<string>((resolve) => {
      let reply = '';
      s.on('data', (c: Buffer) => (reply += c.toString()));
      s.on('close', () => resolve(reply));
    });
    s.write('GET /dex/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const giveUp = setTimeout(() => s.destroy(new Error('still open')), GIVE_UP_MS);
    const reply = await closed;
    clearTimeout(giveUp);
    assert.match(reply, /^HTTP\/1\.1 200 /);
    assert.equal(s.errored, null, `the server kept the idle connection open for ${GIVE_UP_MS} ms`);
  });
});

test('the gRPC listener closes a connection that stays idle (plaintext and TLS)', async () => {
  const pki = makePki();
  const pair = pki.leaf('grpc-idle', 'ec');
  const service = createDexService({
    storage: openMemoryStorage(),
    logger: silentLogger(),
    now: () => new Date(),
    flags: { apiConnectorsCRUD: false, apiSessionsIdentitiesCRUD: false },
    version: 'test',
    discovery: async () => ({}),
    lookupConnectorFactory: () => undefined,
  });
  const base = { addr: '', tlsClientCA: '', tlsMinVersion: '', tlsMaxVersion: '', reflection: false };
  const plain = await listenApi({ ...base, tlsCert: '', tlsKey: '' }, { host: '127.0.0.1', port: 0 }, service, silentLogger(), 300);
  const tls = await listenApi({ ...base, tlsCert: pair.cert, tlsKey: pair.key }, { host: '127.0.0.1', port: 0 }, service, silentLogger(), 300);
  const portOf = (a: { address: string }) => Number(a.address.split(':').pop());
  const closedWhileIdle = (s: Socket) =>
    new Promise<boolean>((resolve) => {
      s.on('error', () => undefined);
      s.resume(); // read, so the server's close is seen
      s.on('close', () => resolve(true));
      setTimeout(() => resolve(false), GIVE_UP_MS).unref();
    });
  try {
    const h2Tls = await new Promise<Socket>((resolve) => {
      const s = connectTls({ host: '127.0.0.1', port: portOf(tls), ca: pki.ca, ALPNProtocols: ['h2'], checkServerIdentity: () => undefined }, () => resolve(s));
    });
    assert.equal(await closedWhileIdle(await open.tcp(portOf(plain))), true, 'idle plaintext connection kept open');
    assert.equal(await closedWhileIdle(h2Tls), true, 'idle TLS connection kept open');
  } finally {
    await plain.close();
    await tls.close();
    pki.remove();
  }
});

test('web.timeouts: bad durations are config errors naming the key; defaults apply when absent', () => {
  const load = (extra: string) => parseConfig(`issuer: https://id.example.com\nstorage: { type: memory }\nweb:\n  http: 127.0.0.1:5556\n${extra}`, {});
  assert.throws(() => load('  timeouts: { request: soon }'), /web\.timeouts\.request/);
  assert.deepEqual(load('').config.web.timeouts, { request: 30_000, headers: 10_000, keepAlive: 65_000, idle: 120_000 });
  assert.deepEqual(load('  timeouts: { request: 0s }').config.web.timeouts?.request, 0);
});
