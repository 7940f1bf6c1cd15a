import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import { memoryStorage } from './index.js';

const deps = { logger: silentLogger(), now: () => new Date() };

runStorageConformance({
  name: 'memory',
  open: () => memoryStorage.open(memoryStorage.parseConfig({}, 'storage.config'), deps),
});

test('memory: a closed storage refuses calls', async () => {
  const s = await memoryStorage.open({}, deps);
  await s.close();
  await assert.rejects(s.ping(), { code: 'ERR_STORAGE' });
});
