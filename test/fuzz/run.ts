/**
 * `npm run fuzz [runs]`: the fuzz properties at length (default 10,000 cases per endpoint, SAML and config), with
 * a figure table at the end: cases, status classes and failures per endpoint, unhandled rejections, bad log lines.
 * Exits non-zero on any failure. `FERRY_FUZZ_SEED` replays a run.
 */

import { badLogLines, fuzzEndpoints, startFuzzTarget } from './http-fuzz.js';
import { fuzzRpcs, startGrpcFuzzTarget } from './grpc-fuzz.js';
import { fuzzConfig, fuzzSaml } from './parsers-fuzz.js';

const runs = Number(process.argv[2] ?? 10_000);
const seed = process.env.FERRY_FUZZ_SEED ? Number(process.env.FERRY_FUZZ_SEED) : Date.now() % 2 ** 31;
const unhandled: unknown[] = [];
process.on('unhandledRejection', (err) => unhandled.push(err));

const t = await startFuzzTarget();
const started = Date.now();
const figures = await fuzzEndpoints(t, runs, seed);
await t.stop();
const samlFig = await fuzzSaml(runs, seed);
const configFig = await fuzzConfig(runs, seed);
const bad = badLogLines(t.logs);
// The gRPC API: fewer cases per RPC than per endpoint by default (`FERRY_FUZZ_RPC_RUNS`), each RPC is a storage write.
const g = await startGrpcFuzzTarget();
const rpcFigures = await fuzzRpcs(g, Number(process.env.FERRY_FUZZ_RPC_RUNS ?? 1_000), seed);
await g.stop();

console.log(`seed ${seed}, ${runs} runs each, ${Math.round((Date.now() - started) / 1000)} s`);
console.table(figures.map((f) => ({ endpoint: f.endpoint, cases: f.cases, ...f.statuses, failures: f.failures.length })));
console.log(`SAML: ${JSON.stringify(samlFig)}; config: ${JSON.stringify(configFig)}`);
console.log(`unhandled rejections: ${unhandled.length}; bad log lines: ${bad.length} of ${t.logs.length}`);
console.table(rpcFigures.map((f) => ({ rpc: f.rpc, cases: f.cases, ok: f.ok, ...f.codes, failures: f.failures.length })));
for (const f of figures) for (const msg of f.failures) console.log(`\n${f.endpoint}:\n${msg}`);
for (const f of rpcFigures) for (const msg of f.failures) console.log(`\n${f.rpc}:\n${msg}`);
for (const l of bad.slice(0, 5)) console.log(`log: ${l.slice(0, 300)}`);
process.exitCode = [...figures, ...rpcFigures].some((f) => f.failures.length) || unhandled.length || bad.length ? 1 : 0;
