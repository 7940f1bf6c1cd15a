/**
 * Where the gRPC admin API listens (issue: an unauthenticated admin API on every interface). `grpc.addr: ":port"`
 * binds loopback only (dex binds every interface; docs/compatibility.md); a non-loopback address without mutual TLS
 * is refused at startup with an error that says how to fix it, unless the operator opts in with
 * `FERRY_GRPC_ALLOW_UNAUTHENTICATED=true`; with `grpc.tlsClientCA` it starts as configured.
 */

import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, test } from 'node:test';
import { ConfigError } from '../../../src/lib/errors.js';
import { freePort, startTestFerry } from '../../helpers/ferry.js';
import { makePKI, type TestPKI } from './certs.js';

/** This host's first non-loopback IPv4 address: a client that reaches it is not on loopback. */
function externalAddress(): string {
  const addr = Object.values(networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal);
  assert.ok(addr, 'this test needs a non-loopback IPv4 interface');
  return addr.address;
}

/** Whether a TCP connection to host:port is accepted. */
const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = connect({ host, port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

const configWith = (grpc: string) => (issuer: string, listen: string) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
enablePasswordDB: true
grpc:
${grpc}
`;

let pki: TestPKI;
before(() => {
  pki = makePKI();
});
after(() => pki.remove());

test('grpc.addr ":port" listens on loopback only', async () => {
  const port = await freePort();
  const f = await startTestFerry(configWith(`  addr: ":${port}"`));
  try {
    assert.equal(await reachable('127.0.0.1', port), true);
    assert.equal(await reachable(externalAddress(), port), false, 'the admin API is reachable from a non-loopback address');
  } finally {
    await f.stop();
  }
});

test('a non-loopback address without client certificates is refused, and the error says how to proceed', async () => {
  for (const addr of ['0.0.0.0', externalAddress()]) {
    const port = await freePort();
    await assert.rejects(startTestFerry(configWith(`  addr: "${addr}:${port}"`)), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.issues[0]?.path, 'grpc.addr');
      assert.match(err.message, /without client authentication/);
      assert.match(err.message, /grpc\.tlsClientCA/);
      assert.match(err.message, /FERRY_GRPC_ALLOW_UNAUTHENTICATED=true/);
      return true;
    });
    assert.equal(await reachable(addr === '0.0.0.0' ? '127.0.0.1' : addr, port), false, 'nothing listens after the refusal');
  }
});

test('the explicit opt-in serves every interface', async () => {
  const port = await freePort();
  const env = { FERRY_GRPC_ALLOW_UNAUTHENTICATED: 'true' };
  const f = await startTestFerry(configWith(`  addr: "0.0.0.0:${port}"`), { env });
  try {
    assert.equal(await reachable(externalAddress(), port), true);
  } finally {
    await f.stop();
  }
});

test('with mutual TLS a non-loopback address needs no opt-in', async () => {
  const port = await freePort();
  const grpc = `  addr: "0.0.0.0:${port}"\n  tlsCert: ${pki.serverCert}\n  tlsKey: ${pki.serverKey}\n  tlsClientCA: ${pki.caCert}`;
  const f = await startTestFerry(configWith(grpc));
  try {
    assert.equal(await reachable(externalAddress(), port), true);
  } finally {
    await f.stop();
  }
});
