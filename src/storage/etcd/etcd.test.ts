import { randomBytes } from 'node:crypto';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import { etcdStorage } from './index.js';

// Started by test/peers/etcd/start.sh (scripts/test.mjs --peers etcd). Each storage gets its own key namespace.
const endpoints = process.env.FERRY_ETCD_ENDPOINTS;
const deps = { logger: silentLogger(), now: () => new Date() };

runStorageConformance({
  name: 'etcd (real etcd 3.4)',
  open: async () => {
    if (!endpoints) throw new Error('FERRY_ETCD_ENDPOINTS is not set: start test/peers/etcd/start.sh (node scripts/test.mjs --peers etcd)');
    const namespace = `conformance/${randomBytes(6).toString('hex')}/`;
    return etcdStorage.open(etcdStorage.parseConfig({ endpoints: endpoints.split(','), namespace }, 'storage.config'), deps);
  },
});
