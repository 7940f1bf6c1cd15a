/**
 * The value codecs of the dex field tables (`table.ts`): how a Ferry value becomes the JSON Go's `encoding/json`
 * gives the same dex field (`../etcd/go-json.ts`), and back.
 */

import { decodeClaims, encodeClaims } from '../etcd/dex-shared.js';
import {
  asObject,
  goBytes,
  goTime,
  goTimeOrZero,
  type JsonObject,
  omitEmpty,
  readBool,
  readBytes,
  readBytesOrNull,
  readBytesText,
  readNum,
  readStr,
  readStrs,
  readStrsOrNull,
  readTime,
  readTimeOrNull,
  utf8Bytes,
} from '../etcd/go-json.js';
import type { Claims } from '../types.js';
import type { ValueCodec } from './table.js';

/** A codec from an encoder and a decoder of the field's raw JSON value. */
export const codec = <V>(encode: (v: V) => unknown, decode: (raw: unknown, whole: JsonObject) => unknown): ValueCodec => ({
  encode: encode as (v: unknown) => unknown,
  decode,
});

const same = (v: unknown): unknown => v;

export const str = codec(same, readStr);
export const strs = codec(same, readStrs);
/** `[]string` whose nil means something else than empty. */
export const strsOrNull = codec(same, readStrsOrNull);
export const bool = codec(same, readBool);
export const num = (missing = 0): ValueCodec => codec(same, (raw) => readNum(raw, missing));
export const time = codec(goTime, readTime);
/** A time that may be absent: written as Go's zero time, read back as null. */
export const timeOrZero = codec(goTimeOrZero, readTimeOrNull);
export const bytes = codec(goBytes, readBytes);
export const bytesOrNull = codec(goBytes, readBytesOrNull);
/** Text kept in a Go `[]byte` (bcrypt hashes, connector configs). */
export const textBytes = codec((s: string) => goBytes(utf8Bytes(s)), readBytesText);
export const claims = codec((c: Claims) => encodeClaims(c), decodeClaims);
/** A space-separated list (dex HEAD's `prompt`). */
export const spaced = codec((l: string[]) => l.join(' '), (raw) => readStr(raw).split(' ').filter(Boolean));
/** A field dex has and Ferry does not use: always written empty, ignored on read. */
export const alwaysEmpty = codec(() => '', () => ({}));
/** A `*bool`: null stays null. */
export const optionalBool = codec(same, (raw) => (typeof raw === 'boolean' ? raw : null));
/** A JSON object of values, each through `encode` / `decode`. */
export const mapOf = <V>(encode: (v: V, key: string) => unknown, decode: (raw: unknown) => unknown): ValueCodec =>
  codec(
    (m: Record<string, V>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, encode(v, k)])),
    (raw) => Object.fromEntries(Object.entries(asObject(raw)).map(([k, v]) => [k, decode(v)])),
  );

/**
 * Ferry-only properties of an entity (`props`, each with its codec), kept together in one `ferry` object dex never
 * reads; left out entirely when they are all empty.
 */
export function ferryObject(props: Record<string, ValueCodec>): ValueCodec {
  return codec(
    (entity: Record<string, unknown>) => {
      const names = Object.keys(props);
      const o = omitEmpty(Object.fromEntries(names.map((n) => [n, props[n]!.encode(entity[n])])), names);
      return Object.keys(o).length > 0 ? o : undefined;
    },
    (raw, whole) => {
      const o = asObject(raw);
      return Object.fromEntries(Object.entries(props).map(([n, c]) => [n, c.decode(o[n], whole)]));
    },
  );
}

/** Kubernetes' `metadata.name`, read back (the representation's naming rule writes it). */
export const objectName = (fromName: (name: string) => string = (n) => n): ValueCodec =>
  codec(same, (raw) => fromName(readStr(asObject(raw).name)));

