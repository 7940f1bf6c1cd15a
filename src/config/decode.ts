/**
 * Decodes a parsed YAML tree against a `Shape` the way dex's Go `encoding/json` does: keys match the canonical
 * names case-insensitively (an exact match wins), JSON null leaves a field unset, and a value of the wrong type is
 * an error naming its path. Unknown keys are warnings, or errors in strict mode (`DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS`).
 * Nothing is thrown: every problem is collected so the user sees them all at once.
 */

import type { ConfigIssue } from '../lib/errors.js';
import { goFieldName } from '../lib/plugin-config.js';
import { isPlainObject } from './expand-env.js';
import type { Shape } from './schema.js';

export interface DecodeContext {
  issues: ConfigIssue[];
  warnings: string[];
  /** Unknown keys are errors instead of warnings. */
  strict: boolean;
}

/** A decoded mapping: canonical key → decoded value; keys absent from the input are absent here. */
export type Decoded = Record<string, unknown>;

/** Joins a parent path and a key: `web` + `http` → `web.http`; at the root just `http`. */
export const joinPath = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

/**
 * Returns the decoded value, or `undefined` when the input is absent/null or has the wrong type (then an issue
 * was recorded). Lists keep their indexes: an item of the wrong type decodes to `undefined` in its slot.
 */
export function decode(value: unknown, shape: Shape, path: string, ctx: DecodeContext): unknown {
  if (value === undefined || value === null) return shape.kind === 'raw' ? {} : undefined;
  const fail = (message: string): undefined => {
    ctx.issues.push({ path: path || '(root)', message });
    return undefined;
  };
  switch (shape.kind) {
    case 'string':
      return typeof value === 'string' ? value : fail('expected a string');
    case 'bool':
      return typeof value === 'boolean' ? value : fail('expected a boolean');
    case 'list':
      if (!Array.isArray(value)) return fail('expected a list');
      return value.map((item, i) => decode(item, shape.of, `${path}[${i}]`, ctx));
    case 'strmap': {
      if (!isPlainObject(value)) return fail('expected a mapping');
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(value)) {
        const s = decode(v, { kind: 'string' }, joinPath(path, k), ctx);
        if (typeof s === 'string') out[k] = s;
      }
      return out;
    }
    case 'raw':
      return isPlainObject(value) ? value : fail('expected a mapping');
    case 'object':
      return isPlainObject(value) ? decodeObject(value, shape, path, ctx) : fail('expected a mapping');
  }
}

function decodeObject(
  value: Record<string, unknown>,
  shape: Extract<Shape, { kind: 'object' }>,
  path: string,
  ctx: DecodeContext,
): Decoded {
  const names = Object.keys(shape.fields);
  const out: Decoded = {};
  for (const [key, v] of Object.entries(value)) {
    const name = goFieldName(names, key);
    if (name === undefined) {
      const where = joinPath(path, key);
      if (ctx.strict && !shape.lax) ctx.issues.push({ path: where, message: 'unknown key' });
      else ctx.warnings.push(`${where}: unknown key (ignored)`);
      continue;
    }
    const decoded = decode(v, shape.fields[name] as Shape, joinPath(path, name), ctx);
    if (decoded !== undefined) out[name] = decoded;
  }
  return out;
}

/** Typed reads of a decoded mapping (types were checked by `decode`). */
export const read = {
  str: (o: Decoded | undefined, k: string, fallback = ''): string => (o?.[k] as string | undefined) ?? fallback,
  bool: (o: Decoded | undefined, k: string, fallback = false): boolean => (o?.[k] as boolean | undefined) ?? fallback,
  /** A list of strings, dropping items of the wrong type; `undefined` when absent. */
  strs: (o: Decoded | undefined, k: string): string[] | undefined =>
    (o?.[k] as unknown[] | undefined)?.filter((s): s is string => typeof s === 'string'),
  obj: (o: Decoded | undefined, k: string): Decoded | undefined => o?.[k] as Decoded | undefined,
  /** A list of mappings with the original index of each (slots of the wrong type are skipped). */
  objs: (o: Decoded | undefined, k: string): Array<[number, Decoded]> =>
    ((o?.[k] as unknown[] | undefined) ?? []).flatMap((item, i) => (item === undefined ? [] : [[i, item as Decoded]])),
};
