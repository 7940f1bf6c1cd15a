import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byName, omitted } from './flow-tables.js';
import { decodeFields, encodeFields, type FieldTable } from './table.js';
import { alwaysEmpty, ferryObject, str, strs, strsOrNull } from './values.js';

interface Thing {
  id: string;
  tags: string[];
  chain: string[] | null;
  pkce: { challenge: string };
  note: string;
}

const TABLE: FieldTable = [
  { prop: 'id', value: str, etcd: { name: 'ID' }, kube: byName((n) => n.toUpperCase()) },
  { prop: '', value: alwaysEmpty, etcd: { name: 'idEnv' } },
  { prop: 'tags', value: strs, etcd: { name: 'tags' }, kube: omitted('Tags') },
  { prop: 'chain', value: strsOrNull, etcd: { name: 'chain' }, kube: { name: 'chain', omit: 'null' } },
  { prop: 'pkce.challenge', value: str, etcd: omitted('code_challenge'), kube: omitted('code_challenge') },
  { prop: '', value: ferryObject({ note: str }), etcd: omitted('ferry'), kube: omitted('ferry') },
];

const full: Thing = { id: 'a1', tags: ['x'], chain: [], pkce: { challenge: 'c' }, note: 'n' };
const bare: Thing = { id: 'a1', tags: [], chain: null, pkce: { challenge: '' }, note: '' };

test('each representation writes its own names, in the table order, with its own omit rules', () => {
  assert.equal(
    JSON.stringify(encodeFields(TABLE, 'etcd', full)),
    '{"ID":"a1","idEnv":"","tags":["x"],"chain":[],"code_challenge":"c","ferry":{"note":"n"}}',
  );
  assert.equal(JSON.stringify(encodeFields(TABLE, 'etcd', bare)), '{"ID":"a1","idEnv":"","tags":[],"chain":null}');
  // Kubernetes: the id is the object's name (never a field), `Tags` is omitempty, a nil chain is left out but [] kept
  assert.deepEqual(encodeFields(TABLE, 'kube', full), { Tags: ['x'], chain: [], code_challenge: 'c', ferry: { note: 'n' } });
  assert.deepEqual(encodeFields(TABLE, 'kube', bare), {});
});

test('decoding reads each representation back, nested and merged properties included; missing fields read as zero values', () => {
  assert.deepEqual(decodeFields<Thing>(TABLE, 'etcd', encodeFields(TABLE, 'etcd', full)), full);
  assert.deepEqual(decodeFields<Thing>(TABLE, 'kube', { metadata: { name: 'a1' }, ...encodeFields(TABLE, 'kube', full) }), { ...full, id: 'A1' });
  assert.deepEqual(decodeFields<Thing>(TABLE, 'etcd', 'not an object'), { id: '', tags: [], chain: null, pkce: { challenge: '' }, note: '' });
});
