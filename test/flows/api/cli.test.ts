/**
 * The admin CLI end to end: `ferry client|password|refresh ...` spawned as a child process against a running
 * Ferry, in human and `--json` output, over plaintext and mutual TLS; plus its usage errors and the one-line
 * message when nothing listens.
 */

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { silentLogger } from '../../../src/lib/logger.js';
import { issueRefreshToken } from '../../../src/server/tokens/refresh-store.js';
import { freePort } from '../../helpers/ferry.js';
import { type ApiFerry, startApiFerry } from './api.config.js';
import { makePKI, type TestPKI } from './certs.js';
import { dexClient, grpc } from './grpc-client.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ferry <args>` from the sources (tsx), feeding `stdin`. */
function ferry(args: string[], stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { cwd: ROOT, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin);
  });
}

describe('admin CLI over plaintext', () => {
  let f: ApiFerry;
  let addr: string[];
  before(async () => {
    f = await startApiFerry();
    addr = ['--grpc-addr', f.grpcAddr];
  });
  after(() => f.stop());

  test('client create, get, list, update, delete', async () => {
    let r = await ferry(['client', 'create', ...addr, '--id', 'cli-app', '--name', 'CLI App', '--redirect-uri', 'http://127.0.0.1:9/cb', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const created = JSON.parse(r.stdout) as { id: string; secret: string; redirect_uris: string[] };
    assert.equal(created.id, 'cli-app');
    assert.match(created.secret, /^[a-z][a-z2-7]{49}$/, 'a generated secret is shown once');
    assert.deepEqual(created.redirect_uris, ['http://127.0.0.1:9/cb']);

    r = await ferry(['client', 'create', ...addr, '--id', 'cli-app']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ferry: client "cli-app" already exists\n');

    r = await ferry(['client', 'get', 'cli-app', ...addr]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^id: +cli-app$/m);
    assert.match(r.stdout, new RegExp(`^secret: +${created.secret}$`, 'm'));

    r = await ferry(['client', 'update', 'cli-app', ...addr, '--name', 'Renamed']);
    assert.equal(r.stdout, 'updated client cli-app\n');
    r = await ferry(['client', 'list', ...addr]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^ID +NAME +PUBLIC +REDIRECT URIS$/m);
    assert.match(r.stdout, /^cli-app +Renamed +no +http:\/\/127\.0\.0\.1:9\/cb$/m);
    assert.doesNotMatch(r.stdout, new RegExp(created.secret), 'list never shows secrets');

    r = await ferry(['client', 'delete', 'cli-app', ...addr]);
    assert.equal(r.stdout, 'deleted client cli-app\n');
    r = await ferry(['client', 'delete', 'cli-app', ...addr]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ferry: client "cli-app" not found\n');
    r = await ferry(['client', 'get', 'cli-app', ...addr]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ferry: not found (NotFound)\n');
  });

  test('password create from stdin, verify, list, update, delete', async () => {
    let r = await ferry(['password', 'create', 'cli@example.com', '--user-id', 'cli-1', '--username', 'cli', '--password-stdin', ...addr], 'pa55word\n');
    assert.equal(r.code, 0, r.stderr);
    r = await ferry(['password', 'verify', 'cli@example.com', '--password-stdin', ...addr], 'pa55word\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'password matches for cli@example.com\n');
    r = await ferry(['password', 'verify', 'cli@example.com', '--password-stdin', ...addr], 'wrong');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ferry: password does not match for cli@example.com\n');

    r = await ferry(['password', 'list', '--json', ...addr]);
    const listed = JSON.parse(r.stdout) as Array<Record<string, string>>;
    assert.deepEqual(listed.find((p) => p.email === 'cli@example.com'), { email: 'cli@example.com', username: 'cli', user_id: 'cli-1' });

    r = await ferry(['password', 'create', 'weak@example.com', '--user-id', 'w', '--hash', '$2a$04$abcdefghijklmnopqrstuuJ3dVf6A7fYc5GZk9dN9b0pUnQ3C4x3m', ...addr]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ferry: given hash cost = 4 does not meet minimum cost requirement = 10 (InvalidArgument)\n');

    r = await ferry(['password', 'update', 'cli@example.com', '--username', 'renamed', ...addr]);
    assert.equal(r.stdout, 'updated password for cli@example.com\n');
    r = await ferry(['password', 'delete', 'cli@example.com', ...addr]);
    assert.equal(r.code, 0);
    r = await ferry(['password', 'verify', 'cli@example.com', '--password-stdin', ...addr], 'pa55word');
    assert.equal(r.stderr, 'ferry: no password for "cli@example.com"\n');
  });

  test('refresh list and revoke by --user-id/--connector-id', async () => {
    const claims = { userId: 'ru', username: 'r', preferredUsername: '', email: 'r@x', emailVerified: true, groups: [] };
    await issueRefreshToken(
      { storage: f.ferry.deps.storage, now: () => new Date(), logger: silentLogger() },
      { clientId: 'static-app', connectorId: 'mock', claims, scopes: ['openid'], nonce: '', sessionId: '', connectorData: null },
    );
    const who = ['--user-id', 'ru', '--connector-id', 'mock'];
    let r = await ferry(['refresh', 'list', ...who, ...addr]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^CLIENT +TOKEN ID +CREATED +LAST USED$/m);
    assert.match(r.stdout, /^static-app +[a-z2-7]{25} +\d{4}-\d\d-\d\dT/m);
    r = await ferry(['refresh', 'revoke', ...who, '--client-id', 'static-app', ...addr]);
    assert.equal(r.stdout, 'revoked the refresh token for client static-app\n');
    r = await ferry(['refresh', 'list', 'CgJydRIEbW9jaw', '--json', ...addr]);
    assert.deepEqual(JSON.parse(r.stdout), [], 'the encoded sub works as well');
    r = await ferry(['refresh', 'revoke', ...who, '--client-id', 'static-app', ...addr]);
    assert.equal(r.code, 1);
  });
});

describe('admin CLI errors and help', () => {
  test('nothing listening: one line, exit 1', async () => {
    const port = await freePort();
    const r = await ferry(['client', 'list', '--grpc-addr', `127.0.0.1:${port}`]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `ferry: cannot reach the gRPC API at 127.0.0.1:${port}: connection refused\n`);
    assert.equal(r.stdout, '');
  });

  test('--help on a group and a command; usage errors exit 2', async () => {
    let r = await ferry(['password', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /ferry password verify <email>/);
    r = await ferry(['refresh', 'revoke', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /--client-id <id>/);
    assert.match(r.stdout, /--grpc-addr <host:port> +gRPC API address \(default 127\.0\.0\.1:5557\)/);
    r = await ferry(['client', 'frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ferry: unknown command "client frobnicate"/);
    r = await ferry(['client', 'get']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"client get" takes <id>/);
    r = await ferry(['help']);
    assert.match(r.stdout, /ferry client list\|get\|create\|update\|delete/);
  });
});

describe('admin CLI over mutual TLS', () => {
  let pki: TestPKI;
  let f: ApiFerry;
  before(async () => {
    pki = makePKI();
    const extraGrpc = `  tlsCert: ${pki.serverCert}\n  tlsKey: ${pki.serverKey}\n  tlsClientCA: ${pki.caCert}`;
    const creds = grpc.credentials.createSsl(pki.read(pki.caCert), pki.read(pki.clientKey), pki.read(pki.clientCert));
    f = await startApiFerry({ extraGrpc, client: (a) => dexClient(a, creds) });
  });
  after(async () => {
    await f.stop();
    pki.remove();
  });

  test('with the client certificate it works; without it, or without the CA, one clear TLS line', async () => {
    const tls = ['--grpc-addr', f.grpcAddr, '--tls-ca', pki.caCert];
    let r = await ferry(['client', 'list', ...tls, '--tls-cert', pki.clientCert, '--tls-key', pki.clientKey, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as Array<{ id: string }>).some((c) => c.id === 'static-app'));
    r = await ferry(['client', 'list', ...tls]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `ferry: cannot reach the gRPC API at ${f.grpcAddr}: TLS failed: the server requires a client certificate (--tls-cert and --tls-key)\n`);
    r = await ferry(['client', 'list', '--grpc-addr', f.grpcAddr, '--tls-cert', pki.clientCert, '--tls-key', pki.clientKey]);
    assert.equal(r.stderr, `ferry: cannot reach the gRPC API at ${f.grpcAddr}: TLS failed: cannot verify the server certificate (--tls-ca)\n`);
    r = await ferry(['client', 'list', ...tls, '--tls-cert', pki.clientCert]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'ferry: --tls-cert and --tls-key go together\n');
  });
});
