/**
 * How Ferry behaves when its store fails (PostgreSQL on a private cluster this file starts and stops, so the
 * shared peer is never disturbed):
 * - with the database stopped under a small load of refresh grants, requests that need the store answer 503
 *   (`temporarily_unavailable` on /token, the 503 page in the browser flow), `/healthz` and telemetry
 *   `/healthz/ready` say not ready, and when the database is back Ferry recovers without a restart, every client
 *   still holds a working refresh token and the stored documents are consistent;
 * - starting with the database down retries with capped exponential backoff, logging why, and starts once it
 *   is up; a spent retry budget ends with a clear error.
 */

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { startFerry } from '../../../src/cli/start.js';
import { parseConfig } from '../../../src/config/load.js';
import { ConfigError, StorageError } from '../../../src/lib/errors.js';
import { createLogger } from '../../../src/lib/logger.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';
import { type PrivateCluster, startPrivateCluster } from '../../peers/postgres/cluster.js';
import { CLIENTS, login, refresh, storeFailureConfig } from './store-failure.config.js';

let cluster: PrivateCluster;
before(async () => (cluster = await startPrivateCluster()));
after(() => cluster?.destroy());

/** Polls `probe` every 50 ms until it returns true; fails after `ms`. */
async function eventually(what: string, probe: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > until) assert.fail(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

const status = async (url: string) => (await fetch(url)).status;

describe('a running Ferry when PostgreSQL stops and comes back', () => {
  let f: TestFerry;
  let telemetry: string;
  const chains: string[] = [];
  before(async () => {
    const port = await freePort();
    telemetry = `http://127.0.0.1:${port}`;
    f = await startTestFerry(storeFailureConfig(cluster.peer, port));
  });
  after(() => f?.stop());

  test('logins and refreshes work on PostgreSQL', async () => {
    for (const id of CLIENTS) {
      const r = await login(f.issuer, id);
      assert.equal(r.status, 200);
      assert.ok(r.refreshToken);
      chains.push(r.refreshToken);
    }
    assert.equal(await status(`${f.issuer}/healthz`), 200);
    assert.equal(await status(`${telemetry}/healthz/ready`), 200);
  });

  test('under load: 503 while down, not ready, then recovery without restart and nothing half-written', async () => {
    const statuses = new Map<number, number>();
    const unexpected: string[] = [];
    let load = true;
    let okAfterResume = false;
    let resumed = false;
    const worker = async (i: number) => {
      while (load) {
        const r = await refresh(f.issuer, CLIENTS[i]!, chains[i]!).catch((err: unknown) => ({ status: 0, body: { error: String(err) } as Record<string, string> }));
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 200) {
          chains[i] = r.body.refresh_token!;
          if (resumed) okAfterResume = true;
        } else if (r.status !== 503 || r.body.error !== 'temporarily_unavailable') {
          unexpected.push(`${r.status} ${JSON.stringify(r.body)}`);
        }
        await sleep(20); // bounded load: at most 50 requests/s per client
      }
    };
    const workers = CLIENTS.map((_, i) => worker(i));
    try {
      await sleep(300);
      await cluster.stop();

      await eventually('a refresh answers 503', async () => (statuses.get(503) ?? 0) > 0);
      const down = await refresh(f.issuer, CLIENTS[0]!, chains[0]!);
      assert.equal(down.status, 503);
      assert.deepEqual(down.body, { error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable.' });
      assert.equal(down.headers.get('cache-control'), 'no-store');
      await eventually('/healthz says 503', async () => (await status(`${f.issuer}/healthz`)) === 503, 5000);
      const ready = await fetch(`${telemetry}/healthz/ready`);
      assert.equal(ready.status, 503);
      assert.equal(((await ready.json()) as { storage: { status: string } }).storage.status, 'fail');
      assert.equal(await status(`${telemetry}/healthz/live`), 200, 'the process itself is alive');
      const page = await login(f.issuer, CLIENTS[0]!);
      assert.equal(page.status, 503, 'the browser flow shows the 503 page');
      assert.match(page.html ?? '', /temporarily unavailable/);
      assert.doesNotMatch(page.html ?? '', /ECONNREFUSED|postgres|pg_/i, 'no driver detail on the page');

      await sleep(300);
      await cluster.resume();
      resumed = true;
      await eventually('a refresh succeeds again', async () => okAfterResume);
    } finally {
      load = false;
      await Promise.allSettled(workers);
    }

    assert.deepEqual(unexpected, [], 'only 200 and 503 temporarily_unavailable during the outage');
    assert.ok((statuses.get(200) ?? 0) > 0 && (statuses.get(503) ?? 0) > 0, JSON.stringify([...statuses]));
    await eventually('/healthz says 200', async () => (await status(`${f.issuer}/healthz`)) === 200, 5000);
    assert.equal(await status(`${telemetry}/healthz/ready`), 200);
    for (const [i, id] of CLIENTS.entries()) {
      const r = await refresh(f.issuer, id, chains[i]!);
      assert.equal(r.status, 200, `client ${id} kept a working refresh token through the outage`);
      chains[i] = r.body.refresh_token!;
    }
    const again = await login(f.issuer, CLIENTS[0]!);
    assert.equal(again.status, 200, 'the browser flow works again');
    // One token per login: with sessions on, each browser session keeps its own (src/server/tokens/devices.ts), and
    // that last login came from a new browser, so the first client now has two devices.
    await assertConsistent(cluster, CLIENTS.length + 1);
  });
});

/** Every stored row decodes as dex reads it; refresh tokens and offline sessions reference each other one to one. */
async function assertConsistent(c: PrivateCluster, logins: number): Promise<void> {
  const db = new pg.Client({ ...c.peer, ssl: false });
  await db.connect();
  try {
    // dex's tables (dex v2.45.1 storage/sql/crud.go): JSON columns are bytea, parsed here as dex's decoder does.
    const { rows: tokenRows } = await db.query<{ id: string; scopes: Buffer }>('select id, scopes from refresh_token');
    for (const r of tokenRows) JSON.parse(r.scopes.toString('utf8'));
    const tokens = new Set(tokenRows.map((r) => r.id));
    const { rows: sessions } = await db.query<{ refresh: Buffer }>('select refresh from offline_session');
    const linked = sessions.flatMap((s) => Object.values(JSON.parse(s.refresh.toString('utf8')) as Record<string, { ID: string }>).map((ref) => ref.ID));
    assert.equal(tokens.size, logins, 'one refresh token per login (device)');
    assert.deepEqual(new Set(linked), tokens, 'every refresh token is linked from its offline session and vice versa');
  } finally {
    await db.end();
  }
}

describe('starting Ferry while PostgreSQL is unreachable', () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    return { lines, logger: createLogger({ level: 'warn', format: 'json', destination }) };
  };
  const configFor = async (peer: PrivateCluster['peer'], extra = '') => {
    const port = await freePort();
    const yaml = storeFailureConfig(peer, await freePort())(`http://127.0.0.1:${port}/dex`, `127.0.0.1:${port}`);
    return { issuer: `http://127.0.0.1:${port}/dex`, config: parseConfig(yaml + extra, {}).config };
  };

  test('retries with capped exponential backoff, saying why, and starts once the database is up', async () => {
    await cluster.stop();
    const { lines, logger } = capture();
    const { issuer, config } = await configFor(cluster.peer);
    const starting = startFerry(config, { logger, storageRetry: { firstDelayMs: 100, maxDelayMs: 400, timeoutMs: 60_000 } });
    await eventually('three retries are logged', async () => lines.length >= 3);
    await cluster.resume();
    const ferry = await starting;
    try {
      assert.equal(await status(`${issuer}/healthz`), 200);
      const retries = lines.filter((l) => l.msg === 'cannot open the store; retrying');
      assert.ok(retries.length >= 3);
      assert.deepEqual(retries.slice(0, 4).map((l) => l.retryInMs), [100, 200, 400, 400].slice(0, Math.min(4, retries.length)));
      for (const l of retries) assert.match(String(l.reason), /^postgres storage: open failed \((ECONNREFUSED|57P03)\)$/);
      assert.doesNotMatch(JSON.stringify(lines), new RegExp(cluster.peer.password), 'no password in the logs');
    } finally {
      await ferry.stop();
    }
  });

  test('gives up with a clear error when the retry budget is spent; config errors are not retried', async () => {
    const closed = { ...cluster.peer, port: await freePort() };
    const { lines, logger } = capture();
    const { config } = await configFor(closed);
    await assert.rejects(startFerry(config, { logger, storageRetry: { firstDelayMs: 20, maxDelayMs: 50, timeoutMs: 300 } }), (e: Error) => {
      assert.ok(e instanceof StorageError);
      assert.match(e.message, /^cannot open the store after \d+ attempt\(s\): postgres storage: open failed \(ECONNREFUSED\)$/);
      return true;
    });
    assert.ok(lines.length >= 2, 'each retry was logged');

    const bad = capture();
    const wrong = await configFor(cluster.peer);
    (wrong.config.storage.config as { ssl: { mode: string } }).ssl.mode = 'sometimes';
    await assert.rejects(startFerry(wrong.config, { logger: bad.logger }), (e: Error) => e instanceof ConfigError && /storage\.config\.ssl\.mode/.test(e.message));
    assert.equal(bad.lines.length, 0, 'no retry for a config error');
  });
});
