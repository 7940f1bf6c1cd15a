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

interface Step {
  name: string;
  /** The property path; empty when the codec works on the whole entity. */
  path: string[];
  value: ValueCodec;
  omit: Place['omit'];
  write: boolean;
}

/** The table's rows that `rep` stores, resolved once. */
function compile(table: FieldTable, rep: Representation): Step[] {
  return table.flatMap((row) => {
    const place = row[rep];
    if (!place) return [];
    return [{ name: place.name, path: row.prop === '' ? [] : row.prop.split('.'), value: place.value ?? row.value, omit: place.omit, write: !place.decodeOnly }];
  });
}

function encodeSteps(steps: readonly Step[], value: unknown): JsonObject {
  const out: JsonObject = {};
  for (const step of steps) {
    if (!step.write) continue;
    let cur = value;
    for (const p of step.path) cur = (cur as Record<string, unknown>)[p];
    const v = step.value.encode(cur);
    if (v === undefined || (step.omit === 'empty' && isEmpty(v)) || (step.omit === 'null' && v === null)) continue;
    out[step.name] = v;
  }
  return out;
}

function decodeSteps(steps: readonly Step[], raw: unknown): JsonObject {
  const whole = isObject(raw) ? raw : {};
  const out: JsonObject = {};
  for (const step of steps) {
    const v = step.value.decode(whole[step.name], whole);
    if (step.path.length === 0) {
      Object.assign(out, v);
      continue;
    }
    let cur = out;
    for (let i = 0; i < step.path.length - 1; i++) cur = (cur[step.path[i]!] ??= {}) as JsonObject;
    cur[step.path[step.path.length - 1]!] = v;
  }
  return out;
}

/** The JSON fields of `value` in representation `rep`, in the table's order. */
export function encodeFields<T>(table: FieldTable, rep: Representation, value: T): JsonObject {
  return encodeSteps(compile(table, rep), value);
}

/** The entity stored as `raw` in representation `rep` (lenient, like Go: what is missing reads as its zero value). */
export function decodeFields<T>(table: FieldTable, rep: Representation, raw: unknown): T {
  return decodeSteps(compile(table, rep), raw) as T;
}

/** How one representation writes an entity and reads it back; each adds where it is stored (etcd key, object name). */
export interface TableCodec<T> {
  encode(value: T): JsonObject;
  decode(raw: unknown): T;
}

/** `encodeFields` and `decodeFields` for one representation, with the table resolved once. */
export function tableCodec<T>(table: FieldTable, rep: Representation): TableCodec<T> {
  const steps = compile(table, rep);
  return { encode: (value) => encodeSteps(steps, value), decode: (raw) => decodeSteps(steps, raw) as T };
}
