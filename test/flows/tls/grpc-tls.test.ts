/**
 * The gRPC listener's TLS (`grpc.tlsCert`, `grpc.tlsMinVersion`, `grpc.tlsMaxVersion`, dex's cipher suites; dex
 * v2.45.1 `cmd/dex/serve.go`) checked with `openssl s_client` over ALPN h2, and its certificate reloaded when the
 * file is replaced.
 */

import assert from 'node:assert/strict';
import { copyFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from 'node:tls';
import { type ApiListener, listenApi } from '../../../src/api/listen.js';
import { createDexService } from '../../../src/api/service.js';
import type { GrpcConfig } from '../../../src/config/types.js';
import { silentLogger } from '../../../src/lib/logger.js';
import { openMemoryStorage } from '../../../src/storage/memory/index.js';
import { makePki, type Pki, sClient } from './pki.js';

let pki: Pki;
before(() => {
  pki = makePki();
});
after(() => pki.remove());

async function listen(extra: Partial<GrpcConfig>): Promise<{ api: ApiListener; port: number }> {
  const logger = silentLogger();
  const service = createDexService({
    storage: openMemoryStorage(),
    logger,
    now: () => new Date(),
    flags: { apiConnectorsCRUD: false, apiSessionsIdentitiesCRUD: false },
    version: 'test',
    discovery: async () => ({}),
    lookupConnectorFactory: () => undefined,
  });
  const grpc: GrpcConfig = { addr: '', tlsCert: '', tlsKey: '', tlsClientCA: '', tlsMinVersion: '', tlsMaxVersion: '', reflection: false, ...extra };
  const api = await listenApi(grpc, { host: '127.0.0.1', port: 0 }, service, logger);
  return { api, port: Number(api.address.split(':').pop()) };
}

const h2 = (port: number, flags: string[]) => sClient(port, ['-alpn', 'h2', ...flags]);

describe('grpc.tlsMinVersion: "1.3"', () => {
  let l: { api: ApiListener; port: number };
  before(async () => {
    const pair = pki.leaf('grpc-13');
    l = await listen({ tlsCert: pair.cert, tlsKey: pair.key, tlsMinVersion: '1.3' });
  });
  after(() => l.api.close());

  test('TLS 1.2 is refused, TLS 1.3 is accepted', async () => {
    assert.equal((await h2(l.port, ['-tls1_2'])).ok, false);
    const ok = await h2(l.port, ['-tls1_3']);
    assert.ok(ok.ok, ok.output);
    assert.equal(ok.protocol, 'TLSv1.3');
  });
});

describe('grpc TLS defaults', () => {
  let l: { api: ApiListener; port: number };
  let pair: { cert: string; key: string };
  before(async () => {
    pair = pki.leaf('grpc-a');
    l = await listen({ tlsCert: pair.cert, tlsKey: pair.key });
  });
  after(() => l.api.close());

  test("dex's suites are accepted over TLS 1.2, others refused; tlsMaxVersion unset allows TLS 1.3", async () => {
    const good = await h2(l.port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES256-GCM-SHA384']);
    assert.ok(good.ok, good.output);
    for (const cipher of ['ECDHE-RSA-AES128-SHA256', 'AES128-SHA']) {
      assert.equal((await h2(l.port, ['-tls1_2', '-cipher', `${cipher}@SECLEVEL=0`])).ok, false, cipher);
    }
    assert.equal((await h2(l.port, ['-tls1_3'])).protocol, 'TLSv1.3');
  });

  test('a replaced certificate is served to new connections', async () => {
    const served = () =>
      new Promise<string>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port: l.port, ca: pki.ca, ALPNProtocols: ['h2'], checkServerIdentity: () => undefined }, () => {
          const cn = String(s.getPeerCertificate().subject.CN);
          s.destroy();
          resolve(cn);
        });
        s.on('error', reject);
      });
    assert.equal(await served(), 'grpc-a');
    const b = pki.leaf('grpc-b');
    // Key first, then the certificate, each renamed into place (as `mv` does).
    copyFileSync(b.key, join(pki.dir, 'next.key'));
    renameSync(join(pki.dir, 'next.key'), pair.key);
    copyFileSync(b.cert, join(pki.dir, 'next.crt'));
    renameSync(join(pki.dir, 'next.crt'), pair.cert);
    let name = '';
    for (let i = 0; i < 200 && name !== 'grpc-b'; i++) {
      name = await served();
      if (name !== 'grpc-b') await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(name, 'grpc-b');
  });
});
