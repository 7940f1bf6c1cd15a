/**
 * `node --import tsx bench/sqlite-reads.ts`: CPU per pair of primary-key reads on a WAL SQLite file shaped like
 * Ferry's `ferry_document` table (20,000 opaque access tokens, 20,000 denylist entries), as an opaque token check
 * makes them (the token, then its grant's denylist entries): two autocommit statements (what Ferry does), the two
 * inside one read transaction, and one statement for both. Each autocommit read is a WAL read transaction of its
 * own. Informs issue 13 item 5 (bench/README.md); better-sqlite3 only, no Ferry code.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { median } from './lib/report.js';

const N = 200_000;
const ROWS = 20_000;
const dir = mkdtempSync(join(tmpdir(), 'ferry-sqlite-reads-'));
const db = new Database(join(dir, 'reads.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('create table ferry_document (kind text not null, id text not null, doc text not null, expiry integer, primary key (kind, id))');
const insert = db.prepare('insert into ferry_document values (?, ?, ?, ?)');
db.transaction(() => {
  for (let i = 0; i < ROWS; i++) {
    insert.run('access_token', `a${i}`, JSON.stringify({ grant: `g${i}`, clientId: 'bench-0' }), 0);
    insert.run('revoked_token', `r${i}`, '{}', 0);
  }
})();
const token = db.prepare('select kind, id, doc, expiry from ferry_document where kind = ? and id = ?');
const denied = db.prepare('select kind, id, doc, expiry from ferry_document where kind = ? and id in (?, ?)');
const both = db.prepare(
  "select kind, id, doc, expiry from ferry_document where (kind = 'access_token' and id = ?) or (kind = 'revoked_token' and id in (?, ?))",
);
const pair = (i: number): unknown[] => [token.get('access_token', `a${i}`), denied.all('revoked_token', `g${i}`, `j${i}`)];
const inTransaction = db.transaction(pair);

const cpuMicros = (f: (i: number) => unknown): number => {
  for (let i = 0; i < ROWS; i++) f(i);
  const t0 = process.cpuUsage();
  for (let i = 0; i < N; i++) f(i % ROWS);
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / N;
};
const variants: Array<[string, (i: number) => unknown]> = [
  ['two autocommit reads', pair],
  ['two reads, one transaction', (i) => inTransaction(i)],
  ['one statement for both', (i) => both.all(`a${i}`, `g${i}`, `j${i}`)],
  ['one read alone', (i) => token.get('access_token', `a${i}`)],
];
const runs = new Map<string, number[]>();
for (let r = 0; r < 3; r++) for (const [name, f] of variants) runs.set(name, [...(runs.get(name) ?? []), cpuMicros(f)]);
db.close();
rmSync(dir, { recursive: true, force: true });
console.log(`CPU µs per call (${N.toLocaleString('en')} calls, three rounds; the median first):`);
for (const [name, xs] of runs) {
  console.log(`  ${name.padEnd(28)} ${median(xs)!.toFixed(1).padStart(5)}   (${xs.map((x) => x.toFixed(1)).join(', ')})`);
}
