/**
 * `web.https` as behaviour: dex's TLS versions and cipher suites (dex v2.45.1 `cmd/dex/serve.go`) checked with
 * `openssl s_client` handshakes, one per version and per suite (allowed ones complete, others are refused by the
 * server), `tlsMinVersion`/`tlsMaxVersion`/`tlsCipherSuites` applied, and config errors that name the key.
 */

import assert from 'node:assert/strict';
import { get } from 'node:https';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError } from '../../../src/lib/errors.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { makePki, type Pki, sClient } from './pki.js';

let pki: Pki;
let pair: { cert: string; key: string };
before(() => {
  pki = makePki();
  pair = pki.leaf('server-rsa', 'rsa');
});
after(() => pki.remove());

/** Ferry with `web.https` on a free port; `extraWeb` adds keys under `web:`. */
async function startHttps(extraWeb = ''): Promise<{ f: TestFerry; port: number }> {
  const port = await freePort();
  const f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web:
  http: ${listen}
  https: 127.0.0.1:${port}
  tlsCert: ${pair.cert}
  tlsKey: ${pair.key}
${extraWeb}
connectors: [{ type: mockCallback, id: mock, name: Mock }]
`);
  return { f, port };
}

/** The server refuses: the client offers the suite or version, so a failure is the server's choice. */
const refused = async (port: number, flags: string[]) => {
  const h = await sClient(port, flags);
  assert.equal(h.ok, false, `expected a refused handshake for ${flags.join(' ')}, got ${h.protocol} ${h.cipher}`);
};
const agreed = async (port: number, flags: string[], protocol: string, cipher?: string) => {
  const h = await sClient(port, flags);
  assert.ok(h.ok, `handshake with ${flags.join(' ')} failed:\n${h.output}`);
  assert.equal(h.protocol, protocol);
  if (cipher) assert.equal(h.cipher, cipher);
};

describe('dex defaults (no TLS keys set)', () => {
  let s: { f: TestFerry; port: number };
  before(async () => {
    s = await startHttps();
  });
  after(() => s.f.stop());

  test('serves Ferry over HTTPS with the configured certificate', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const path = `${new URL(s.f.issuer).pathname}/.well-known/openid-configuration`;
      get({ host: '127.0.0.1', port: s.port, path, ca: pki.ca }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`status ${res.statusCode}`))));
      }).on('error', reject);
    });
    assert.equal((JSON.parse(body) as { issuer: string }).issuer, s.f.issuer);
  });

  test('TLS 1.2 and 1.3 are accepted, TLS 1.1 and 1.0 are refused', async () => {
    await agreed(s.port, ['-tls1_2'], 'TLSv1.2');
    await agreed(s.port, ['-tls1_3'], 'TLSv1.3');
    await refused(s.port, ['-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0']);
    await refused(s.port, ['-tls1', '-cipher', 'DEFAULT@SECLEVEL=0']);
  });

  test("each of dex's suites usable with an RSA certificate is accepted", async () => {
    for (const cipher of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305', 'AES128-GCM-SHA256', 'AES256-GCM-SHA384']) {
      await agreed(s.port, ['-tls1_2', '-cipher', cipher], 'TLSv1.2', cipher);
    }
    for (const suite of ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']) {
      await agreed(s.port, ['-tls1_3', '-ciphersuites', suite], 'TLSv1.3', suite);
    }
  });

  test("suites outside dex's list (CBC, SHA-1, static RSA CBC) are refused", async () => {
    for (const cipher of ['ECDHE-RSA-AES128-SHA256', 'ECDHE-RSA-AES256-SHA', 'AES128-SHA', 'AES256-SHA256', 'DHE-RSA-AES128-GCM-SHA256']) {
      await refused(s.port, ['-tls1_2', '-cipher', `${cipher}@SECLEVEL=0`]);
    }
  });
});

describe('web.tlsMinVersion: "1.3"', () => {
  let s: { f: TestFerry; port: number };
  before(async () => {
    s = await startHttps('  tlsMinVersion: "1.3"');
  });
  after(() => s.f.stop());

  test('a TLS 1.2 handshake is refused, TLS 1.3 is accepted', async () => {
    await refused(s.port, ['-tls1_2']);
    await agreed(s.port, ['-tls1_3'], 'TLSv1.3');
  });
});

describe('web.tlsMaxVersion: "1.2"', () => {
  let s: { f: TestFerry; port: number };
  before(async () => {
    s = await startHttps('  tlsMaxVersion: "1.2"');
  });
  after(() => s.f.stop());

  test('a TLS 1.3 handshake is refused, TLS 1.2 is accepted', async () => {
    await refused(s.port, ['-tls1_3']);
    await agreed(s.port, ['-tls1_2'], 'TLSv1.2');
  });
});

describe('web.tlsCipherSuites (Go names)', () => {
  let s: { f: TestFerry; port: number };
  before(async () => {
    s = await startHttps('  tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_AES_256_GCM_SHA384]');
  });
  after(() => s.f.stop());

  test('only the named suites are negotiated, for TLS 1.2 and TLS 1.3', async () => {
    await agreed(s.port, ['-tls1_2'], 'TLSv1.2', 'ECDHE-RSA-AES256-GCM-SHA384');
    await refused(s.port, ['-tls1_2', '-cipher', 'ECDHE-RSA-AES128-GCM-SHA256']);
    await agreed(s.port, ['-tls1_3'], 'TLSv1.3', 'TLS_AES_256_GCM_SHA384');
    await refused(s.port, ['-tls1_3', '-ciphersuites', 'TLS_AES_128_GCM_SHA256']);
  });
});

describe('config errors name the key', () => {
  const load = (web: string) => () =>
    parseConfig(`issuer: https://id.example.com\nstorage: { type: memory }\nweb:\n  https: 127.0.0.1:5554\n  tlsCert: c\n  tlsKey: k\n${web}`, {});
  const issue = (web: string): string => {
    try {
      load(web)();
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.message;
    }
    assert.fail('expected a config error');
  };

  test('an unknown or insecure cipher-suite name', () => {
    assert.match(issue('  tlsCipherSuites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_RC4_128_SHA]'),
      /web\.tlsCipherSuites\[1\]: unknown or unsupported cipher suite "TLS_RSA_WITH_RC4_128_SHA"/);
    assert.match(issue('  tlsCipherSuites: [ECDHE-RSA-AES128-GCM-SHA256]'), /web\.tlsCipherSuites\[0\]/);
  });

  test('a version dex does not support, or min above max', () => {
    assert.match(issue('  tlsMinVersion: "1.1"'), /web\.tlsMinVersion: supported TLS versions are 1\.2 and 1\.3/);
    assert.match(issue('  tlsMinVersion: "1.3"\n  tlsMaxVersion: "1.2"'), /web\.tlsMinVersion: greater than web\.tlsMaxVersion/);
  });
});
