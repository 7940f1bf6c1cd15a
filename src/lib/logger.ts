/**
 * Logging: pino, to stderr, in dex's two formats. dex builds a Go `log/slog` handler (dex v2.45.1
 * `cmd/dex/logger.go`), so both formats carry `time` (RFC 3339, milliseconds), `level` as a name (`DEBUG`, `INFO`,
 * `WARN`, `ERROR`) and `msg` first, then the attributes: `text` as `key=value` lines, `json` as one object a line.
 * Never pass secrets, tokens, passwords or connector data to a logger; `excludeFields` drops more keys on request.
 */

import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LoggerOptions {
  level: LogLevel;
  format: 'text' | 'json';
  /** Attribute keys removed from every line (dex `logger.excludeFields`). */
  excludeFields?: string[];
  /** Where lines go; stderr by default. */
  destination?: NodeJS.WritableStream;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'DEBUG', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'ERROR' };

/** slog's level numbers: DEBUG -4, INFO 0, WARN 4, ERROR 8. */
const SLOG: ReadonlyArray<[number, Exclude<LogLevel, 'silent'>]> = [[-4, 'debug'], [0, 'info'], [4, 'warn'], [8, 'error']];

/**
 * A level as Go's `slog.Level` reads it from config (`debug`, `INFO`, `warn`, `Error`, and offsets like `INFO+2`)
 * → the least severe pino level that slog would still print; undefined when slog would refuse the text.
 */
export function parseLogLevel(text: string): LogLevel | undefined {
  const m = /^(debug|info|warn|error)([+-]\d{1,3})?$/i.exec(text.trim());
  if (!m) return undefined;
  const base = SLOG.find(([, name]) => name === (m[1] as string).toLowerCase())?.[0] ?? 0;
  const value = base + Number(m[2] ?? 0);
  return SLOG.find(([n]) => n >= value)?.[1] ?? 'silent';
}

/** Formats one value for a key=value line: quoted when it has spaces, quotes or `=`. */
function textValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[\s"=]/.test(s) || s === '' ? JSON.stringify(s) : s;
}

type Line = { time: string; level: string; msg?: unknown; rest: Record<string, unknown> };

/** Splits one of pino's JSON lines into slog's leading fields and the attributes. */
function parseLine(line: string): Line {
  const { time, level, msg, pid: _pid, hostname: _host, ...rest } = JSON.parse(line) as Record<string, unknown>;
  return { time: new Date(Number(time)).toISOString(), level: LEVEL_NAMES[Number(level)] ?? String(level), msg, rest };
}

/** A pino destination that rewrites pino's lines the way slog's handlers write them. */
function slogDestination(out: NodeJS.WritableStream, format: 'text' | 'json'): DestinationStream {
  return {
    write(line: string) {
      const { time, level, msg, rest } = parseLine(line);
      if (format === 'json') {
        out.write(JSON.stringify({ time, level, msg: msg ?? '', ...rest }) + '\n');
        return;
      }
      const head = [`time=${time}`, `level=${level}`];
      if (msg !== undefined) head.push(`msg=${textValue(msg)}`);
      for (const [k, v] of Object.entries(rest)) head.push(`${k}=${textValue(v)}`);
      out.write(head.join(' ') + '\n');
    },
  };
}

/** Builds the process logger from `logger` config. */
export function createLogger(opts: LoggerOptions): Logger {
  const out = opts.destination ?? process.stderr;
  const redact = opts.excludeFields?.length ? { paths: opts.excludeFields, remove: true } : undefined;
  return pino({ level: opts.level, base: undefined, redact }, slogDestination(out, opts.format));
}

/** A logger that discards everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
