/**
 * The value encodings Go's `encoding/json` gives dex's storage structs, which dex's etcd values and Kubernetes
 * objects both use (dex v2.45.1 storage/etcd/types.go, storage/kubernetes/types.go):
 * - `time.Time` is RFC 3339 with up to nine fraction digits, trailing zeros dropped, any zone offset; the zero time
 *   is `0001-01-01T00:00:00Z` (`omitempty` never drops a struct, so it is always written);
 * - `[]byte` is standard base64 with padding, a nil slice `null`;
 * - a nil slice or map is `null`; `omitempty` drops "", false, 0, nil and empty slices and maps.
 * Decoders are lenient like Go's: a missing or mistyped field takes its zero value, unknown fields are ignored.
 */

import { parseTimeText, timeLayout } from '../document/time-text.js';

/** Go's zero `time.Time` as JSON. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';
const GO_ZERO_MS = -62135596800000;

const rfc3339 = timeLayout((d) => d.toISOString().replace(/\.?0+Z$/, 'Z'));

/** A time as Go marshals it (UTC, fraction without trailing zeros). */
export function goTime(d: Date): string {
  return Number.isNaN(d.getTime()) ? GO_ZERO_TIME : rfc3339(d);
}

/** A time that may be absent: null is Go's zero time. */
export const goTimeOrZero = (d: Date | null): string => (d ? goTime(d) : GO_ZERO_TIME);

function parse(raw: unknown): Date | null {
  if (typeof raw !== 'string') return null;
  const ms = parseTimeText(raw);
  return Number.isNaN(ms) ? null : new Date(ms);
}

/** True for Go's zero time (which year-1 dates are, whatever their zone). */
const isZero = (d: Date): boolean => d.getUTCFullYear() <= 1;

/** A required time; missing or unparsable gives Go's zero time. */
export const readTime = (raw: unknown): Date => parse(raw) ?? new Date(GO_ZERO_MS);

/** An optional time: missing, unparsable or Go's zero time gives null. */
export function readTimeOrNull(raw: unknown): Date | null {
  const d = parse(raw);
  return d && !isZero(d) ? d : null;
}

/** `[]byte`: base64, or null for nil. */
export const goBytes = (b: Uint8Array | null): string | null =>
  b === null ? null : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');

/** `[]byte` back; null or missing stays null. */
export const readBytesOrNull = (raw: unknown): Uint8Array | null =>
  typeof raw === 'string' ? Uint8Array.from(Buffer.from(raw, 'base64')) : null;

export const readBytes = (raw: unknown): Uint8Array => readBytesOrNull(raw) ?? new Uint8Array(0);
/** A Go `[]byte` holding UTF-8 text (dex's connector config) read back as text. */
export const readBytesText = (raw: unknown): string => Buffer.from(readBytes(raw)).toString('utf8');
/** Text to store as a Go `[]byte`. */
export const utf8Bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

export const readStr = (raw: unknown): string => (typeof raw === 'string' ? raw : '');
export const readBool = (raw: unknown): boolean => raw === true;
export const readNum = (raw: unknown, def = 0): number => (typeof raw === 'number' && Number.isFinite(raw) ? raw : def);

/** `[]string`: null and missing read as empty. */
export const readStrs = (raw: unknown): string[] => (Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : []);

/** `[]string` whose nil means something else than empty (null stays null). */
export const readStrsOrNull = (raw: unknown): string[] | null => (Array.isArray(raw) ? readStrs(raw) : null);

export type JsonObject = Record<string, unknown>;

export const isObject = (raw: unknown): raw is JsonObject => typeof raw === 'object' && raw !== null && !Array.isArray(raw);

export const asObject = (raw: unknown): JsonObject => (isObject(raw) ? raw : {});

/** A JSON object's entries mapped through `f` (a nil map reads as empty). */
export function readMap<T>(raw: unknown, f: (v: unknown) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(asObject(raw)).map(([k, v]) => [k, f(v)]));
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0 && !(v instanceof Date);
}

/** Drops the named fields when they are empty, as Go's `omitempty` does; returns `o`. */
export function omitEmpty<T extends JsonObject>(o: T, fields: readonly (keyof T & string)[]): T {
  for (const f of fields) if (isEmpty(o[f])) delete o[f];
  return o;
}
