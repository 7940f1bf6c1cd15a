/**
 * The one JSON error writer: exact bodies and headers on a real fastify reply (inject), the challenges' syntax
 * (RFC 6750 §3, RFC 6749 §5.2), and what `writeJsonError` sends and logs for exposed, internal and store errors.
 */

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify, { type FastifyReply } from 'fastify';
import { StorageError } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';
import { invalidClient, invalidGrant, OAuthError } from './oauth-error.js';
import { basicChallenge, bearerChallenge, sendJsonError, writeJsonError } from './write-json-error.js';

async function answer(write: (reply: FastifyReply) => FastifyReply) {
  const app = Fastify();
  app.get('/', (_req, reply) => write(reply));
  const res = await app.inject({ method: 'GET', url: '/' });
  await app.close();
  return res;
}

function capture() {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { lines, logger: createLogger({ level: 'info', format: 'json', destination }) };
}

test('sendJsonError: the body, status and no-store; the optional headers only when asked', async () => {
  const plain = await answer((r) => sendJsonError(r, { status: 400, error: 'invalid_request', description: 'Bad "x" <y>.' }));
  assert.equal(plain.statusCode, 400);
  assert.equal(plain.body, '{"error":"invalid_request","error_description":"Bad \\"x\\" <y>."}');
  assert.equal(plain.headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(plain.headers['cache-control'], 'no-store');
  for (const h of ['pragma', 'www-authenticate', 'retry-after']) assert.equal(plain.headers[h], undefined, h);

  const full = await answer((r) =>
    sendJsonError(r, { status: 429, error: 'slow_down', description: 'Wait.', challenge: 'Bearer', retryAfter: 5, pragma: true }),
  );
  assert.equal(full.statusCode, 429);
  assert.equal(full.headers.pragma, 'no-cache');
  assert.equal(full.headers['www-authenticate'], 'Bearer');
  assert.equal(full.headers['retry-after'], '5');
});

test('challenges: Bearer alone without an error, quoted params with one; quotes and backslashes cannot break out', () => {
  assert.equal(bearerChallenge(), 'Bearer');
  assert.equal(bearerChallenge('', 'No bearer token provided.'), 'Bearer');
  assert.equal(
    bearerChallenge('invalid_token', 'The access token is invalid or expired.'),
    'Bearer error="invalid_token", error_description="The access token is invalid or expired."',
  );
  assert.equal(bearerChallenge('invalid_token', 'a"b\\c'), 'Bearer error="invalid_token", error_description="abc"');
  assert.equal(basicChallenge('Acme "Corp"\\'), 'Basic realm="Acme Corp"');
});

test('writeJsonError: an exposed error as it is, with Pragma; Basic challenge only for a 401 invalid_client', async () => {
  const { logger, lines } = capture();
  const opts = { logger, requestId: 'r1', basicRealm: 'ferry' };
  const client = await answer((r) => writeJsonError(r, invalidClient(), opts));
  assert.equal(client.statusCode, 401);
  assert.equal(client.body, '{"error":"invalid_client","error_description":"Invalid client credentials."}');
  assert.equal(client.headers['www-authenticate'], 'Basic realm="ferry"');
  assert.equal(client.headers.pragma, 'no-cache');
  const grant = await answer((r) => writeJsonError(r, invalidGrant(undefined, { detail: 'code reused' }), opts));
  assert.equal(grant.statusCode, 400);
  assert.equal(grant.headers['www-authenticate'], undefined);
  const noBasic = await answer((r) => writeJsonError(r, invalidClient(), { logger, requestId: 'r2' }));
  assert.equal(noBasic.headers['www-authenticate'], undefined);
  assert.match(lines.join(''), /"level":"INFO".*"detail":"code reused"/);
});

test('writeJsonError: internals become a generic server_error, store failures 503; neither leaks its message', async () => {
  const { logger, lines } = capture();
  const opts = { logger, requestId: 'r3' };
  const internal = await answer((r) => writeJsonError(r, new Error('secret internals'), opts));
  assert.equal(internal.statusCode, 500);
  assert.equal(internal.body, '{"error":"server_error","error_description":"An internal server error occurred."}');
  const store = await answer((r) => writeJsonError(r, new Error('wrapped', { cause: new StorageError('db down') }), opts));
  assert.equal(store.statusCode, 503);
  assert.equal(JSON.parse(store.body).error, 'temporarily_unavailable');
  const hidden = await answer((r) => writeJsonError(r, new OAuthError('server_error', 'x', { detail: 'internal' }), opts));
  assert.doesNotMatch(hidden.body, /internal"/);
  assert.match(lines.join(''), /"level":"ERROR".*secret internals/);
});
