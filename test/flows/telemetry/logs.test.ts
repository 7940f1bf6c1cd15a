/**
 * `ferry serve` as a process, as an operator's log pipeline sees it: with `logger.format: json` every line on
 * stderr is a JSON object with dex's (Go slog) `time`, `level` name and `msg`, the "where to log in" banner is one
 * of those lines, and nothing at all goes to stdout. With `text` the banner stays on stdout for people.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { freePort } from '../../helpers/ferry.js';

const ROOT = resolve(import.meta.dirname, '../../..');

/** Runs `ferry serve` until `ready(stderr)` or 60 s, then SIGTERM; returns both streams. */
async function serve(format: 'json' | 'text', ready: (stdout: string, stderr: string) => boolean): Promise<{ stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-logs-'));
  const port = await freePort();
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `
issuer: http://127.0.0.1:${port}/dex
storage: { type: memory }
web: { http: 127.0.0.1:${port} }
logger: { level: debug, format: ${format} }
enablePasswordDB: true
staticClients: [{ id: cli, name: CLI, public: true }]
`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  try {
    await new Promise<void>((done, fail) => {
      const check = () => ready(stdout, stderr) && done();
      child.stdout.on('data', (c: Buffer) => ((stdout += c.toString()), check()));
      child.stderr.on('data', (c: Buffer) => ((stderr += c.toString()), check()));
      child.on('exit', (code) => fail(new Error(`ferry exited (${code}):\n${stderr}`)));
      setTimeout(() => fail(new Error(`ferry did not get ready:\n${stdout}\n${stderr}`)), 60_000).unref();
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    return { stdout, stderr };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

test('logger.format json: only slog-shaped JSON lines on stderr, the banner among them, stdout empty', async () => {
  const { stdout, stderr } = await serve('json', (_o, e) => e.includes('"msg":"serving"'));
  assert.equal(stdout, '', 'nothing on stdout');
  const lines = stderr.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.ok(lines.length >= 2);
  for (const l of lines) {
    assert.deepEqual(Object.keys(l).slice(0, 3), ['time', 'level', 'msg']);
    assert.ok(['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(String(l['level'])), `level ${String(l['level'])}`);
  }
  const banner = lines.find((l) => l['msg'] === 'serving');
  assert.ok(banner);
  assert.equal(banner['level'], 'INFO');
  assert.match(String(banner['issuer']), /^http:\/\/127\.0\.0\.1:\d+\/dex$/);
  assert.match(String(banner['loginURL']), /\/dex\/auth\?client_id=cli&/);
});

test('logger.format text: key=value lines on stderr, the banner on stdout', async () => {
  const { stdout, stderr } = await serve('text', (o) => o.includes('log in:'));
  assert.match(stdout, /^Ferry is serving http:\/\/127\.0\.0\.1:\d+\/dex\n/);
  for (const line of stderr.trim().split('\n')) assert.match(line, /^time=\S+ level=(DEBUG|INFO|WARN|ERROR) msg=/);
});
