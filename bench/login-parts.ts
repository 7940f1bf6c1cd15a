/**
 * `node --import tsx bench/login-parts.ts`: process CPU (all threads, `process.cpuUsage`) of two parts of the full
 * login that issue 13 item 4 changed, measured in one process so a busy machine blurs them less than the whole flow:
 * - the password form's CSRF token, minted and checked: an RS256 JWS (a signer without `sharedSecret`, as before)
 *   against the HMAC under the signer's derived secret;
 * - the store operations the change removed, on a WAL SQLite file: the throttle's failed update of an absent
 *   account record, the user identity read before its update, the browser session read before its update. The
 *   sequence a login made before and the one it makes now, run alternately.
 * Env: BENCH_ROUNDS (default 5).
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createLocalSigner } from '../src/keys/local.js';
import { checkFormToken, signFormToken, type FormTokenContext } from '../src/server/authflow/form-token.js';
import * as fx from '../src/storage/conformance/fixtures.js';
import { openMemoryStorage } from '../src/storage/memory/index.js';
import { openSqliteStorage } from '../src/storage/sqlite/sqlite-storage.js';
import type { ThrottleState } from '../src/storage/types.js';
import { median } from './lib/report.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function cpuMsPerOp(n: number, op: () => Promise<void>): Promise<number> {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await op();
  const d = process.cpuUsage(t0);
  return (d.user + d.system) / 1000 / n;
}

async function compare(name: string, n: number, variants: Record<string, () => Promise<void>>): Promise<void> {
  const runs: Record<string, number[]> = {};
  for (const op of Object.values(variants)) for (let i = 0; i < 100; i++) await op();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [label, op] of Object.entries(variants)) (runs[label] ??= []).push(await cpuMsPerOp(n, op));
  }
  for (const [label, xs] of Object.entries(runs)) {
    console.log(`${name}, ${label}: median ${(median(xs) ?? NaN).toFixed(3)} cpu ms (${xs.map((x) => x.toFixed(3)).join(', ')})`);
  }
}

async function formToken(): Promise<void> {
  const now = () => new Date();
  const signer = createLocalSigner({ storage: openMemoryStorage(), algorithm: 'RS256', rotationPeriod: 3600e3, idTokensValidFor: 3600e3, logger: pino({ level: 'silent' }), now });
  await signer.start(AbortSignal.abort());
  const { sharedSecret: _unused, ...jwsOnly } = signer;
  const ctx = (s: FormTokenContext['signer']): FormTokenContext => ({ signer: s, now, config: { expiry: { authRequests: 600e3 } } });
  const once = (c: FormTokenContext) => async () => {
    if ((await checkFormToken(c, 'cookie', 'mock', await signFormToken(c, 'cookie', 'mock'))) !== 'valid') throw new Error('token refused');
  };
  await compare('password form token (mint + check)', 1000, { 'RS256 JWS': once(ctx(jwsOnly)), HMAC: once(ctx(signer)) });
}

async function storeOps(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-login-parts-'));
  const s = await openSqliteStorage({ file: join(dir, 'bench.db') });
  const ui = fx.userIdentity(0);
  const session = fx.authSession(0);
  await s.createUserIdentity(ui);
  await s.createAuthSession(session);
  await s.createThrottle({ ...fx.throttle(0), key: 'address:a' });
  const bump = (o: ThrottleState) => ({ ...o, failures: o.failures + 1 });
  const identity = () => s.updateUserIdentity(ui.userId, ui.connectorId, (o) => ({ ...o, lastLogin: new Date() }));
  const touch = () => s.updateAuthSession(session.id, (o) => ({ ...o, lastActivity: new Date() }));
  const throttleRest = async () => {
    await s.createThrottle({ ...fx.throttle(1), key: 'account:b' });
    await s.updateThrottle('address:a', bump);
    await s.deleteThrottle('account:b');
  };
  await compare('throttle, identity and session operations of one login', 1000, {
    before: async () => {
      await s.updateThrottle('address:a', bump);
      await s.updateThrottle('account:b', bump).catch(() => undefined);
      await throttleRest();
      await s.getUserIdentity(ui.userId, ui.connectorId);
      await identity();
      await s.getAuthSession(session.id);
      await touch();
    },
    after: async () => {
      await s.updateThrottle('address:a', bump);
      await throttleRest();
      await identity();
      await touch();
    },
  });
  await s.close();
  rmSync(dir, { recursive: true, force: true });
}

await formToken();
await storeOps();
