/**
 * dex stores the same structs twice, under different field names: as JSON values in etcd (dex v2.45.1
 * storage/etcd/types.go) and as custom objects in Kubernetes (dex v2.45.1 storage/kubernetes/types.go). A
 * `FieldTable` lists an entity's fields once: the Ferry property, how its value is written and read (`values.ts`),
 * and where each representation puts it: the JSON name there, and whether Go's `omitempty` applies (`'empty'`) or
 * only a nil is left out (`'null'`). A field a representation does not store has no place there; a place marked
 * `decodeOnly` is read but never written (Kubernetes' `metadata.name`). Fields are written in the table's order.
 *
 * @example
 * const table: FieldTable = [{ prop: 'id', value: str, etcd: { name: 'ID' }, kube: { name: 'id', omit: 'empty' } }];
 * encodeFields(table, 'etcd', { id: 'a' }); // { ID: 'a' }
 */

import { isObject, type JsonObject } from '../etcd/go-json.js';

export type Representation = 'etcd' | 'kube';

/** How one value is written to JSON and read back (`raw` is the field's JSON value, `whole` the stored object). */
export interface ValueCodec {
  encode(value: unknown): unknown;
  decode(raw: unknown, whole: JsonObject): unknown;
}

export interface Place {
  /** The JSON field name in this representation. */
  name: string;
  /** `'empty'`: left out when empty, as Go's `omitempty`; `'null'`: left out only when null. */
  omit?: 'empty' | 'null';
  /** This representation's own way to write and read the value, when it differs from the row's. */
  value?: ValueCodec;
  /** Read only (the value comes from elsewhere, e.g. the object's name); never written. */
  decodeOnly?: boolean;
}

export interface FieldRow {
  /**
   * The Ferry property, a dotted path for nested ones (`pkce.codeChallenge`); `''` when the value codec works on
   * the whole entity (writing several properties into one JSON field, reading them back as a partial entity).
   */
  prop: string;
  value: ValueCodec;
  etcd?: Place;
  kube?: Place;
}

export type FieldTable = readonly FieldRow[];

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0 && !(v instanceof Date);
}

function get(o: unknown, path: string): unknown {
  if (path === '') return o;
  return path.split('.').reduce<unknown>((cur, p) => (cur as Record<string, unknown>)[p], o);
}

function set(o: JsonObject, path: string, v: unknown): void {
  if (path === '') return void Object.assign(o, v);
  const parts = path.split('.');
  const last = parts.pop() as string;
  let cur = o;
  for (const p of parts) cur = (cur[p] ??= {}) as JsonObject;
  cur[last] = v;
}

/** The JSON fields of `value` in representation `rep`, in the table's order. */
export function encodeFields<T>(table: FieldTable, rep: Representation, value: T): JsonObject {
  const out: JsonObject = {};
  for (const row of table) {
    const place = row[rep];
    if (!place || place.decodeOnly) continue;
    const v = (place.value ?? row.value).encode(get(value, row.prop));
    if (v === undefined || (place.omit === 'empty' && isEmpty(v)) || (place.omit === 'null' && v === null)) continue;
    out[place.name] = v;
  }
  return out;
}

/** The entity stored as `raw` in representation `rep` (lenient, like Go: what is missing reads as its zero value). */
export function decodeFields<T>(table: FieldTable, rep: Representation, raw: unknown): T {
  const whole = isObject(raw) ? raw : {};
  const out: JsonObject = {};
  for (const row of table) {
    const place = row[rep];
    if (place) set(out, row.prop, (place.value ?? row.value).decode(whole[place.name], whole));
  }
  return out as T;
}

/** How one representation writes an entity and reads it back; each adds where it is stored (etcd key, object name). */
export interface TableCodec<T> {
  encode(value: T): JsonObject;
  decode(raw: unknown): T;
}

export function tableCodec<T>(table: FieldTable, rep: Representation): TableCodec<T> {
  return { encode: (value) => encodeFields(table, rep, value), decode: (raw) => decodeFields<T>(table, rep, raw) };
}
