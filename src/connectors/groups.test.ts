import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterGroups } from './groups.js';

test('filterGroups keeps the upstream order and only the required groups', () => {
  assert.deepEqual(filterGroups(['c', 'a', 'b', 'a'], ['a', 'c']), ['c', 'a', 'a']);
  assert.deepEqual(filterGroups(['a', 'b'], []), []);
  assert.deepEqual(filterGroups([], ['a']), []);
  assert.deepEqual(filterGroups(['Admins'], ['admins']), [], 'case-sensitive, as in dex');
});
