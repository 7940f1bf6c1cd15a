/**
 * The telemetry listener (dex v2.45.1 `server/server.go` `newServer` metrics, `cmd/dex/serve.go` telemetry): liveness, readiness and Prometheus metrics with dex's HTTP metric
 * names and route-pattern handler labels, plus garbage-collection counts.
 */

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freePort, startTestFerry, type TestFerry } from '../../helpers/ferry.js';

let f: TestFerry;
let telemetry = '';
before(async () => {
  const port = await freePort();
  telemetry = `http://127.0.0.1:${port}`;
  f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
telemetry: { http: '127.0.0.1:${port}' }
connectors: [{ type: mockCallback, id: mock, name: Mock }]
staticClients: [{ id: app, secret: s, name: App, redirectURIs: ['https://app.example.com/cb'] }]
`);
});
after(() => f.stop());

test('liveness and readiness', async () => {
  const live = await fetch(`${telemetry}/healthz/live`);
  assert.equal(await live.text(), 'ok');
  const ready = await fetch(`${telemetry}/healthz/ready`);
  assert.equal(ready.status, 200);
  assert.equal(((await ready.json()) as { storage: { status: string } }).storage.status, 'ok');
});

test('metrics count requests by dex route pattern and garbage collection by kind', async () => {
  await fetch(`${f.issuer}/.well-known/openid-configuration`);
  await fetch(`${f.issuer}/auth/mock?client_id=nope`);
  const q = new URLSearchParams({ client_id: 'app', redirect_uri: 'https://app.example.com/cb', response_type: 'code', scope: 'openid' });
  await fetch(`${f.issuer}/auth/mock?${q}`, { redirect: 'manual' }); // stores a pre-login request
  await f.ferry.deps.storage.garbageCollect(new Date(Date.now() + 2 * 3600_000)).then((r) => f.ferry.deps.metrics?.observeGC(r));

  const text = await (await fetch(`${telemetry}/metrics`)).text();
  assert.match(text, /http_requests_total\{code="200",method="GET",handler="\/\.well-known\/openid-configuration"\} 1/);
  assert.match(text, /http_requests_total\{code="404",method="GET",handler="\/auth\/\{connector\}"\} 1/);
  assert.match(text, /request_duration_seconds_bucket\{le="0\.25",code="200",method="GET",handler="\/\.well-known\/openid-configuration"\}/);
  assert.match(text, /ferry_storage_gc_deleted_total\{kind="authRequests"\} 1/);
  const buildInfo = /ferry_build_info\{version="[^"]+",(node_version="[^"]*",platform="[^"]*")\} 1/.exec(text);
  assert.equal(buildInfo?.[1], `node_version="${process.version}",platform="${process.platform}/${process.arch}"`);
  assert.match(text, /process_resident_memory_bytes/);
  assert.doesNotMatch(text, /handler="\/static/);
});
