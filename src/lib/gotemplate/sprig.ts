/**
 * The part of the sprig function library (github.com/Masterminds/sprig/v3, which dex registers in
 * `dex v2.45.1 server/templates.go`) that login pages use: strings, defaults, lists, dicts and integer arithmetic.
 * Functions outside this list are refused when the templates load (docs/templates.md lists these).
 */

import { ExecError, isTrue, type FuncDef } from './builtins.js';
import { formatValue, goQuote } from './format.js';

/** sprig's `strval`: strings as is, nil as '', anything else printed. */
const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : formatValue(v));

function int(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return Number(v.trim());
  if (typeof v === 'boolean') return v ? 1 : 0;
  return 0;
}

function list(v: unknown, name: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new ExecError(`error calling ${name}: cannot find ${name} on type ${typeof v}`);
}

const fixed = (min: number, max: number, fn: (args: unknown[]) => unknown): FuncDef => ({ fn, min, max });
const s1 = (fn: (s: string) => unknown) => fixed(1, 1, ([a]) => fn(str(a)));
const s2 = (fn: (a: string, b: string) => unknown) => fixed(2, 2, ([a, b]) => fn(str(a), str(b)));

function truncate(n: number, s: string): string {
  const chars = [...s];
  if (n < 0) return chars.slice(Math.max(0, chars.length + n)).join('');
  return chars.slice(0, n).join('');
}

function substr(start: number, end: number, s: string): string {
  const chars = [...s];
  if (start < 0) return chars.slice(0, end).join('');
  if (end < 0 || end > chars.length) return chars.slice(start).join('');
  return chars.slice(start, end).join('');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const two = (n: number) => String(n).padStart(2, '0');

/** sprig's `date`: Go's reference-time layout (`2006-01-02 15:04:05`, `Jan`, `Monday`, …), in UTC. */
function formatDate(layout: string, t: unknown): string {
  const d = t instanceof Date ? t : typeof t === 'number' ? new Date(t * 1000) : new Date(NaN);
  if (Number.isNaN(d.getTime())) throw new ExecError('error calling date: not a time');
  const h12 = d.getUTCHours() % 12 || 12;
  const tokens: Record<string, string> = {
    '2006': String(d.getUTCFullYear()), January: MONTHS[d.getUTCMonth()]!, Jan: MONTHS[d.getUTCMonth()]!.slice(0, 3),
    Monday: DAYS[d.getUTCDay()]!, Mon: DAYS[d.getUTCDay()]!.slice(0, 3), MST: 'UTC', '01': two(d.getUTCMonth() + 1),
    '02': two(d.getUTCDate()), '15': two(d.getUTCHours()), '03': two(h12), '04': two(d.getUTCMinutes()),
    '05': two(d.getUTCSeconds()), '06': two(d.getUTCFullYear() % 100), PM: d.getUTCHours() < 12 ? 'AM' : 'PM',
    '-0700': '+0000', '-07:00': '+00:00', Z07: 'Z', _2: String(d.getUTCDate()).padStart(2, ' '), '2': String(d.getUTCDate()),
    '1': String(d.getUTCMonth() + 1), '3': String(h12),
  };
  return layout.replace(/2006|January|Jan|Monday|Mon|MST|01|02|15|03|04|05|06|PM|-07:00|-0700|Z07|_2|2|1|3/g, (m) => tokens[m]!);
}

export const sprigFuncs: Readonly<Record<string, FuncDef>> = {
  lower: s1((s) => s.toLowerCase()),
  upper: s1((s) => s.toUpperCase()),
  title: s1((s) => s.replace(/(^|[\s])(\p{L})/gu, (_m, sp: string, c: string) => sp + c.toUpperCase())),
  trim: s1((s) => s.trim()),
  nospace: s1((s) => s.replace(/\s+/g, '')),
  trimAll: s2((cut, s) => s.replace(new RegExp(`^[${escapeClass(cut)}]+|[${escapeClass(cut)}]+$`, 'gu'), '')),
  trimPrefix: s2((p, s) => (p && s.startsWith(p) ? s.slice(p.length) : s)),
  trimSuffix: s2((p, s) => (p && s.endsWith(p) ? s.slice(0, -p.length) : s)),
  hasPrefix: s2((p, s) => s.startsWith(p)),
  hasSuffix: s2((p, s) => s.endsWith(p)),
  contains: s2((sub, s) => s.includes(sub)),
  replace: fixed(3, 3, ([o, n, s]) => str(s).split(str(o)).join(str(n))),
  repeat: fixed(2, 2, ([n, s]) => str(s).repeat(Math.max(0, int(n)))),
  trunc: fixed(2, 2, ([n, s]) => truncate(int(n), str(s))),
  substr: fixed(3, 3, ([a, b, s]) => substr(int(a), int(b), str(s))),
  quote: fixed(0, Infinity, (args) => args.filter((a) => a !== null && a !== undefined).map((a) => goQuote(str(a))).join(' ')),
  squote: fixed(0, Infinity, (args) => args.filter((a) => a !== null && a !== undefined).map((a) => `'${str(a)}'`).join(' ')),
  cat: fixed(0, Infinity, (args) => args.filter((a) => a !== null && a !== undefined).map(str).join(' ')),
  toString: s1((s) => s),
  default: fixed(1, 2, ([d, v]) => (isTrue(v) ? v : d)),
  empty: fixed(1, 1, ([v]) => !isTrue(v)),
  coalesce: fixed(0, Infinity, (args) => args.find(isTrue) ?? null),
  ternary: fixed(3, 3, ([t, f, c]) => (c === true ? t : f)),
  list: fixed(0, Infinity, (args) => [...args]),
  dict: fixed(0, Infinity, (args) => {
    const m = new Map<string, unknown>();
    for (let i = 0; i < args.length; i += 2) m.set(str(args[i]), args[i + 1] ?? '');
    return m;
  }),
  join: fixed(2, 2, ([sep, l]) => (Array.isArray(l) ? l.map(str).join(str(sep)) : str(l))),
  splitList: s2((sep, s) => s.split(sep)),
  first: fixed(1, 1, ([l]) => list(l, 'first')[0] ?? null),
  last: fixed(1, 1, ([l]) => list(l, 'last').at(-1) ?? null),
  has: fixed(2, 2, ([needle, l]) => (Array.isArray(l) ? l.includes(needle) : false)),
  add: fixed(0, Infinity, (args) => args.reduce<number>((a, b) => a + int(b), 0)),
  add1: fixed(1, 1, ([a]) => int(a) + 1),
  sub: fixed(2, 2, ([a, b]) => int(a) - int(b)),
  mul: fixed(1, Infinity, ([a, ...r]) => r.reduce<number>((x, y) => x * int(y), int(a))),
  div: fixed(2, 2, ([a, b]) => {
    if (int(b) === 0) throw new ExecError('error calling div: integer divide by zero');
    return Math.trunc(int(a) / int(b));
  }),
  mod: fixed(2, 2, ([a, b]) => {
    if (int(b) === 0) throw new ExecError('error calling mod: integer divide by zero');
    return int(a) % int(b);
  }),
  max: fixed(1, Infinity, (args) => Math.max(...args.map(int))),
  min: fixed(1, Infinity, (args) => Math.min(...args.map(int))),
  int: fixed(1, 1, ([a]) => int(a)),
  atoi: s1((s) => (/^[+-]?\d+$/.test(s) ? Number(s) : 0)),
  toJson: fixed(1, 1, ([v]) => JSON.stringify(v instanceof Map ? Object.fromEntries(v) : (v ?? null))),
  b64enc: s1((s) => Buffer.from(s).toString('base64')),
  b64dec: s1((s) => Buffer.from(s, 'base64').toString()),
  now: fixed(0, 0, () => new Date()),
  date: fixed(2, 2, ([layout, t]) => formatDate(str(layout), t)),
};

function escapeClass(s: string): string {
  return s.replace(/[\\\]^-]/g, '\\$&');
}
