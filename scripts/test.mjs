#!/usr/bin/env node
// `npm test`: lint, typecheck, file-size budgets, then every test file with node's test runner.
//
// Peers (real servers the tests talk to) are started ONCE per run, before any test file:
//   test/peers/<name>/install.sh  idempotent; installs Debian/npm pieces when missing (run first, one at a time)
//   test/peers/<name>/start.sh    starts the peer on loopback under $PEERS_DIR/<name>; prints KEY=VALUE lines
//                                 (env for the tests, e.g. FERRY_LDAP_URL=ldap://127.0.0.1:10389) on stdout
//   test/peers/<name>/stop.sh     stops it (by pid file)
// Tests read those variables and FAIL with a message when theirs is missing (never a silent skip).
//
// Options: `node scripts/test.mjs [--only <substring>] [--no-lint] [--peers a,b]`
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : '');
const only = opt('--only');
const skipStatic = args.includes('--no-lint');

function fail(title, detail) {
  console.error(`\n${title} failed${detail ? `: ${detail}` : ''}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

function run(title, cmd, cmdArgs, env = process.env) {
  console.log(`\n== ${title}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env });
  if (r.status !== 0) fail(title, `exit ${r.status ?? r.signal}`);
}

const walk = (dir, out = []) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
};

const files = ['src', 'test']
  .flatMap((d) => walk(d))
  .filter((f) => f.endsWith('.test.ts') && f.includes(only))
  .sort();
// With no file, `node --test` would fall back to its own discovery and run everything (this script included).
if (files.length === 0) fail('tests', `no test file matches --only ${JSON.stringify(only)} (one substring of a path)`);

const peerNames = readdirSync('test/peers').filter((n) => statSync(join('test/peers', n)).isDirectory()).sort();
const wanted = opt('--peers') ? opt('--peers').split(',') : peerNames;

for (const name of wanted) {
  const install = join('test/peers', name, 'install.sh');
  if (existsSync(install)) run(`install ${name}`, 'bash', [install]);
}

if (!skipStatic) {
  run('lint', 'npx', ['eslint', '.']);
  run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
  run('budgets', process.execPath, ['scripts/check-budgets.mjs']);
}

const peersDir = mkdtempSync(join(tmpdir(), 'ferry-peers-'));
// ESBUILD_WORKER_THREADS=0: tsx's synchronous transforms go through esbuild's per-call service instead of its
// worker thread, whose synchronous call can wait forever in Atomics.wait; a test file once hung that way for 11
// minutes in a clean-clone run (main thread in a futex wait while loading modules). Inherited by every test process.
const env = { ...process.env, PEERS_DIR: peersDir, ESBUILD_WORKER_THREADS: '0' };
const started = [];

function startPeer(name) {
  const script = join('test/peers', name, 'start.sh');
  if (!existsSync(script)) return Promise.resolve();
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn('bash', [script], { env: { ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => {
      if (code !== 0) {
        console.error(`peer ${name} did not start (exit ${code}); its tests will fail with a message`);
        return resolve();
      }
      started.push(name);
      for (const line of out.split('\n')) {
        const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim());
        if (m) env[m[1]] = m[2];
      }
      console.log(`peer ${name} up in ${Date.now() - t0} ms`);
      resolve();
    });
  });
}

function stopPeers() {
  for (const name of started) {
    const script = join('test/peers', name, 'stop.sh');
    // Quiet, so the test runner's summary stays the last thing printed (CI reads the closing lines).
    if (existsSync(script)) spawnSync('bash', [script], { env, stdio: 'ignore' });
  }
  rmSync(peersDir, { recursive: true, force: true });
}

process.on('SIGINT', () => {
  stopPeers();
  process.exit(130);
});

console.log('\n== peers');
await Promise.all(wanted.map(startPeer));

console.log(`\n== tests: ${files.length} files`);
const tap = join(peersDir, 'results.tap');
// --test-timeout: a test file that hangs (a promise no timer will settle) fails after 15 minutes, named, instead of
// holding the run until CI's own limit; the slowest file (a cold container-image build) takes about 5.
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=900000', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env },
);
// The plain closing line CI reads, from the TAP summary (`# pass N`, `# fail N`).
const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
const count = (key) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(summary)?.[1] ?? 0);
stopPeers();
console.log(`${count('pass')} passed, ${count('fail') + (r.status !== 0 && count('fail') === 0 ? 1 : 0)} failed`);
process.exit(r.status ?? 1);
