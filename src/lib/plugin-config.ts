/**
 * Parsing the config block of a plugin (a storage backend's `storage.config`, a connector's
 * `connectors[].config`) the way dex's Go `encoding/json` does: keys match the schema's field names
 * case-insensitively (an exact match wins), unknown keys are ignored, and every problem is reported at once with
 * its key path (`connectors[2].config.userSearch.baseDN: required`). Strict mode is the `strict` argument of each
 * call. Schemas are zod objects; `goDuration` reads dex's duration strings.
 *
 * @example
 * const schema = z.object({ host: z.string().min(1), insecureNoSSL: z.boolean().default(false) });
 * const cfg = parsePluginConfig(schema, raw, 'connectors[0].config', false);
 */

import { z } from 'zod';
import { parseDuration } from './duration.js';
import { ConfigError, type ConfigIssue } from './errors.js';

type AnySchema = z.ZodType;

/**
 * The field Go's `encoding/json` fills for `key` among the struct's field `names`: the exact name, else the first
 * case-insensitive match (dex v2.45.1 decodes its config with `encoding/json` after YAML → JSON); `undefined` when
 * none matches. The one key matcher of the config readers: plugin blocks here, the main config in `config/decode.ts`.
 */
export function goFieldName(names: readonly string[], key: string): string | undefined {
  if (names.includes(key)) return key;
  const lower = key.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  in?: AnySchema;
}

const defOf = (s: AnySchema): Def => (s as unknown as { def: Def }).def;

/** Peels wrappers (optional, default, nullable, pipe...) to find an object or array schema. */
function core(s: AnySchema): AnySchema {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const d = defOf(cur);
    const next = d.innerType ?? (d.type === 'pipe' ? d.in : undefined);
    if (!next) return cur;
    cur = next;
  }
  return cur;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Renames the keys of `value` to the schema's spelling, recursively through objects and arrays. Keys the schema
 * does not know are kept (zod drops them) and their paths are pushed onto `unknown`.
 */
export function canonicalKeys(schema: AnySchema, value: unknown, unknown: PropertyKey[][] = [], at: PropertyKey[] = []): unknown {
  const d = defOf(core(schema));
  if (d.type === 'array' && d.element && Array.isArray(value)) {
    return value.map((v, i) => canonicalKeys(d.element as AnySchema, v, unknown, [...at, i]));
  }
  if (d.type !== 'object' || !d.shape || !isObject(value)) return value;
  const names = Object.keys(d.shape);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = goFieldName(names, key) ?? key;
    if (!d.shape[name]) unknown.push([...at, key]);
    if (v === null) continue; // JSON null leaves a Go field unset
    out[name] = d.shape[name] ? canonicalKeys(d.shape[name], v, unknown, [...at, name]) : v;
  }
  return out;
}

function issuePath(base: string, path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`), base);
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur = input;
  for (const p of path) cur = isObject(cur) || Array.isArray(cur) ? (cur as Record<PropertyKey, unknown>)[p] : undefined;
  return cur;
}

function messageOf(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code !== 'invalid_type') return issue.message;
  if (valueAt(input, issue.path) === undefined) return 'required';
  const expected = String(issue.expected);
  return `expected ${/^[aeiou]/.test(expected) ? 'an' : 'a'} ${expected}`;
}

/**
 * Parses `raw` with `schema`; throws `ConfigError` listing every problem under `path`. Unknown keys are ignored, as
 * dex does, unless `strict` (dex `DEX_CONFIG_DISALLOW_UNKNOWN_FIELDS`): then each is an error naming its key.
 */
export function parsePluginConfig<S extends AnySchema>(schema: S, raw: unknown, path: string, strict: boolean): z.output<S> {
  const input = raw === undefined || raw === null ? {} : raw;
  const unknownKeys: PropertyKey[][] = [];
  const canonical = canonicalKeys(schema, input, unknownKeys);
  const result = schema.safeParse(canonical);
  const strictIssues = strict ? unknownKeys.map((p) => ({ path: issuePath(path, p), message: 'unknown key' })) : [];
  if (result.success && strictIssues.length === 0) return result.data;
  const issues: ConfigIssue[] = [
    ...(result.success ? [] : result.error.issues.map((i) => ({ path: issuePath(path, i.path), message: messageOf(i, canonical) }))),
    ...strictIssues,
  ];
  throw new ConfigError(issues);
}

/** A Go duration string (`300ms`, `1h30m`) read as milliseconds. */
export const goDuration = z.string().transform((s, ctx) => {
  try {
    return parseDuration(s);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

/** A base64 string decoded to bytes (Go's JSON rule for `[]byte` fields such as `rootCAData`). */
export const base64Bytes = z.string().transform((s, ctx) => {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s.replace(/\s+/g, ''))) {
    ctx.addIssue({ code: 'custom', message: 'expected base64' });
    return z.NEVER;
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
});
