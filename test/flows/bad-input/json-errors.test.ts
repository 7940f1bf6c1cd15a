/**
 * The JSON error channel over the wire, byte for byte: every JSON error Ferry writes goes through one writer
 * (src/server/oauth2/write-json-error.ts), and each of its three users keeps its exact answer: the token endpoint
 * (RFC 6749 §5.2: `Pragma: no-cache`, `WWW-Authenticate: Basic` after HTTP Basic), /userinfo (RFC 6750 §3: a
 * `Bearer` challenge, no Pragma), and the server's error handler for a request fastify refuses before any route
 * runs on a JSON path (a body it cannot parse or over the size limit: 400, no Pragma).
 */

import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, test } from 'node:test';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';

let f: TestFerry;
before(async () => {
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
connectors:
- { type: mockPassword, id: pw, name: Password, config: { username: kilgore, password: trout } }
staticClients:
- { id: app, secret: s3cret, name: App, redirectURIs: ['https://app.example.com/cb'] }
`);
});
after(() => f.stop());

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | undefined>;
}

const HEADERS = ['content-type', 'cache-control', 'pragma', 'www-authenticate', 'retry-after'];

function send(path: string, method: string, headers: Record<string, string>, body = ''): Promise<Answer> {
  const url = new URL(f.issuer);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: `${url.pathname}${path}`, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          const picked = Object.fromEntries(HEADERS.map((h) => [h, res.headers[h] as string | undefined]));
          resolve({ status: res.statusCode ?? 0, body: text, headers: picked });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const json = (pragma: boolean, challenge?: string) => ({
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  pragma: pragma ? 'no-cache' : undefined,
  'www-authenticate': challenge,
  'retry-after': undefined,
});
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

test('token endpoint: a wrong Basic secret is 401 invalid_client with the Basic challenge and Pragma', async () => {
  const basic = `Basic ${Buffer.from('app:wrong').toString('base64')}`;
  const r = await send('/token', 'POST', { ...FORM, authorization: basic }, 'grant_type=authorization_code&code=x');
  assert.deepEqual(r, {
    status: 401,
    body: '{"error":"invalid_client","error_description":"Invalid client credentials."}',
    headers: json(true, `Basic realm="${f.issuer}"`),
  });
});

test('userinfo: an unknown token is 401 invalid_token, named in the Bearer challenge; no Pragma', async () => {
  const r = await send('/userinfo', 'GET', { authorization: 'Bearer abc.def.ghi' });
  assert.deepEqual(r, {
    status: 401,
    body: '{"error":"invalid_token","error_description":"The access token is invalid or expired."}',
    headers: json(false, 'Bearer error="invalid_token", error_description="The access token is invalid or expired."'),
  });
});

test('error handler: a body fastify cannot parse, or one over the limit, on a JSON path is 400 invalid_request', async () => {
  const expected = {
    status: 400,
    body: '{"error":"invalid_request","error_description":"The request is malformed or too large."}',
    headers: json(false),
  };
  assert.deepEqual(await send('/userinfo', 'POST', { 'content-type': 'application/json' }, '{"access_token":'), expected);
  assert.deepEqual(await send('/userinfo', 'POST', FORM, `access_token=${'a'.repeat(1_100_000)}`), expected);
});
