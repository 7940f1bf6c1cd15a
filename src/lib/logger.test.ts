import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { createLogger, type LoggerOptions, parseLogLevel } from './logger.js';

function capture(opts: Omit<LoggerOptions, 'destination'>): { lines: string[]; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { lines, logger: createLogger({ ...opts, destination }) };
}

test('json lines are shaped like Go slog JSON (dex v2.45.1 cmd/dex/logger.go): time, level name, msg, then attributes', () => {
  const { lines, logger } = capture({ level: 'debug', format: 'json' });
  logger.debug({ a: 1 }, 'd');
  logger.info({ client_id: 'app' }, 'hello world');
  logger.warn('w');
  logger.error({ err: 'boom' }, 'e');
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(parsed.map((p) => p['level']), ['DEBUG', 'INFO', 'WARN', 'ERROR']);
  assert.deepEqual(Object.keys(parsed[1] ?? {}), ['time', 'level', 'msg', 'client_id']);
  assert.match(String(parsed[1]?.['time']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(parsed[1]?.['msg'], 'hello world');
  for (const p of parsed) assert.ok(!('pid' in p) && !('hostname' in p));
});

test('text lines carry the same fields as key=value', () => {
  const { lines, logger } = capture({ level: 'info', format: 'text' });
  logger.info({ client_id: 'app' }, 'hello world');
  assert.match(lines[0] ?? '', /^time=\S+ level=INFO msg="hello world" client_id=app\n$/);
});

test('excludeFields drops attributes', () => {
  const { lines, logger } = capture({ level: 'info', format: 'json', excludeFields: ['email'] });
  logger.info({ email: 'a@example.com', user: 'u' }, 'login');
  const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  assert.equal(line['user'], 'u');
  assert.equal('email' in line, false);
});

test('levels are read as Go slog.Level reads them', () => {
  const cases: Array<[string, string | undefined]> = [
    ['debug', 'debug'], ['INFO', 'info'], ['Warn', 'warn'], ['error', 'error'],
    ['INFO+2', 'warn'], ['info+4', 'warn'], ['WARN-1', 'warn'], ['warn-4', 'info'], ['DEBUG-4', 'debug'], ['ERROR+1', 'silent'],
    ['warning', undefined], ['30', undefined], ['', undefined], ['trace', undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseLogLevel(text), want, text);
});

test('a level filters as configured', () => {
  const { lines, logger } = capture({ level: 'warn', format: 'json' });
  logger.info('hidden');
  logger.warn('shown');
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { msg: string }).msg), ['shown']);
});
