/**
 * The bounded fuzz run of `npm test` (issue 12 item 10): a few dozen generated requests per endpoint, mutated SAML
 * responses, generated configs and generated requests to every RPC of the gRPC admin API. `npm run fuzz` runs the same properties with 10,000+ cases each.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { badLogLines, fuzzEndpoints, type FuzzTarget, startFuzzTarget } from './http-fuzz.js';
import { fuzzRpcs, startGrpcFuzzTarget } from './grpc-fuzz.js';
import { fuzzConfig, fuzzSaml } from './parsers-fuzz.js';

const RUNS = Number(process.env.FERRY_FUZZ_RUNS ?? 25);
let t: FuzzTarget;
let unhandled: unknown[] = [];
const onUnhandled = (err: unknown) => unhandled.push(err);

before(async () => {
  process.on('unhandledRejection', onUnhandled);
  t = await startFuzzTarget();
});
after(async () => {
  await t.stop();
  process.off('unhandledRejection', onUnhandled);
});

test(`every endpoint: ${RUNS} generated requests each, no 5xx, leak, token or foreign redirect`, async () => {
  const figures = await fuzzEndpoints(t, RUNS);
  const failed = figures.filter((f) => f.failures.length);
  assert.deepEqual(failed.map((f) => `${f.endpoint}: ${f.failures.join('\n')}`), []);
  for (const f of figures) assert.equal(f.cases >= RUNS, true, `${f.endpoint} ran ${f.cases}`);
  assert.deepEqual(badLogLines(t.logs), [], 'no secret, typed password or stack trace in the log');
  assert.ok(t.logs.length > 0, 'the log was captured');
  assert.deepEqual(unhandled, []);
  unhandled = [];
});

test(`mutated SAML responses (${RUNS * 4}): only ConnectorErrors, never another identity`, async () => {
  const f = await fuzzSaml(RUNS * 4);
  assert.ok(f.rejected > 0);
});

test(`generated configs (${RUNS * 8}): accepted or a ConfigError`, async () => {
  const f = await fuzzConfig(RUNS * 8);
  assert.ok(f.refused > 0 && f.cases === RUNS * 8);
});

test(`every gRPC API RPC: ${RUNS} generated requests each, never Internal/Unknown, a leak or a refused redirect URI stored`, async () => {
  const g = await startGrpcFuzzTarget();
  try {
    const figures = await fuzzRpcs(g, RUNS);
    assert.deepEqual(figures.filter((f) => f.failures.length).map((f) => `${f.rpc}: ${f.failures.join('\n')}`), []);
    for (const f of figures) assert.equal(f.cases, RUNS, `${f.rpc} ran ${f.cases}`);
    assert.ok(figures.length >= 31, 'every RPC of api.Dex');
    assert.ok(figures.filter((f) => f.ok > 0).length > 10, 'generated requests also reach success paths');
  } finally {
    await g.stop();
  }
  assert.deepEqual(unhandled, []);
});
