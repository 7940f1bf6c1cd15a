import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  isCallbackConnector,
  isPasswordConnector,
  isRefreshConnector,
  isSAMLConnector,
  isTokenIdentityConnector,
} from './capabilities.js';
import { MockCallbackConnector } from './mock/callback.js';
import { MockPasswordConnector } from './mock/password.js';

const guards = { isCallbackConnector, isPasswordConnector, isSAMLConnector, isRefreshConnector, isTokenIdentityConnector };
const fn = async () => undefined;

/** Which guards accept `c`. */
const capabilities = (c: object): string[] =>
  Object.entries(guards)
    .filter(([, guard]) => guard(c))
    .map(([name]) => name);

test('guards recognise the mock connectors', () => {
  assert.deepEqual(capabilities(new MockCallbackConnector()), ['isCallbackConnector', 'isRefreshConnector', 'isTokenIdentityConnector']);
  assert.deepEqual(capabilities(new MockPasswordConnector({ username: 'u', password: 'p' })), ['isPasswordConnector', 'isRefreshConnector']);
});

test('guards need every method of the capability', () => {
  assert.deepEqual(capabilities({ postData: fn, handlePost: fn }), ['isSAMLConnector']);
  assert.deepEqual(capabilities({ postData: fn }), []);
  assert.deepEqual(capabilities({ loginURL: fn, handleCallback: 'not a function' }), []);
  assert.deepEqual(capabilities({}), []);
});
