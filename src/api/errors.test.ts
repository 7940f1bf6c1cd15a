import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Writable } from 'node:stream';
import { Code, ConnectError } from '@connectrpc/connect';
import { AlreadyExistsError, ConfigError, NotFoundError, ReadOnlyError, StorageError } from '../lib/errors.js';
import { createLogger } from '../lib/logger.js';
import { MAX_MESSAGE, recover, toConnectError } from './errors.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', format: 'json', destination }) };
}

test('a backend failure becomes Internal with a fixed message; the driver text is only logged', () => {
  const { lines, logger } = capture();
  const driver = new StorageError('update client: SQLITE_BUSY: database is locked at /var/lib/ferry/db');
  const out = toConnectError(driver, 'updateClient', logger);
  assert.equal(out.code, Code.Internal);
  assert.equal(out.rawMessage, 'updateClient: internal error');
  assert.doesNotMatch(out.message, /SQLITE|locked|\/var/);
  assert.match(lines.join(''), /SQLITE_BUSY/);
  const plain = toConnectError(new TypeError('cannot read properties of undefined (secret=abc)'), 'getClient', logger);
  assert.equal(plain.rawMessage, 'getClient: internal error');
});

test('typed storage errors map to their gRPC codes without their messages', () => {
  const { logger } = capture();
  const cases: Array<[Error, Code, string]> = [
    [new NotFoundError('client "x" not found in table clients'), Code.NotFound, 'not found'],
    [new AlreadyExistsError('duplicate key value violates unique constraint'), Code.AlreadyExists, 'already exists'],
    [new ReadOnlyError('static clients: read-only'), Code.FailedPrecondition, 'read-only: defined in the config file'],
  ];
  for (const [err, code, message] of cases) {
    const out = toConnectError(err, 'rpc', logger);
    assert.equal(out.code, code);
    assert.equal(out.rawMessage, message);
  }
  const mine = new ConnectError('no id supplied', Code.InvalidArgument);
  assert.equal(toConnectError(mine, 'rpc', logger), mine, 'our own statuses pass through');
});

test('connector config problems are InvalidArgument with paths and reasons', () => {
  const { logger } = capture();
  const out = toConnectError(new ConfigError([{ path: 'config.host', message: 'required' }]), 'createConnector', logger);
  assert.equal(out.code, Code.InvalidArgument);
  assert.equal(out.rawMessage, 'invalid connector config: config.host: required');
});

test('recover answers the fallback only for the named storage error', async () => {
  assert.deepEqual(await recover(() => Promise.reject(new NotFoundError('x')), 'ERR_NOT_FOUND', { notFound: true }), { notFound: true });
  await assert.rejects(recover(() => Promise.reject(new StorageError('x')), 'ERR_NOT_FOUND', {}), StorageError);
  await assert.rejects(recover(() => Promise.reject(new NotFoundError('x')), 'ERR_ALREADY_EXISTS', {}), NotFoundError);
});

test('a long message is cut to MAX_MESSAGE characters with its code kept', () => {
  const { logger } = capture();
  const out = toConnectError(new ConnectError(`bad value "${'🦊'.repeat(1000)}"`, Code.InvalidArgument), 'createClient', logger);
  assert.equal(out.code, Code.InvalidArgument);
  assert.ok(out.rawMessage.length <= MAX_MESSAGE + 20);
  assert.match(out.rawMessage, /… \(truncated\)$/);
  assert.doesNotMatch(out.rawMessage, /[\ud800-\udbff]…/, 'no half surrogate pair');
});
