/**
 * Three Ferry processes (`node --import tsx src/main.ts serve`) on one PostgreSQL database for the logout replica
 * flow, with the logout clients of logout.config.ts, and the store opened in the test too, to look at the outbox.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lookupStorageFactory } from '../../../src/config/registry.js';
import { silentLogger } from '../../../src/lib/logger.js';
import type { Storage } from '../../../src/storage/storage.js';
import { freePort } from '../../helpers/ferry.js';
import { createTestDatabase, POSTGRES_PEER_MISSING, postgresPeer } from '../../peers/postgres/database.js';
import { type LogoutPorts, logoutClientsYaml } from './logout.config.js';

export interface LogoutReplica {
  base: string;
  child: ChildProcess;
}

export interface LogoutCluster {
  issuer: string;
  replicas: LogoutReplica[];
  /** The shared store, opened by the test. */
  storage: Storage;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../../src/main.ts', import.meta.url));

async function waitReady(base: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (await fetch(`${base}/.well-known/openid-configuration`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`replica ${base} did not start:\n${readFileSync(log, 'utf8').slice(-2000)}`);
}

const kill = (child: ChildProcess) =>
  new Promise<void>((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGKILL');
  });

export async function startLogoutCluster(n: number, ports: LogoutPorts, outbox: string): Promise<LogoutCluster> {
  const peer = postgresPeer();
  if (!peer) throw new Error(POSTGRES_PEER_MISSING);
  const db = await createTestDatabase(peer);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-logout-replicas-'));
  const listen = await Promise.all(Array.from({ length: n }, () => freePort()));
  const issuer = `http://127.0.0.1:${listen[0]}/dex`;
  const clients = (await logoutClientsYaml(ports)).replace(/sessions:\n {2}backchannelLogout:\n(?: {4}.*\n)*/, outbox);
  const replicas: LogoutReplica[] = [];
  const logs: string[] = [];
  for (const [i, port] of listen.entries()) {
    const file = join(dir, `replica-${i}.yaml`);
    const yaml = `issuer: ${issuer}\nstorage: ${JSON.stringify({ type: 'postgres', config: db.config })}\nweb:\n  http: 127.0.0.1:${port}\nlogger:\n  level: info\n${clients}`;
    writeFileSync(file, yaml);
    logs.push(join(dir, `replica-${i}.log`));
    const out = openSync(logs[i]!, 'w');
    // One process per replica (no workers), so the lease owner's pid is the replica the test kills.
    const env = { ...process.env, FERRY_WORKERS: '1' };
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', file], { stdio: ['ignore', out, out], env });
    replicas.push({ base: `http://127.0.0.1:${port}/dex`, child });
  }
  let storage: Storage | null = null;
  const stop = async () => {
    await Promise.all(replicas.map((r) => kill(r.child)));
    await storage?.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all(replicas.map((r, i) => waitReady(r.base, r.child, logs[i]!)));
  } catch (err) {
    await stop();
    throw err;
  }
  const factory = lookupStorageFactory('postgres');
  if (!factory) throw new Error('no postgres storage');
  storage = await factory.open(factory.parseConfig(db.config, 'storage.config'), { logger: silentLogger(), now: () => new Date() });
  return { issuer, replicas, storage, stop };
}

export const killReplica = (r: LogoutReplica): Promise<void> => kill(r.child);
