import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pooledRandomBytes } from './random-pool.js';

test('slices have the asked size and are never handed out twice, across pool refills', () => {
  const seen = new Set<string>();
  const held: Buffer[] = [];
  for (let i = 0; i < 2000; i++) {
    const b = pooledRandomBytes(32);
    assert.equal(b.length, 32);
    const hex = b.toString('hex');
    assert.ok(!seen.has(hex), 'a slice repeated');
    seen.add(hex);
    if (i % 100 === 0) held.push(b);
  }
  // Slices held across refills keep their bytes (the pool is replaced, not rewritten).
  for (const b of held) assert.ok(seen.has(b.toString('hex')));
  const big = pooledRandomBytes(1000);
  assert.equal(big.length, 1000);
});

test('the bytes look random: every byte value turns up over 64 KiB', () => {
  const counts = new Array<number>(256).fill(0);
  for (let i = 0; i < 2048; i++) for (const x of pooledRandomBytes(32)) counts[x]!++;
  assert.ok(counts.every((c) => c > 0), 'a byte value never appeared');
});
