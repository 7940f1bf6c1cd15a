import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RefreshTokenRef } from '../../storage/types.js';
import { addDevice, devicesOf, keyOfToken, listDevices, removeClient, removeDevice } from './devices.js';

const at = (s: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, s));
const ref = (id: string, s: number, sessionId = '', clientId = 'kubectl'): RefreshTokenRef => ({
  id, clientId, createdAt: at(s), lastUsed: at(s), sessionId,
});

/** Links the refs one after another, returning the map and everything dropped on the way. */
function linkAll(refs: RefreshTokenRef[], perDevice: boolean, cap?: number) {
  let refresh: Record<string, RefreshTokenRef> = {};
  const dropped: string[] = [];
  for (const r of refs) {
    const change = addDevice(refresh, r, perDevice, cap);
    refresh = change.refresh;
    dropped.push(...change.dropped.map((d) => d.id));
  }
  return { refresh, dropped };
}

describe('devices of one client', () => {
  test("dex's rule (sessions off): a new token replaces the client's previous one", () => {
    const { refresh, dropped } = linkAll([ref('a', 1, 's1'), ref('b', 2, 's2')], false);
    assert.deepEqual(Object.keys(refresh), ['kubectl']);
    assert.equal(refresh.kubectl?.id, 'b');
    assert.deepEqual(dropped, ['a']);
  });

  test('per device: two sessions keep two tokens; the newest is the dex-visible primary entry', () => {
    const { refresh, dropped } = linkAll([ref('a', 1, 's1'), ref('b', 2, 's2'), ref('other', 3, 's1', 'web')], true);
    assert.deepEqual(dropped, []);
    assert.equal(refresh.kubectl?.id, 'b');
    assert.equal(refresh['ferry-device:a']?.clientId, 'kubectl');
    assert.equal(refresh.web?.id, 'other');
    assert.deepEqual(devicesOf(refresh, 'kubectl').map((r) => r.id), ['b', 'a']);
  });

  test('per device: a new login from the same session replaces that session’s token only', () => {
    const { refresh, dropped } = linkAll([ref('a', 1, 's1'), ref('b', 2, 's2'), ref('c', 3, 's1')], true);
    assert.deepEqual(dropped, ['a']);
    assert.deepEqual(devicesOf(refresh, 'kubectl').map((r) => r.id), ['c', 'b']);
  });

  test('per device: code exchanges without a session are each a device', () => {
    const { refresh, dropped } = linkAll([ref('a', 1), ref('b', 2), ref('c', 3)], true);
    assert.deepEqual(dropped, []);
    assert.equal(devicesOf(refresh, 'kubectl').length, 3);
  });

  test('the cap evicts the oldest devices', () => {
    const { refresh, dropped } = linkAll([ref('a', 1), ref('b', 2), ref('c', 3), ref('d', 4)], true, 3);
    assert.deepEqual(dropped, ['a']);
    assert.deepEqual(devicesOf(refresh, 'kubectl').map((r) => r.id), ['d', 'c', 'b']);
  });

  test('removing the primary promotes the newest remaining device', () => {
    const { refresh } = linkAll([ref('a', 1), ref('b', 2), ref('c', 3)], true);
    const change = removeDevice(refresh, 'c');
    assert.deepEqual(change.dropped.map((r) => r.id), ['c']);
    assert.equal(change.refresh.kubectl?.id, 'b');
    assert.equal(keyOfToken(change.refresh, 'a'), 'ferry-device:a');
    assert.equal(keyOfToken(change.refresh, 'c'), null);
    assert.deepEqual(removeDevice(change.refresh, 'nope').dropped, []);
  });

  test('removing a client drops all its devices and leaves other clients', () => {
    const { refresh } = linkAll([ref('a', 1), ref('b', 2), ref('w', 3, '', 'web')], true);
    const change = removeClient(refresh, 'kubectl');
    assert.deepEqual(change.dropped.map((r) => r.id).sort(), ['a', 'b']);
    assert.deepEqual(Object.keys(change.refresh), ['web']);
  });

  test('listing names each device with its client; legacy entries without ClientID use the key', () => {
    const { refresh } = linkAll([ref('a', 1), ref('b', 2)], true);
    const legacy = { ...refresh, old: { ...ref('x', 0), clientId: '' } };
    assert.deepEqual(
      listDevices({ refresh: legacy }).map((d) => [d.clientId, d.id, d.primary]),
      [['kubectl', 'b', true], ['kubectl', 'a', false], ['old', 'x', true]],
    );
  });
});
