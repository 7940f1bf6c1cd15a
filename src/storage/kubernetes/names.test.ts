import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from '../ids.js';
import { fnv64, idToName, isValidName, objectName, pairName } from './names.js';

test('FNV-1 64 matches the published vector', () => {
  assert.equal(Buffer.from(fnv64(Buffer.from('a'))).toString('hex'), 'af63bd4c8601b7be');
});

test("client and password names follow dex's idToName (bytes + FNV-64 of nothing, base32)", () => {
  assert.equal(idToName('foo'), 'mzxw7s7sttsiiirdeu');
  assert.equal(objectName('client', 'foo'), 'mzxw7s7sttsiiirdeu');
  assert.equal(objectName('password', 'jane@example.com'), idToName('jane@example.com'));
});

test("offline sessions and identities use dex's offlineTokenName", () => {
  assert.equal(pairName('user-1', 'local'), 'a2ts6sejyurx6');
  assert.equal(objectName('offline_session', JSON.stringify(['user-1', 'local'])), 'a2ts6sejyurx6');
  assert.notEqual(pairName('user-1', 'local'), pairName('user-2', 'local'));
});

test('ids are used as they are; other keys are made valid names', () => {
  const id = newId();
  assert.equal(objectName('refresh_token', id), id);
  assert.equal(objectName('keys', 'keys'), 'openid-connect-keys');
  assert.equal(objectName('device_request', 'BCDF-GHJK'), 'bcdf-ghjk');
  for (const key of ['My_Connector', 'UPPER', '-dash', 'x'.repeat(300)]) assert.ok(isValidName(objectName('connector', key)), key);
});
