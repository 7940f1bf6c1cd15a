import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { OfflineSessions, RefreshTokenRef } from '../types.js';
import { dexSqlFormat } from './dex-format.js';
import { MEMO_MIN_CHARS, MEMO_RECORDS, refsCodec, type DexRef } from './offline-refs.js';

const format = dexSqlFormat.offline_session;
const T0 = Date.UTC(2026, 11, 7, 12);

const ref = (id: string, clientId: string, i = 0, sessionId = ''): RefreshTokenRef => ({
  id, clientId, createdAt: new Date(T0 - i * 1000), lastUsed: new Date(T0 - i * 500), sessionId,
});

/** A user's record with `clients` × `devices` references, as docs/devices.md keys them. */
function record(userId: string, clients: number, devices: number): OfflineSessions {
  const refresh: Record<string, RefreshTokenRef> = {};
  for (let c = 0; c < clients; c++) {
    for (let d = 0; d < devices; d++) {
      const id = `${userId}-t${c}-${d}-abcdefghijklmnop`;
      refresh[d === 0 ? `client-${c}` : `ferry-device:${id}`] = ref(id, `client-${c}`, d, d % 2 ? `s-${c}-${d}` : '');
    }
  }
  return { userId, connId: 'mock', refresh, connectorData: null };
}

/** The column as dex's Go code marshals it (and as Ferry wrote it before it remembered): one `JSON.stringify`. */
const plainText = (refresh: Record<string, RefreshTokenRef>): string =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(refresh).map(([k, r]) => [k, { ID: r.id, ClientID: r.clientId, CreatedAt: r.createdAt.toISOString(), LastUsed: r.lastUsed.toISOString() }]),
    ),
  );

/** A row as the SQL backends hand it to the format: the logical row, the JSON column as its text. */
const stored = (s: OfflineSessions) => {
  const row = format.encode(s);
  return { ...row, refresh: String(row.refresh) };
};

test('the refresh column is exactly the JSON of the map, for any keys and references', () => {
  const arbRef = fc.record({
    id: fc.string(), clientId: fc.string(), sessionId: fc.string(),
    createdAt: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
    lastUsed: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }),
  });
  // Unicode, quotes, integer-like keys (which objects order first), the device prefix, and names every object
  // inherits (a client named `toString` once read a function as its session id).
  const arbKey = fc.oneof(
    fc.string({ unit: 'grapheme' }), fc.nat().map(String), fc.string().map((s) => `ferry-device:${s}`),
    fc.constantFrom('toString', 'constructor', 'hasOwnProperty'),
  );
  fc.assert(
    fc.property(fc.dictionary(arbKey.filter((k) => k !== '__proto__'), arbRef, { maxKeys: 40 }), (dict) => {
      // fast-check may build objects without a prototype; the store's maps and references have one
      const refresh = Object.fromEntries(Object.entries(dict).map(([k, r]) => [k, { ...r }]));
      const s: OfflineSessions = { userId: 'u', connId: 'c', refresh, connectorData: null };
      const row = stored(s);
      assert.equal(row.refresh, plainText(refresh));
      assert.deepEqual(format.decode(row), s);
      assert.deepEqual(format.decode({ ...row, refresh: plainText(refresh) }), s, 'the same text from another writer');
    }),
    { numRuns: 500 },
  );
});

test('a large record read again is the same answer; another text or other session ids are decoded anew', () => {
  const s = record('alice', 9, 20);
  const row = stored(s);
  assert.ok(String(row.refresh).length >= MEMO_MIN_CHARS, 'large enough to be remembered');
  const first = format.decode(row);
  assert.deepEqual(first, s);
  assert.equal(format.decode({ ...row }).refresh, first.refresh, 'the read-back is a lookup');

  // Another process (or dex) wrote the record: Go's encoder escapes `<`, `>` and `&` and keeps its own spacing.
  const goText = String(row.refresh).replace('"client-0"', '"client-0" ').replaceAll('alice', 'al\\u003cice');
  const other = format.decode({ ...row, refresh: goText });
  assert.equal(other.refresh['client-0']?.id, 'al<ice-t0-0-abcdefghijklmnop');
  assert.equal(Object.keys(other.refresh).length, 180);

  // The same refresh text with other session ids (ferry_ext): not the remembered answer.
  const moved = { ...s, refresh: { ...s.refresh, 'client-0': { ...s.refresh['client-0']!, sessionId: 'another' } } };
  const movedRow = stored(moved);
  assert.equal(movedRow.refresh, row.refresh, 'session ids live in ferry_ext, not in dex’s column');
  assert.equal(format.decode(movedRow).refresh['client-0']?.sessionId, 'another');
  assert.equal(format.decode(row).refresh['client-0']?.sessionId, '');
});

test('remembered references cannot be changed behind the text that names them', () => {
  const s = format.decode(stored(record('bob', 9, 20)));
  const any = Object.values(s.refresh)[0]!;
  assert.throws(() => {
    (any as { id: string }).id = 'changed';
  }, TypeError);
  assert.throws(() => {
    s.refresh['client-0'] = ref('x', 'client-0');
  }, TypeError);
  // Callers replace: a new map with one new reference encodes to the text of that map.
  const next = { ...s, refresh: { ...s.refresh, 'client-0': { ...s.refresh['client-0']!, lastUsed: new Date(T0 + 1) } } };
  assert.equal(stored(next).refresh, plainText(next.refresh));
  // The same reference object under another key (a primary entry becoming an older device's) is written there.
  const primary = next.refresh['client-0']!;
  const demoted = { ...next, refresh: { [`ferry-device:${primary.id}`]: primary, 'client-0': ref('newest', 'client-0') } };
  assert.equal(stored(demoted).refresh, plainText(demoted.refresh));
});

test('a part read without the refresh column leaves the record remembered', () => {
  const codec = refsCodec();
  let builds = 0;
  const build = (raw: Record<string, DexRef>): Record<string, RefreshTokenRef> => (builds++, Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, ref(String(v.ID), String(v.ClientID))])));
  const text = codec.encode('k', record('carol', 9, 20).refresh, null, (r) => ({ ID: r.id, ClientID: r.clientId }));
  codec.decode('k', text, null, build);
  assert.equal(builds, 0, 'the text written is remembered');
  const partRow = { user_id: 'carol', conn_id: 'mock', connector_data: Buffer.from('x') };
  assert.deepEqual(format.decode(partRow).refresh, {});
});

test(`at most ${MEMO_RECORDS} records are remembered, the least recently used out first`, () => {
  const codec = refsCodec();
  let builds = 0;
  const build = (raw: Record<string, DexRef>): Record<string, RefreshTokenRef> => (builds++, Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, ref(String(v.ID), String(v.ClientID))])));
  const texts = Array.from({ length: MEMO_RECORDS + 1 }, (_, i) => plainText(record(`user${i}`, 2, 20).refresh));
  texts.forEach((t, i) => codec.decode(`k${i}`, t, null, build));
  assert.equal(builds, MEMO_RECORDS + 1);
  codec.decode(`k${MEMO_RECORDS}`, texts[MEMO_RECORDS]!, null, build);
  codec.decode('k1', texts[1]!, null, build);
  assert.equal(builds, MEMO_RECORDS + 1, 'the newest and the second are still remembered');
  codec.decode('k0', texts[0]!, null, build);
  assert.equal(builds, MEMO_RECORDS + 2, 'the first was let go');
  const small = plainText(record('dave', 1, 1).refresh);
  codec.decode('small', small, null, build);
  codec.decode('small', small, null, build);
  assert.equal(builds, MEMO_RECORDS + 4, `records under ${MEMO_MIN_CHARS} characters are not remembered`);
});
