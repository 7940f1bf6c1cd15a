import { after, before, test } from 'node:test';
import { silentLogger } from '../../lib/logger.js';
import { runStorageConformance } from '../conformance/index.js';
import { freePort } from '../../../test/helpers/ferry.js';
import { createTestDatabase, MYSQL_PEER_MISSING, mysqlPeer, type TestDatabase } from '../../../test/peers/mariadb/database.js';
import { runNetworkSqlSpecifics } from '../sql/network-specifics.js';

const DEX_TABLES = 'client, auth_request, auth_code, refresh_token, password, `keys`, offline_session, connector, device_request, device_token, ferry_document, migrations';
import { mysqlStorage } from './index.js';

const peer = mysqlPeer();
if (!peer) {
  test('mysql storage conformance', () => {
    throw new Error(MYSQL_PEER_MISSING);
  });
} else {
  let db: TestDatabase;
  before(async () => (db = await createTestDatabase(peer)));
  after(() => db.drop());
  const deps = { logger: silentLogger(), now: () => new Date() };
  const open = (over = {}) => mysqlStorage.open(mysqlStorage.parseConfig({ ...db.config, ...over }, 'storage.config'), deps);
  runStorageConformance({ name: 'mysql (MariaDB 10.11 peer)', open: async () => (await db.reset(), open()) });
  runNetworkSqlSpecifics({
    name: 'mysql',
    dialect: 'mysql',
    open,
    dropSchema: async () => void (await db.query(`DROP TABLE IF EXISTS ${DEX_TABLES}`)),
    migrationRows: async () => ((await db.query('SELECT count(*) AS n FROM migrations')) as { n: number }[])[0]!.n,
    closedPort: freePort,
  });
}
