import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constantTimeEqual } from './constant-time.js';

test('equal strings match; different content, length or encoding do not', () => {
  assert.equal(constantTimeEqual('s3cret-value', 's3cret-value'), true);
  assert.equal(constantTimeEqual('', ''), true);
  assert.equal(constantTimeEqual('s3cret-value', 's3cret-valuf'), false);
  assert.equal(constantTimeEqual('s3cret', 's3cret-value'), false);
  assert.equal(constantTimeEqual('', 'x'), false);
  assert.equal(constantTimeEqual('é', 'e\u0301'), false);
  assert.equal(constantTimeEqual('ü-ß', 'ü-ß'), true);
});
