/**
 * Field codecs: small combinators that map an entity field to JSON and back. Decoding never throws: a missing or
 * mistyped field takes its default, so documents written by older versions keep decoding after fields are added.
 * Dates travel as ISO-8601 UTC strings (millisecond precision) and bytes as base64.
 */

import { isoText, parseTimeText } from './time-text.js';

export interface Field<T> {
  enc(value: T): unknown;
  dec(raw: unknown): T;
}

const isObject = (raw: unknown): raw is Record<string, unknown> =>
  typeof raw === 'object' && raw !== null && !Array.isArray(raw);

export const str = (def = ''): Field<string> => ({
  enc: (v) => v,
  dec: (r) => (typeof r === 'string' ? r : def),
});

export const bool = (def = false): Field<boolean> => ({
  enc: (v) => v,
  dec: (r) => (typeof r === 'boolean' ? r : def),
});

export const num = (def = 0): Field<number> => ({
  enc: (v) => v,
  dec: (r) => (typeof r === 'number' && Number.isFinite(r) ? r : def),
});

/** A Date; missing or unparsable decodes to `def` (epoch by default). */
export const date = (def = 0): Field<Date> => ({
  enc: (v) => isoText(v),
  dec: (r) => {
    const ms = typeof r === 'string' ? parseTimeText(r) : typeof r === 'number' ? new Date(r).getTime() : Number.NaN;
    return new Date(Number.isNaN(ms) ? def : ms);
  },
});

export const bytes = (): Field<Uint8Array> => ({
  enc: (v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
  dec: (r) => (typeof r === 'string' ? Uint8Array.from(Buffer.from(r, 'base64')) : new Uint8Array(0)),
});

/** `T | null`; absent decodes to null. */
export const nullable = <T>(inner: Field<T>): Field<T | null> => ({
  enc: (v) => (v === null ? null : inner.enc(v)),
  dec: (r) => (r === null || r === undefined ? null : inner.dec(r)),
});

export const list = <T>(item: Field<T>): Field<T[]> => ({
  enc: (v) => v.map((x) => item.enc(x)),
  dec: (r) => (Array.isArray(r) ? r.map((x) => item.dec(x)) : []),
});

/** A string-keyed map. */
export const record = <T>(value: Field<T>): Field<Record<string, T>> => {
  // Plain loops, not fromEntries(entries().map()): maps of refresh-token references grow to hundreds of entries
  // and are decoded on every refresh (issue 13 item 2).
  const each = <A, B>(src: Record<string, A>, f: (x: A) => B): Record<string, B> => {
    const out: Record<string, B> = {};
    for (const k of Object.keys(src)) {
      // An own `__proto__` key (JSON.parse makes one) stays a key, as with Object.fromEntries.
      if (k === '__proto__') Object.defineProperty(out, k, { value: f(src[k] as A), enumerable: true, writable: true, configurable: true });
      else out[k] = f(src[k] as A);
    }
    return out;
  };
  return {
    enc: (v) => each(v, (x) => value.enc(x)),
    dec: (r) => (isObject(r) ? each(r, (x) => value.dec(x)) : {}),
  };
};

/** An opaque JSON value (e.g. a JWK), passed through as is. */
export const json = <T>(): Field<T> => ({
  enc: (v) => v,
  dec: (r) => r as T,
});

/** An object; the spec must name a codec for every property of `T` (checked at compile time). */
export const object = <T>(spec: { [K in keyof T]-?: Field<T[K]> }): Field<T> => {
  const entries = Object.entries(spec) as [string, Field<unknown>][];
  return {
    enc: (v) => {
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = f.enc((v as Record<string, unknown>)[k]);
      return out;
    },
    dec: (r) => {
      const src = isObject(r) ? r : {};
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = f.dec(src[k]);
      return out as T;
    },
  };
};
