/**
 * `telemetry.enableProfiling` (dex serves Go's pprof at `/debug/pprof/` on the telemetry listener): Ferry serves a
 * V8 CPU profile and heap snapshot there when enabled, nothing when not, and refuses the key when there is no
 * telemetry listener to serve it on (never ignored silently).
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../../src/config/load.js';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';

async function withTelemetry(profiling: boolean): Promise<{ f: TestFerry; base: string }> {
  const port = await freePort();
  const f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
telemetry: { http: '127.0.0.1:${port}', enableProfiling: ${profiling} }
enablePasswordDB: true
`);
  return { f, base: `http://127.0.0.1:${port}/debug/pprof` };
}

describe('enableProfiling: true', () => {
  let s: { f: TestFerry; base: string };
  before(async () => {
    s = await withTelemetry(true);
  });
  after(() => s.f.stop());

  test('the index lists the profiles', async () => {
    const res = await fetch(`${s.base}/`);
    assert.equal(res.status, 200);
    const html = await res.text();
    for (const name of ['profile', 'heap', 'cmdline']) assert.match(html, new RegExp(`href="${name}`));
  });

  test('a CPU profile over the requested seconds, in V8 .cpuprofile format', async () => {
    const res = await fetch(`${s.base}/profile?seconds=1`);
    assert.equal(res.status, 200);
    const profile = (await res.json()) as { nodes: unknown[]; startTime: number; endTime: number; samples: number[] };
    assert.ok(profile.nodes.length > 0);
    assert.ok(profile.endTime - profile.startTime >= 900_000, 'profiled for about a second (microseconds)');
    assert.equal((await fetch(`${s.base}/profile?seconds=0`)).status, 400);
    assert.equal((await fetch(`${s.base}/profile?seconds=abc`)).status, 400);
  });

  test('a heap snapshot', async () => {
    const res = await fetch(`${s.base}/heap`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition') ?? '', /ferry\.heapsnapshot/);
    const snapshot = JSON.parse(await res.text()) as { snapshot: { node_count: number } };
    assert.ok(snapshot.snapshot.node_count > 0);
  });
});

describe('enableProfiling: false (the default)', () => {
  let s: { f: TestFerry; base: string };
  before(async () => {
    s = await withTelemetry(false);
  });
  after(() => s.f.stop());

  test('nothing is served under /debug/pprof/', async () => {
    for (const path of ['/', '/profile?seconds=1', '/heap', '/cmdline']) assert.equal((await fetch(`${s.base}${path}`)).status, 404, path);
  });
});

test('enableProfiling without a telemetry listener is a config error naming the key', () => {
  const yaml = 'issuer: https://id.example.com\nstorage: { type: memory }\nweb: { http: 127.0.0.1:5556 }\ntelemetry: { enableProfiling: true }\n';
  assert.throws(() => parseConfig(yaml, {}), /telemetry\.enableProfiling: requires telemetry\.http/);
});
