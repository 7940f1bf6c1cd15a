/**
 * `node --import tsx bench/device-list.ts`: process CPU per login's write of the user's device list (docs/devices.md),
 * measured in one process: `updateOfflineSessions` with `addDevice`, as a login links its new refresh token, on a
 * store whose user already has `BENCH_DEVICE_CLIENTS` clients (default 9) at the cap of 20 devices each, and on one
 * with a single device. Stores: a WAL SQLite file (what the full-login row of `npm run bench` runs on) and the
 * memory store. `BENCH_ROUNDS` (default 3) rounds of 3,000 logins each, the stores alternating.
 *
 * To compare with another checkout, point BENCH_FERRY_ROOT at it (its src/ is imported; this file need not exist
 * there): `BENCH_FERRY_ROOT=/path/to/old node --import tsx bench/device-list.ts`.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Storage } from '../src/storage/storage.js';
import type { RefreshTokenRef } from '../src/storage/types.js';
import { median } from './lib/report.js';

const ROOT = resolve(process.env.BENCH_FERRY_ROOT ?? join(import.meta.dirname, '..'));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CLIENTS = Number(process.env.BENCH_DEVICE_CLIENTS ?? 9);
const LOGINS = 3000;

type AddDevice = (refresh: Record<string, RefreshTokenRef>, ref: RefreshTokenRef, perDevice: boolean) => { refresh: Record<string, RefreshTokenRef> };
const { addDevice } = (await import(join(ROOT, 'src/server/tokens/devices.ts'))) as { addDevice: AddDevice };
const { openSqliteStorage } = (await import(join(ROOT, 'src/storage/sqlite/sqlite-storage.ts'))) as {
  openSqliteStorage: (c: { file: string }) => Promise<Storage>;
};
const { openMemoryStorage } = (await import(join(ROOT, 'src/storage/memory/index.ts'))) as { openMemoryStorage: () => Storage };

/** One user whose next logins each link a new device of one of `clients` clients, in turn. */
async function user(s: Storage, clients: number): Promise<() => Promise<void>> {
  await s.createOfflineSessions({ userId: 'u1', connId: 'mock', refresh: {}, connectorData: null });
  let n = 0;
  let t = Date.UTC(2026, 11, 7);
  const login = async () => {
    const id = `t${String(n).padStart(8, '0')}abcdefghijklmnop`;
    const ref = { id, clientId: `bench-${n++ % clients}`, createdAt: new Date((t += 1000)), lastUsed: new Date(t), sessionId: `s-${id}` };
    await s.updateOfflineSessions('u1', 'mock', (o) => ({ ...o, refresh: addDevice(o.refresh, ref, true).refresh }));
  };
  for (let i = 0; i < clients * 25; i++) await login(); // past the cap of 20 per client: every login now evicts one
  return login;
}

const dir = mkdtempSync(join(tmpdir(), 'ferry-device-list-'));
const cases: Array<[string, () => Promise<void>]> = [];
for (const clients of [CLIENTS, 1]) {
  const devices = clients === 1 ? '1 client' : `${clients} clients`;
  cases.push([`sqlite3, ${devices}`, await user(await openSqliteStorage({ file: join(dir, `c${clients}.db`) }), clients)]);
  cases.push([`memory, ${devices}`, await user(openMemoryStorage(), clients)]);
}
const runs = new Map<string, number[]>();
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, login] of cases) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < LOGINS; i++) await login();
    const d = process.cpuUsage(t0);
    runs.set(name, [...(runs.get(name) ?? []), (d.user + d.system) / LOGINS]);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`${ROOT}: CPU µs per login's device-list update (median of ${ROUNDS} rounds of ${LOGINS}; 20 devices per client)`);
for (const [name, xs] of runs) {
  console.log(`  ${name.padEnd(22)} ${median(xs)!.toFixed(0).padStart(6)}   (${xs.map((x) => x.toFixed(0)).join(', ')})`);
}
