/**
 * Logging: pino, to stderr, in dex's two formats (`text` key=value lines, or `json`).
 * Never pass secrets, tokens, passwords or connector data to a logger; `excludeFields` drops more keys on request.
 */

import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

export interface LoggerOptions {
  level: 'debug' | 'info' | 'warn' | 'error';
  format: 'text' | 'json';
  /** Attribute keys removed from every line (dex `logger.excludeFields`). */
  excludeFields?: string[];
  /** Where lines go; stderr by default. */
  destination?: NodeJS.WritableStream;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** Formats one value for a key=value line: quoted when it has spaces, quotes or `=`. */
function textValue(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[\s"=]/.test(s) || s === '' ? JSON.stringify(s) : s;
}

/** A pino destination that rewrites pino's JSON lines as `time=… level=INFO msg="…" key=value` text. */
function textDestination(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(line: string) {
      const rec = JSON.parse(line) as Record<string, unknown>;
      const { time, level, msg, pid: _pid, hostname: _host, ...rest } = rec;
      const head = [`time=${new Date(Number(time)).toISOString()}`, `level=${LEVEL_NAMES[Number(level)] ?? level}`];
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
  const base = { level: opts.level, base: undefined, redact };
  return opts.format === 'json'
    ? pino({ ...base, timestamp: pino.stdTimeFunctions.isoTime }, out as DestinationStream)
    : pino(base, textDestination(out));
}

/** A logger that discards everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
