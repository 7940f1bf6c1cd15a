import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { inspect } from 'node:util';
import { ConfigError, ConnectorError, UserRefusedError } from '../../lib/errors.js';
import { JsonHttpClient } from '../http/index.js';
import { collectPages, decodeTokenData, encodeTokenData, isTokenExpired, nextLink, OAuth2Client, parseTokenResponse } from './index.js';

const SECRET_BODY = 'internal-detail-and-token-xyz';
let server: Server;
let url = '';
let lastRequest: { headers: IncomingMessage['headers']; body: string } | undefined;

const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":1}'),
  '/500': (res) => res.writeHead(500).end(SECRET_BODY),
  '/429': (res) => res.writeHead(429, { 'retry-after': '30' }).end(SECRET_BODY),
  '/bad-json': (res) => res.writeHead(200).end(`{"a": ${SECRET_BODY}`),
  '/big': (res) => res.writeHead(200).end('x'.repeat(5000)),
  '/hang': () => undefined,
  '/token': (res) => res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: SECRET_BODY })),
  '/token-form': (res) => res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end('access_token=at1&token_type=bearer&expires_in=60'),
};

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      lastRequest = { headers: req.headers, body };
      routes[new URL(req.url ?? '/', 'http://x').pathname]?.(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const http = () => new JsonHttpClient({ connectorId: 'gh', timeoutMs: 300, maxBodyBytes: 1000 });
const rejectsWith = (p: Promise<unknown>, re: RegExp) =>
  assert.rejects(p, (e) => {
    assert.ok(e instanceof ConnectorError);
    assert.match(e.message, re);
    assert.ok(!e.message.includes(SECRET_BODY), 'no upstream body in the message');
    return true;
  });

describe('JsonHttpClient', () => {
  test('JSON answers; bearer header', async () => {
    assert.deepEqual((await http().getJSON(`${url}/ok?x=1`, { bearer: 'tok' })).body, { a: 1 });
    assert.equal(lastRequest?.headers.authorization, 'Bearer tok');
  });

  test('failures are ConnectorErrors naming endpoint and status, never the body or the query', async () => {
    await rejectsWith(http().getJSON(`${url}/500?code=abc`), /^gh: GET http:\/\/127\.0\.0\.1:\d+\/500: HTTP 500$/);
    await rejectsWith(http().getJSON(`${url}/429`), /HTTP 429, rate limited by the upstream \(retry after 30 s\)/);
    await rejectsWith(http().getJSON(`${url}/bad-json`), /not JSON/);
    await rejectsWith(http().getJSON(`${url}/big`), /larger than 1000 bytes/);
    await rejectsWith(http().getJSON(`${url}/hang`), /no answer within 300 ms/);
    await rejectsWith(http().getJSON('http://127.0.0.1:1/x'), /request failed/);
    await rejectsWith(http().getJSON('file:///etc/passwd'), /unsupported scheme/);
  });

  test('accepted statuses are handed back', async () => {
    assert.equal((await http().send('GET', new URL(`${url}/500`), undefined, {}, { acceptStatus: [500] })).status, 500);
  });
});

describe('OAuth2Client', () => {
  const client = (over: Partial<ConstructorParameters<typeof OAuth2Client>[0]> = {}) =>
    new OAuth2Client({ connectorId: 'gh', clientId: 'id:1', clientSecret: 's&cret x', authURL: `${url}/auth`, tokenURL: `${url}/token`, redirectURI: 'https://i/cb', http: http(), now: () => new Date(0), ...over });

  test('authorize URL; a callback URL other than redirectURI is refused', () => {
    const u = new URL(client().authorizeURL('https://i/cb', ['a', 'b'], 'st'));
    assert.deepEqual(Object.fromEntries(u.searchParams), { client_id: 'id:1', redirect_uri: 'https://i/cb', response_type: 'code', scope: 'a b', state: 'st' });
    assert.throws(() => client().authorizeURL('https://other/cb', [], 'st'), ConfigError);
  });

  test('token errors name the OAuth error code only; Basic auth form-encodes the credentials', async () => {
    const req = { method: 'GET', url: new URL('https://i/cb?code=c1'), headers: {}, form: null };
    await assert.rejects(client().exchange(req), (e) => e instanceof UserRefusedError && e.reason === 'bad_callback' && /refused the grant \(invalid_grant\)/.test(e.message));
    assert.equal(lastRequest?.headers.authorization, `Basic ${Buffer.from('id%3A1:s%26cret+x').toString('base64')}`);
    assert.match(lastRequest?.body ?? '', /grant_type=authorization_code&code=c1&redirect_uri=https%3A%2F%2Fi%2Fcb/);
    await assert.rejects(
      client().exchange({ ...req, url: new URL('https://i/cb?error=access_denied&error_description=x') }),
      (e) => e instanceof UserRefusedError && e.reason === 'access_denied' && /answered error "access_denied"/.test(e.message) && !e.message.includes('error_description'),
    );
    await rejectsWith(client().exchange({ ...req, url: new URL('https://i/cb?error=server_error') }), /answered error "server_error"/);
    const token = await client({ tokenURL: `${url}/token-form`, authStyle: 'post' }).refresh('rt-old');
    assert.deepEqual(token, { accessToken: 'at1', refreshToken: 'rt-old', expiry: new Date(60_000) });
    assert.match(lastRequest?.body ?? '', /client_secret=s%26cret\+x/);
  });

  test('the client secret does not show in inspect or JSON', () => {
    const c = client();
    assert.ok(!inspect(c, { depth: 9 }).includes('s&cret'));
    assert.ok(!JSON.stringify(c).includes('s&cret'));
  });
});

describe('tokens and paging', () => {
  test('parseTokenResponse, expiry and leeway, dex-shaped connector data', () => {
    assert.throws(() => parseTokenResponse('gh', { error: 'bad_refresh_token' }, new Date()), /bad_refresh_token/);
    assert.throws(() => parseTokenResponse('gh', { error: `<html>${SECRET_BODY}` }, new Date()), (e: Error) => !e.message.includes(SECRET_BODY));
    assert.throws(() => parseTokenResponse('gh', {}, new Date()), ConnectorError);
    const t = { accessToken: 'a', refreshToken: 'r', expiry: new Date(100_000) };
    assert.equal(isTokenExpired(t, new Date(89_000)), false);
    assert.equal(isTokenExpired(t, new Date(91_000)), true, '10 s leeway');
    assert.equal(isTokenExpired({ ...t, expiry: null }, new Date(1e15)), false);
    const dex = new TextEncoder().encode('{"accessToken":"a","refreshToken":"","expiry":"0001-01-01T00:00:00Z"}');
    assert.deepEqual(decodeTokenData('gh', dex), { accessToken: 'a', refreshToken: '', expiry: null });
    assert.deepEqual(decodeTokenData('gh', encodeTokenData(t)), t);
    assert.throws(() => decodeTokenData('gh', null), ConnectorError);
    assert.throws(() => decodeTokenData('gh', new TextEncoder().encode('{}')), ConnectorError);
  });

  test('nextLink reads rel="next" among others', () => {
    const h = '<https://api/x?page=2>; rel="next", <https://api/x?page=9>; rel="last"';
    assert.equal(nextLink(h, 'https://api/x'), 'https://api/x?page=2');
    assert.equal(nextLink('<https://api/x?page=1>; rel="prev"', 'https://api/x'), null);
    assert.equal(nextLink(undefined, 'https://api/x'), null);
  });

  test('collectPages refuses another origin and stops runaway paging', async () => {
    const pages = await collectPages('gh', 'https://api/x?p=1', async (u) => ({ items: [u], next: u.endsWith('1') ? 'https://api/x?p=2' : null }));
    assert.deepEqual(pages, ['https://api/x?p=1', 'https://api/x?p=2']);
    await assert.rejects(collectPages('gh', 'https://api/x', async () => ({ items: [], next: 'https://evil/x' })), /another origin/);
    let n = 0;
    await assert.rejects(collectPages('gh', 'https://api/x', async () => ({ items: [], next: `https://api/x?p=${++n}` })), /more than 200 pages/);
  });
});
