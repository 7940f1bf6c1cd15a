/**
 * A private PostgreSQL cluster for tests that stop and restart the database (the store-failure flow), so the
 * shared peer is never disturbed. It runs the peer's own scripts on a temp dir and a free port: start.sh creates
 * it, stop.sh is a fast shutdown (sessions are cut), and start.sh with PG_KEEP=1 brings the same data back.
 */

import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../helpers/ferry.js';
import { postgresPeer, type PostgresPeer } from './database.js';

const run = promisify(execFile);
const here = import.meta.dirname;

export interface PrivateCluster {
  peer: PostgresPeer;
  /** `pg_ctl stop -m fast`: open connections are terminated and new ones refused. */
  stop(): Promise<void>;
  /** Starts the stopped cluster again with its data. */
  resume(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-pg-'));
  chmodSync(dir, 0o755); // the postgres OS user must reach its data dir inside
  const env = { ...process.env, PG_DIR: join(dir, 'pg'), PG_PORT: String(await freePort()) };
  const script = (name: string, extra: NodeJS.ProcessEnv = {}) => run('bash', [join(here, name)], { env: { ...env, ...extra } });
  const { stdout } = await script('start.sh');
  const vars = Object.fromEntries(stdout.split('\n').map((l) => l.split('=', 2)).filter((kv) => kv.length === 2));
  const peer = postgresPeer(vars);
  if (!peer) throw new Error(`start.sh printed no FERRY_POSTGRES_* variables: ${stdout}`);
  return {
    peer,
    stop: async () => void (await script('stop.sh')),
    resume: async () => void (await script('start.sh', { PG_KEEP: '1' })),
    async destroy() {
      await script('stop.sh').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
