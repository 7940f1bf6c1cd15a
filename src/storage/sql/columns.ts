/**
 * Column value encodings per SQL dialect, as dex v2.45.1's `storage/sql` leaves them on disk (see
 * docs/storage.md). A row in Ferry's SQL format holds logical values (string, Buffer, JSON value, boolean, Date,
 * number); these functions turn them into what each driver binds, and driver output back into them:
 * - `json`: JSON text stored as BYTES (BLOB / bytea), never as text: dex's reader only accepts bytes;
 * - `json-text`: the same bytes, handed to the format as the JSON text itself (it parses them; ./offline-refs.ts);
 * - `bool`: SQLite and MySQL store 1/0 (dex's SQLite flavour rewrites `boolean` to `integer`);
 * - `time`: SQLite keeps go-sqlite3's text form `2006-01-02 15:04:05.999999999-07:00` in UTC; PostgreSQL
 *   `timestamptz`; MySQL `datetime(3)` in UTC (the driver is told the zone is UTC);
 * - `ms`: an integer of milliseconds since the epoch (Ferry's own sidecar table only).
 */

import { remembered, timeLayout } from '../document/time-text.js';
import type { SqlDialectName } from './dex-migrations.js';

export type ColumnType = 'text' | 'json' | 'json-text' | 'bytes' | 'bool' | 'time' | 'int' | 'ms';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** go-sqlite3's layout for a UTC time: trailing zeros of the fraction trimmed, no fraction when zero. */
export const sqliteTime = timeLayout((d: Date): string => {
  const frac = d.getUTCMilliseconds() === 0 ? '' : `.${pad(d.getUTCMilliseconds(), 3)}`.replace(/0+$/, '');
  const y = d.getUTCFullYear();
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${frac}+00:00`;
});

/** Go's zero time (0001-01-01T00:00:00Z): what dex reads from a time it cannot parse. */
export const goZero = (): Date => {
  const d = new Date(0);
  d.setUTCFullYear(1, 0, 1);
  return d;
};

const sqliteMs = remembered((text: string): number => {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) return goZero().getTime();
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const ms = Number(`${frac}000`.slice(0, 3));
  const d0 = new Date(0);
  d0.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  d0.setUTCHours(Number(h), Number(mi), Number(s), ms);
  if (zone !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000 * (z[1] === '-' ? -1 : 1);
    d0.setTime(d0.getTime() - offset);
  }
  return d0.getTime();
});

/**
 * Parses the time texts go-sqlite3 reads (`YYYY-MM-DD[ T]HH:MM[:SS[.frac]][zone]`, or a bare date); anything else
 * is Go's zero time, as in dex.
 */
export const parseSqliteTime = (text: string): Date => new Date(sqliteMs(text));

const toBuffer = (v: unknown): Buffer | null => {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v;
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.from(String(v), 'utf8');
};

/** A logical value as the driver of `dialect` binds it. */
export function toDriver(type: ColumnType, dialect: SqlDialectName, v: unknown): unknown {
  // Go's encoding/json writes a nil list or pointer as `null`: JSON columns are never SQL NULL.
  if (type === 'json') return Buffer.from(JSON.stringify(v ?? null), 'utf8');
  if (type === 'json-text') return Buffer.from(typeof v === 'string' && v !== '' ? v : 'null', 'utf8');
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'bytes':
      return toBuffer(v);
    case 'bool':
      return dialect === 'postgres' ? Boolean(v) : v ? 1 : 0;
    case 'time':
      return dialect === 'sqlite' ? sqliteTime(v as Date) : v;
    default:
      return v;
  }
}

/** A driver's value as the logical value of a column of `type`. */
export function fromDriver(type: ColumnType, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case 'json': {
      const b = toBuffer(v)!;
      return b.length === 0 ? null : (JSON.parse(b.toString('utf8')) as unknown);
    }
    case 'json-text':
      return toBuffer(v)!.toString('utf8');
    case 'bytes':
      return toBuffer(v);
    case 'bool':
      return typeof v === 'boolean' ? v : Number(v) !== 0;
    case 'time':
      if (v instanceof Date) return v;
      return typeof v === 'number' ? new Date(v * 1000) : parseSqliteTime(String(v));
    case 'int':
    case 'ms':
      return Number(v);
    default:
      return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
}
