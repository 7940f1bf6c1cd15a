import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../../lib/errors.js';
import { connectorFetch } from './http-client.js';

describe('connectorFetch: rootCAs and insecureSkipVerify', () => {
  let dir = '';
  let server: Server;
  let url = '';
  let pem = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ferry-oidc-tls-'));
    const [key, crt] = [join(dir, 'key.pem'), join(dir, 'crt.pem')];
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    pem = readFileSync(crt, 'utf8');
    server = createServer({ key: readFileSync(key), cert: pem }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => res.writeHead(201, { 'content-type': 'application/json', 'x-seen': req.headers['x-test'] ?? '' }).end(JSON.stringify({ method: req.method, body })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    url = `https://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/x`;
  });
  after(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a self-signed upstream is refused by default', async () => {
    await assert.rejects(connectorFetch({ rootCAs: [], insecureSkipVerify: false })(url));
  });

  test('rootCAs as a file path, PEM text or base64 PEM is trusted; method, headers and body pass through', async () => {
    for (const ca of [join(dir, 'crt.pem'), pem, Buffer.from(pem).toString('base64')]) {
      const res = await connectorFetch({ rootCAs: [ca], insecureSkipVerify: false })(url, { method: 'POST', headers: { 'x-test': 'yes' }, body: new URLSearchParams({ a: 'b c' }) });
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('x-seen'), 'yes');
      assert.deepEqual(await res.json(), { method: 'POST', body: 'a=b+c' });
    }
  });

  test('insecureSkipVerify accepts any certificate', async () => {
    assert.equal((await connectorFetch({ rootCAs: [], insecureSkipVerify: true })(url)).status, 201);
  });

  test('an unreadable rootCAs entry is a ConfigError naming it', () => {
    assert.throws(() => connectorFetch({ rootCAs: [pem, '/no/such/file'], insecureSkipVerify: false }), (err: unknown) => err instanceof ConfigError && err.message.startsWith('rootCAs[1]:'));
  });
});
