/**
 * /userinfo's errors, byte for byte (RFC 6750 §3): the status, the `WWW-Authenticate` challenge, the JSON body and
 * `Cache-Control: no-store`, as the shared writer (oauth2/write-json-error.ts) sends them. Live tokens are tested
 * end to end in test/flows/grants and test/flows/token; here the checker knows one token.
 */

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import { userinfoHandler } from './userinfo.js';

const checker: Parameters<typeof userinfoHandler>[0] = {
  check: async (token) => (token === 'good.token' ? { sub: 'u1', iss: 'https://ferry.example' } : null),
  forget: () => undefined,
};
const app = Fastify();
await app.register(formbody);
app.route({ url: '/userinfo', method: ['GET', 'POST'], handler: userinfoHandler(checker) });
after(() => app.close());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function call(headers: Record<string, string>, body?: string) {
  const res = await app.inject({ method: body === undefined ? 'GET' : 'POST', url: '/userinfo', headers, payload: body });
  return { status: res.statusCode, challenge: res.headers['www-authenticate'], body: res.body, type: res.headers['content-type'], cache: res.headers['cache-control'] };
}

const expect = (status: number, challenge: string, body: string) => ({
  status, challenge, body, type: 'application/json; charset=utf-8', cache: 'no-store',
});

test('no token, or an unreadable Authorization header: 401 with a bare Bearer challenge', async () => {
  assert.deepEqual(await call({}), expect(401, 'Bearer', '{"error":"invalid_request","error_description":"No bearer token provided."}'));
  assert.deepEqual(
    await call({ authorization: 'Basic abc' }),
    expect(401, 'Bearer', '{"error":"invalid_request","error_description":"Malformed Authorization header."}'),
  );
});

test('an unknown or expired token: 401 invalid_token, named in the challenge', async () => {
  assert.deepEqual(
    await call({ authorization: 'Bearer bad.token' }),
    expect(
      401,
      'Bearer error="invalid_token", error_description="The access token is invalid or expired."',
      '{"error":"invalid_token","error_description":"The access token is invalid or expired."}',
    ),
  );
});

test('a token given twice, or a malformed form token: 400 invalid_request', async () => {
  assert.deepEqual(
    await call({ ...FORM, authorization: 'Bearer good.token' }, 'access_token=good.token'),
    expect(
      400,
      'Bearer error="invalid_request", error_description="Token given in more than one way."',
      '{"error":"invalid_request","error_description":"Token given in more than one way."}',
    ),
  );
  assert.equal((await call(FORM, 'access_token=a&access_token=b')).status, 400);
});

test('a good token, in the header or the form: its claims, not cached', async () => {
  for (const r of [await call({ authorization: 'bearer good.token' }), await call(FORM, 'access_token=good.token')]) {
    assert.equal(r.status, 200);
    assert.equal(r.challenge, undefined);
    assert.equal(r.cache, 'no-store');
    assert.deepEqual(JSON.parse(r.body), { sub: 'u1', iss: 'https://ferry.example' });
  }
});
