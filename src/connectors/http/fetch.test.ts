import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../../lib/errors.js';
import { JsonHttpClient } from './json-http-client.js';
import { readRootCAs } from './root-ca.js';

/** The fetch of a connector with dex's `rootCAs` / `insecureSkipVerify` options (as the oidc and oauth factories build it). */
const connectorFetch = (o: { rootCAs: string[]; insecureSkipVerify: boolean }) =>
  new JsonHttpClient({ connectorId: 'up', caPEM: readRootCAs(o.rootCAs), insecureSkipVerify: o.insecureSkipVerify }).fetch;

describe('the connector fetch: rootCAs and insecureSkipVerify', () => {
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

describe('the connector fetch: statuses, redirects, limits', () => {
  const SECRET = 'upstream-internal-detail';
  let a: HttpServer;
  let b: HttpServer;
  let base = '';
  let other = '';
  const seen: Array<{ path: string; method: string; auth: string; body: string }> = [];

  const listen = async (handler: Parameters<typeof createHttpServer>[1]) => {
    const s = createHttpServer(handler);
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return s;
  };
  const origin = (s: HttpServer) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

  before(async () => {
    b = await listen((req, res) => {
      seen.push({ path: `b${req.url}`, method: req.method ?? '', auth: req.headers.authorization ?? '', body: '' });
      res.writeHead(200).end('from b');
    });
    other = origin(b);
    a = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c));
      req.on('end', () => {
        seen.push({ path: req.url ?? '', method: req.method ?? '', auth: req.headers.authorization ?? '', body });
        const go = (status: number, to: string) => res.writeHead(status, { location: to }).end();
        if (req.url === '/400') return res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
        if (req.url === '/307') return go(307, '/echo');
        if (req.url === '/303') return go(303, '/echo');
        if (req.url === '/away') return go(302, `${other}/x`);
        if (req.url === '/loop') return go(302, '/loop');
        const path = (req.url ?? '').split('?')[0];
        if (path === '/big') return res.writeHead(200).end(SECRET.repeat(100));
        if (path === '/hang') return;
        res.writeHead(200).end(`${req.method} ${body}`);
      });
    });
    base = origin(a);
  });
  after(() => {
    for (const s of [a, b]) {
      s.closeAllConnections();
      s.close();
    }
  });

  const f = new JsonHttpClient({ connectorId: 'up', timeoutMs: 300, maxBodyBytes: 1000 }).fetch;
  const last = () => seen[seen.length - 1];

  test('a refusal is handed back as a Response, not thrown (openid-client reads the OAuth error)', async () => {
    const res = await f(`${base}/400`, { method: 'POST', body: 'x=1' });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: 'invalid_grant' });
  });

  test('redirects: 307 keeps method and body, 303 becomes a GET without body, manual hands the 3xx back', async () => {
    assert.equal(await (await f(`${base}/307`, { method: 'POST', body: 'a=1' })).text(), 'POST a=1');
    assert.equal(await (await f(`${base}/303`, { method: 'POST', body: 'a=1' })).text(), 'GET ');
    const manual = await f(`${base}/307`, { method: 'POST', body: 'a=1', redirect: 'manual' });
    assert.equal(manual.status, 307);
    assert.equal(last()?.path, '/307');
  });

  test('a redirect to another origin does not carry the Authorization header; loops end', async () => {
    assert.equal(await (await f(`${base}/away`, { headers: { authorization: 'Bearer t0k' } })).text(), 'from b');
    assert.deepEqual([seen.at(-2)?.auth, last()?.path, last()?.auth], ['Bearer t0k', 'b/x', '']);
    await assert.rejects(f(`${base}/loop`), /too many redirects/);
  });

  test('size cap and deadline reject with a TypeError naming the endpoint, never the upstream text', async () => {
    for (const [path, re] of [['/big', /^up: GET http:\/\/127\.0\.0\.1:\d+\/big: answer larger than 1000 bytes$/], ['/hang', /no answer within 300 ms/]] as const) {
      await assert.rejects(f(`${base}${path}?token=abc`), (err: unknown) => {
        assert.ok(err instanceof TypeError);
        assert.match(err.message, re);
        assert.ok(!err.message.includes(SECRET) && !err.message.includes('abc'));
        return true;
      });
    }
  });

  test("the caller's abort signal ends the call", async () => {
    await assert.rejects(f(`${base}/hang`, { signal: AbortSignal.timeout(50) }), /aborted by the caller/);
  });
});
