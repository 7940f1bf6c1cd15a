/**
 * Ferry's container image, built by scripts/image/build.sh and run with podman the way dex's Helm chart runs dex's
 * image (test/fixtures/dex-helm/chart-facts.yaml): the chart's args (`dex serve --web-http-addr ... /etc/dex/
 * config.yaml`, https and grpc enabled), the config mounted read-only at /etc/dex, the chart's hardened securityContext
 * (runAsUser 1000, read-only root filesystem with no writable /tmp, all capabilities dropped), probes on the
 * telemetry port, then a real password login and token over the published port. Needs root, mmdebstrap, umoci,
 * podman and runc (scripts/image/install.sh); fails with that message when they are missing, never skips.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { hash } from '@node-rs/bcrypt';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { freePort } from '../../helpers/ferry.js';
import { dexClient } from '../api/grpc-client.js';
import { chartArgs, chartFacts, passwordLogin } from './chart.js';
import { buildImage, imageConfig, loadImage, podman, requireTools, RUN_BASE } from './podman.js';

const facts = chartFacts();
const REDIRECT = 'http://127.0.0.1:5555/callback';
const USER = { email: 'admin@example.com', password: 'image-test-password' };
const sc = facts.container.securityContextSuggested;
const name = `ferry-image-test-${process.pid}`;
let ref = '';
let dir = '';
let ports: Record<'http' | 'https' | 'telemetry' | 'grpc', number>;
let issuer = '';

const containerNode = (script: string) => podman(['exec', name, 'node', '-e', script]);

async function waitReady(url: string, deadline = Date.now() + 90_000): Promise<Response> {
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.status === 200) return r;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const logs = await podman(['logs', name]).catch((e: Error) => ({ stdout: '', stderr: e.message }));
      throw new Error(`${url} never answered 200; container logs:\n${logs.stdout}${logs.stderr}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

before(async () => {
  await requireTools();
  const img = await buildImage();
  ref = await loadImage(img);
  ports = { http: await freePort(), https: await freePort(), telemetry: await freePort(), grpc: await freePort() };
  issuer = `http://127.0.0.1:${ports.http}/dex`;
  dir = mkdtempSync(join(tmpdir(), 'ferry-image-'));
  mkdirSync(join(dir, 'config'));
  mkdirSync(join(dir, 'data'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', join(dir, 'config', 'tls.key'), '-out', join(dir, 'config', 'tls.crt')], { stdio: 'ignore' });
  chmodSync(join(dir, 'config', 'tls.key'), 0o644);
  chownSync(join(dir, 'data'), sc.runAsUser, sc.runAsUser);
  // What the chart's Secret holds: config.yaml (listen addresses come from the args, as with the chart).
  writeFileSync(join(dir, 'config', 'config.yaml'), `
issuer: ${issuer}
storage:
  type: sqlite3
  config:
    file: /var/dex/dex.db
web:
  http: 127.0.0.1:1
  tlsCert: /etc/dex/tls.crt
  tlsKey: /etc/dex/tls.key
enablePasswordDB: true
staticPasswords:
- email: ${USER.email}
  hash: "${await hash(USER.password, 10)}"
  username: admin
  userID: 5b1f2f1e-8c53-4a8e-9d7e-3f0c1d2e4a11
staticClients:
- id: image-app
  name: Image App
  public: true
  redirectURIs: ['${REDIRECT}']
`);
  writeFileSync(join(dir, 'config', 'gomplate.yaml'), 'issuer: {{ getenv "DEX_ISSUER" }}\n');
  chmodSync(dir, 0o755);
  await podman([
    'run', '-d', '--name', name, ...RUN_BASE,
    '-p', `127.0.0.1:${ports.http}:${facts.container.ports.http}`,
    '-p', `127.0.0.1:${ports.telemetry}:${facts.container.ports.telemetry}`,
    '-p', `127.0.0.1:${ports.grpc}:${facts.container.ports.grpc}`,
    '-p', `127.0.0.1:${ports.https}:${facts.container.ports.https}`,
    // The chart's grpc.enabled listens on 0.0.0.0 without client certificates, which Ferry refuses unless the operator
    // opts in (docs/operations.md); the chart's `env` value is where that goes.
    '-e', 'FERRY_GRPC_ALLOW_UNAUTHENTICATED=true',
    // What a pod's `resources.limits.cpu: 1500m` sets: a CFS quota of 1.5 CPUs on the container's cgroup.
    '--cpus', '1.5',
    '--user', `${sc.runAsUser}:${sc.runAsUser}`, '--cap-drop', sc.capabilities.drop.join(','),
    ...(sc.readOnlyRootFilesystem ? ['--read-only', '--read-only-tmpfs=false'] : []),
    '-v', `${join(dir, 'config')}:${facts.container.volumeMounts[0]!.mountPath}:ro`,
    '-v', `${join(dir, 'data')}:/var/dex`,
    ref, ...chartArgs(facts, { https: true, grpc: true }),
  ], 300_000);
});

after(async () => {
  if (ref) await podman(['rm', '-f', '-t', '0', name]).catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the container image as dex\'s Helm chart runs it', () => {
  test('the image config: non-root user 1001, dex\'s entrypoint/CMD shape and ports', async () => {
    const cfg = await imageConfig(ref);
    assert.equal(cfg.User, facts.image.user);
    assert.deepEqual(cfg.Entrypoint, ['/usr/local/bin/docker-entrypoint']);
    assert.deepEqual(cfg.Cmd, facts.image.cmd);
    for (const p of Object.values(facts.container.ports)) assert.ok(`${p}/tcp` in cfg.ExposedPorts, `port ${p} exposed`);
  });

  test('under the 1.5-CPU limit the image serves with one process, and its log says why', async () => {
    await waitReady(`http://127.0.0.1:${ports.telemetry}/healthz/ready`);
    const { stdout, stderr } = await podman(['logs', name]);
    const line = `${stdout}${stderr}`.split('\n').find((l) => l.includes('serving with one process'));
    assert.match(line ?? '', /source="?cpu limit"?.*cpuLimit"?[=:]1\.5/, `${stdout}${stderr}`.slice(-2000));
  });

  test('readiness and liveness probes answer on the telemetry port', async () => {
    const probe = (k: 'liveness' | 'readiness') => {
      const p = facts.container.probes[k];
      assert.equal(p.port, 'telemetry');
      return `http://127.0.0.1:${ports.telemetry}${p.path}`;
    };
    await waitReady(probe('readiness'));
    assert.equal((await fetch(probe('liveness'))).status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${ports.telemetry}/metrics`)).status, 200, 'metrics for the ServiceMonitor');
  });

  test('a password login and token through the published http port (bcrypt, sqlite inside)', async () => {
    await waitReady(`http://127.0.0.1:${ports.telemetry}/healthz/ready`);
    const tokens = await passwordLogin(issuer, 'image-app', REDIRECT, USER.email, USER.password);
    const jwks = createRemoteJWKSet(new URL(`${issuer}/keys`));
    const { payload } = await jwtVerify(tokens.id_token!, jwks, { issuer, audience: 'image-app' });
    assert.equal(payload.email, USER.email);
    assert.ok(tokens.refresh_token, 'refresh token stored in sqlite on the /var/dex volume');
    const { stdout } = await containerNode('process.stdout.write(String(require("fs").statSync("/var/dex/dex.db").size > 0))');
    assert.equal(stdout, 'true');
  });

  test('dex\'s gRPC API answers on the grpc port (grpc.enabled)', async () => {
    await waitReady(`http://127.0.0.1:${ports.telemetry}/healthz/ready`);
    const api = dexClient(`127.0.0.1:${ports.grpc}`);
    try {
      const v = await api.call<{ server: string; api: number }>('GetVersion');
      assert.ok(v.api >= 2, `api version ${v.api}`);
      const created = await api.call<{ already_exists: boolean }>('CreatePassword', {
        password: { email: 'grpc@example.com', hash: Buffer.from(await hash('x', 10)), username: 'g', user_id: 'g1' },
      });
      assert.equal(created.already_exists, false, 'written to sqlite on the volume');
    } finally {
      api.close();
    }
  });

  test('https on the chart\'s https port with the mounted certificate (https.enabled)', async () => {
    await waitReady(`http://127.0.0.1:${ports.telemetry}/healthz/ready`);
    const ca = readFileSync(join(dir, 'config', 'tls.crt'));
    const body = await new Promise<string>((resolve, reject) => {
      httpsGet(`https://127.0.0.1:${ports.https}/dex/.well-known/openid-configuration`, { ca }, (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d));
        res.on('end', () => (res.statusCode === 200 ? resolve(b) : reject(new Error(`status ${res.statusCode}`))));
      }).on('error', reject);
    });
    assert.equal((JSON.parse(body) as { issuer: string }).issuer, issuer);
  });

  test('runs as the chart\'s uid, cannot write to the root filesystem or the config mount', async () => {
    await waitReady(`http://127.0.0.1:${ports.telemetry}/healthz/ready`);
    const { stdout } = await containerNode(`
      const fs = require('fs');
      const tryWrite = (p) => { try { fs.writeFileSync(p, 'x'); return 'written'; } catch (e) { return e.code; } };
      process.stdout.write(JSON.stringify({ uid: process.getuid(), root: tryWrite('/probe'), tmp: tryWrite('/tmp/probe'),
        app: tryWrite('/usr/lib/ferry/probe'), config: tryWrite('/etc/dex/probe'),
        caps: fs.readFileSync('/proc/self/status', 'utf8').match(/CapEff:\\s*(\\w+)/)[1] }));`);
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(seen.uid, sc.runAsUser);
    assert.notEqual(seen.uid, 0);
    assert.equal(seen.root, 'EROFS');
    assert.equal(seen.tmp, 'EROFS', 'no writable /tmp: Kubernetes gives none without a volume');
    assert.equal(seen.app, 'EROFS');
    assert.equal(seen.config, 'EROFS');
    assert.equal(seen.caps, '0000000000000000', 'no capabilities');
  });

  test('the entrypoint refuses a gomplate config with a clear message', async () => {
    await assert.rejects(
      podman(['exec', name, '/usr/local/bin/docker-entrypoint', 'dex', 'serve', '/etc/dex/gomplate.yaml']),
      (err: { code?: number; stderr?: string }) => {
        assert.equal(err.code, 1);
        assert.match(err.stderr ?? '', /gomplate template/);
        return true;
      },
    );
  });

  test('SIGTERM (what Kubernetes sends) stops Ferry cleanly as PID 1', async () => {
    await waitReady(`http://127.0.0.1:${ports.telemetry}/healthz/ready`);
    const t0 = Date.now();
    await podman(['stop', '-t', '20', name]);
    assert.ok(Date.now() - t0 < 15_000, 'stopped before the kill timeout');
    const { stdout } = await podman(['inspect', '--format', '{{.State.ExitCode}}', name]);
    assert.equal(stdout.trim(), '0');
  });
});

describe('the image\'s default user and commands', () => {
  test('`ferry version` as the image\'s own user (uid 1001), read-only root', async () => {
    const { stdout } = await podman([
      'run', '--rm', ...RUN_BASE, '--read-only', '--read-only-tmpfs=false', ref, 'sh', '-c',
      'ferry version && dex version && node -p "process.getuid() + \\":\\" + process.getgid()"',
    ], 300_000);
    assert.match(stdout, /^Ferry Version: \d+\.\d+\.\d+/m);
    assert.equal((stdout.match(/Ferry Version/g) ?? []).length, 2, '`dex` is the same program');
    assert.match(stdout, /^1001:1001$/m);
  });
});
