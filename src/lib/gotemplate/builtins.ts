/**
 * Go's predefined template functions (`text/template` funcs.go): comparison, logic, `len`, `index`, `slice`,
 * printing, the `html`/`js`/`urlquery` escapers and `call`. `and`/`or` short-circuit in `exec.ts`; here they only
 * pick the deciding argument.
 */

import { formatValue, sprint, sprintf, sprintln } from './format.js';

/** A template function: its implementation and how many arguments it accepts. */
export interface FuncDef {
  fn: (args: unknown[]) => unknown;
  min: number;
  max: number;
}

/** A failure inside a function or an evaluation step; `exec.ts` adds the file and line. */
export class ExecError extends Error {}

/** Go's truth: false, 0, nil, empty string/slice/map are false; everything else (structs too) is true. */
export function isTrue(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof Map) return v.size > 0;
  return true;
}

type Basic = 'string' | 'number' | 'boolean' | 'nil' | 'other';

function basicKind(v: unknown): Basic {
  if (v === null || v === undefined) return 'nil';
  const t = typeof v;
  return t === 'string' || t === 'number' || t === 'boolean' ? t : 'other';
}

function equal(a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'nil' || kb === 'nil') return ka === kb;
  if (ka === 'other' || kb === 'other') throw new ExecError('error calling eq: non-comparable types');
  if (ka !== kb) throw new ExecError('error calling eq: incompatible types for comparison');
  return a === b;
}

function less(name: string, a: unknown, b: unknown): boolean {
  const ka = basicKind(a);
  if (ka !== basicKind(b)) throw new ExecError(`error calling ${name}: incompatible types for comparison`);
  if (ka !== 'string' && ka !== 'number') throw new ExecError(`error calling ${name}: invalid type for comparison`);
  return (a as string | number) < (b as string | number);
}

function lengthOf(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map) return v.size;
  if (v === null || v === undefined) throw new ExecError('error calling len: len of nil pointer');
  throw new ExecError(`error calling len: len of type ${typeof v}`);
}

function toIndex(v: unknown, len: number, cap = len): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new ExecError(`cannot index slice/array with type ${typeof v}`);
  if (v < 0 || v > cap) throw new ExecError(`index out of range: ${v}`);
  return v;
}

function index(args: unknown[]): unknown {
  let item = args[0];
  for (const key of args.slice(1)) {
    if (item instanceof Map) item = item.get(key);
    else if (Array.isArray(item)) item = item[toIndex(key, item.length - 1)];
    else if (typeof item === 'string') item = Buffer.from(item)[toIndex(key, Buffer.byteLength(item) - 1)];
    else if (item === null || item === undefined) throw new ExecError('error calling index: index of untyped nil');
    else throw new ExecError(`error calling index: can't index item of type ${typeof item}`);
  }
  return item;
}

function slice(args: unknown[]): unknown {
  const [item, ...ix] = args;
  if (typeof item !== 'string' && !Array.isArray(item)) throw new ExecError('error calling slice: can\'t slice item');
  if (typeof item === 'string' && ix.length > 2) throw new ExecError('error calling slice: cannot 3-index slice a string');
  const len = typeof item === 'string' ? Buffer.byteLength(item) : item.length;
  const from = ix.length > 0 ? toIndex(ix[0], len) : 0;
  const to = ix.length > 1 ? toIndex(ix[1], len) : len;
  if (from > to) throw new ExecError(`error calling slice: invalid slice index: ${from} > ${to}`);
  return typeof item === 'string' ? Buffer.from(item).subarray(from, to).toString() : item.slice(from, to);
}

/** `html` of text/template: escapes `<>&'"` and NUL. */
export function htmlEscapeText(s: string): string {
  return s.replace(/[<>&'"\0]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&#39;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}

/** `js` of text/template (Go `template.JSEscapeString`). */
export function jsEscapeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\\'"<>&=`\x00-\x1f\u2028\u2029]/g, (c) => {
    if (c === '\\' || c === "'" || c === '"') return `\\${c}`;
    return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** Go's `url.QueryEscape`. */
export function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
}

/** Formats the arguments as `html`/`js`/`urlquery` do: one string argument as is, else `fmt.Sprint`. */
const evalArgs = (args: unknown[]) => (args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args));

const compare = (name: string, fn: (a: unknown, b: unknown) => boolean): [string, FuncDef] => [name, { fn: ([a, b]) => fn(a, b), min: 2, max: 2 }];

export const builtins: ReadonlyMap<string, FuncDef> = new Map<string, FuncDef>([
  ['and', { fn: (args) => args.find((a) => !isTrue(a)) ?? args[args.length - 1], min: 1, max: Infinity }],
  ['or', { fn: (args) => args.find((a) => isTrue(a)) ?? args[args.length - 1], min: 1, max: Infinity }],
  ['not', { fn: ([a]) => !isTrue(a), min: 1, max: 1 }],
  ['eq', { fn: ([a, ...rest]) => rest.some((b) => equal(a, b)), min: 2, max: Infinity }],
  compare('ne', (a, b) => !equal(a, b)),
  compare('lt', (a, b) => less('lt', a, b)),
  compare('le', (a, b) => less('le', a, b) || equal(a, b)),
  compare('gt', (a, b) => !less('gt', a, b) && !equal(a, b)),
  compare('ge', (a, b) => !less('ge', a, b)),
  ['len', { fn: ([a]) => lengthOf(a), min: 1, max: 1 }],
  ['index', { fn: index, min: 1, max: Infinity }],
  ['slice', { fn: slice, min: 1, max: 4 }],
  ['print', { fn: sprint, min: 0, max: Infinity }],
  ['println', { fn: sprintln, min: 0, max: Infinity }],
  ['printf', { fn: ([f, ...rest]) => sprintf(typeof f === 'string' ? f : formatValue(f), rest), min: 1, max: Infinity }],
  ['html', { fn: (args) => htmlEscapeText(evalArgs(args)), min: 0, max: Infinity }],
  ['js', { fn: (args) => jsEscapeText(evalArgs(args)), min: 0, max: Infinity }],
  ['urlquery', { fn: (args) => queryEscape(evalArgs(args)), min: 0, max: Infinity }],
  ['call', {
    fn: ([f, ...rest]) => {
      if (typeof f !== 'function') throw new ExecError(`error calling call: non-function of type ${typeof f}`);
      return f(...rest);
    },
    min: 1,
    max: Infinity,
  }],
]);
