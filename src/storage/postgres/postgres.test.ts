import { after, before, test } from 'node:test';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import { freePort } from '../../../test/helpers/ferry.js';
import { createTestDatabase, POSTGRES_PEER_MISSING, postgresPeer, type TestDatabase } from '../../../test/peers/postgres/database.js';
import { runNetworkSqlSpecifics } from '../sql/network-specifics.js';

const DEX_TABLES = 'client, auth_request, auth_code, refresh_token, password, keys, offline_session, connector, device_request, device_token, ferry_document, migrations';
import { postgresStorage } from './index.js';

const peer = postgresPeer();
if (!peer) {
  test('postgres storage conformance', () => {
    throw new Error(POSTGRES_PEER_MISSING);
  });
} else {
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase(peer)));
  after(() => db.drop());
  const deps = { logger: silentLogger(), now: () => new Date() };
  const open = (over = {}) => postgresStorage.open(postgresStorage.parseConfig({ ...db.config, ...over }, 'storage.config'), deps);
  runStorageConformance({ name: 'postgres (PostgreSQL 15 peer)', open: async () => (await db.reset(), open()) });
  runNetworkSqlSpecifics({
    name: 'postgres',
    dialect: 'postgres',
    open,
    dropSchema: async () => void (await db.query(`DROP TABLE IF EXISTS ${DEX_TABLES}`)),
    migrationRows: async () => (await db.query('SELECT count(*)::int AS n FROM migrations')).rows[0].n,
    closedPort: freePort,
  });
}
