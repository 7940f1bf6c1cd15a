/**
 * The machine's limits, measured in the same run as the workloads: how many JWS signatures per second Node makes
 * with a key like the server's (jose, as Ferry signs), one worker thread per core the server gets, each keeping
 * SIGNATURES_IN_FLIGHT signatures in flight (as a server with concurrent requests does; one at a time per thread
 * leaves the cores idle between a signature's hand-off to libuv's pool and its result, and measured 25% fewer RS256
 * and 50% fewer ES256 signatures per second on this machine), and how many native bcrypt (cost 10) verifications
 * per second `@node-rs/bcrypt` makes on libuv's pool. A workload whose only irreducible cost is signing cannot beat
 * `signatures/s ÷ signatures per operation`.
 */

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compare, hash } from '@node-rs/bcrypt';

export interface Limits {
  /** Signatures per second with the key's algorithm on `cores` threads, SIGNATURES_IN_FLIGHT in flight on each. */
  signaturesPerSec: Record<string, number>;
  /** Native bcrypt cost-10 verifications per second (libuv pool, `cores` in flight). */
  bcryptPerSec: number;
  cores: number;
}

/** libuv's pool has 4 threads: more in flight per worker thread only queue (8 gave 1–4% more than 4 here). */
const SIGNATURES_IN_FLIGHT = 4;

// The worker signs a typical ID-token claim set for `ms`, `inFlight` at a time, and posts how many it made per second.
const SIGNER = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { SignJWT, generateKeyPair } = await import(workerData.jose);
  const { privateKey } = await generateKeyPair(workerData.alg, { extractable: false });
  const claims = { iss: 'http://127.0.0.1:5556/dex', sub: 'CiQwOGE4Njg0Yi1kYjg4LTRiNzMtOTBhOS0zY2QxNjYxZjU0NjYSBWxvY2Fs',
    aud: 'bench-0', exp: 2000000000, iat: 1700000000, at_hash: 'abcdefghijklmnopqrstuv', email: 'bench@example.com' };
  const sign = () => new SignJWT(claims).setProtectedHeader({ alg: workerData.alg, kid: 'k' }).sign(privateKey);
  for (let i = 0; i < 20; i++) await sign();
  const end = performance.now() + workerData.ms;
  let n = 0;
  const chain = async () => { while (performance.now() < end) { await sign(); n++; } };
  await Promise.all(Array.from({ length: workerData.inFlight }, chain));
  parentPort.postMessage(n / (workerData.ms / 1000));
})();
`;

async function signaturesPerSec(alg: string, cores: number, ms: number): Promise<number> {
  const jose = import.meta.resolve('jose');
  const rates = await Promise.all(
    Array.from({ length: cores }, () =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(SIGNER, { eval: true, workerData: { alg, ms, jose, inFlight: SIGNATURES_IN_FLIGHT } });
        w.once('message', (n: number) => void w.terminate().then(() => resolve(n)));
        w.once('error', reject);
      }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}

async function bcryptPerSec(cores: number, ms: number): Promise<number> {
  const digest = await hash('bench', 10);
  const end = performance.now() + ms;
  let n = 0;
  await Promise.all(
    Array.from({ length: cores }, async () => {
      while (performance.now() < end) {
        if (!(await compare('bench', digest))) throw new Error('bcrypt compare failed');
        n++;
      }
    }),
  );
  return n / (ms / 1000);
}

/** Measures the limits for `algs` (default: RS256 and ES256) on `cores` (default: every core). */
export async function measureLimits(algs: string[] = ['RS256', 'ES256'], cores = availableParallelism(), ms = 2000): Promise<Limits> {
  const signatures: Record<string, number> = {};
  for (const alg of algs) signatures[alg] = await signaturesPerSec(alg, cores, ms);
  return { signaturesPerSec: signatures, bcryptPerSec: await bcryptPerSec(cores, ms), cores };
}
