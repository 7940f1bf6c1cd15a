/**
 * Go's `fmt` printing of template values, for output and for `print`, `println` and `printf`: strings as is,
 * `<nil>` for nil, `[a b]` for slices, `map[k:v]` for maps (sorted keys), `{a b}` for structs (plain objects).
 * `printf` supports the verbs templates use: %v %s %d %q %t %x %X %f %e %g %c %%, with flags, width and precision.
 */

/** Formats one value as `fmt.Sprint` would. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (v instanceof Map) return `map[${sortedKeys(v).map((k) => `${formatValue(k)}:${formatValue(v.get(k))}`).join(' ')}]`;
  if (typeof v === 'function') return '<func>';
  if (v instanceof Date) return v.toISOString().replace('T', ' ').replace(/\.(\d+)Z$/, '.$1 +0000 UTC');
  if (typeof v === 'object') return `{${Object.values(v).map(formatValue).join(' ')}}`;
  return String(v);
}

/** Map keys in Go's sorted order (numbers numerically, strings by code unit). */
export function sortedKeys(m: Map<unknown, unknown>): unknown[] {
  return [...m.keys()].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
}

function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return String(n);
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(n);
  // %v of a float64 is %g with the shortest representation: exponent form below 1e-4 and from 1e21 up.
  if (abs < 1e-4 || abs >= 1e21) return goExponent(n.toExponential());
  return String(n);
}

function goExponent(js: string): string {
  return js.replace(/e([+-])(\d)$/, 'e$10$2');
}

const isString = (v: unknown) => typeof v === 'string';

/** `fmt.Sprint`: a space between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isString(a) && !isString(args[i - 1])) out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** `fmt.Sprintln`: spaces between all operands and a final newline. */
export function sprintln(args: unknown[]): string {
  return `${args.map(formatValue).join(' ')}\n`;
}

/** `fmt.Sprintf` for the common verbs; unknown verbs print `%!c(value)` as Go does. */
export function sprintf(format: string, args: unknown[]): string {
  let argi = 0;
  const out = format.replace(/%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g, (_m, flags: string, width?: string, prec?: string, verb = 'v') => {
    if (verb === '%') return '%';
    if (argi >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[argi++];
    const body = formatVerb(verb, arg, prec === undefined ? undefined : Number(prec), flags);
    return pad(body, width === undefined ? 0 : Number(width), flags);
  });
  if (argi < args.length) return `${out}%!(EXTRA ${args.slice(argi).map((a) => `${goTypeName(a)}=${formatValue(a)}`).join(', ')})`;
  return out;
}

function pad(s: string, width: number, flags: string): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && /^[+-]?[0-9.]/.test(s)) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}

function formatVerb(verb: string, arg: unknown, prec: number | undefined, flags: string): string {
  const num = typeof arg === 'number';
  const plus = (s: string) => (flags.includes('+') && num && (arg as number) >= 0 ? `+${s}` : s);
  switch (verb) {
    case 'v':
      return plus(formatValue(arg));
    case 's':
      return typeof arg === 'string' || !num ? (prec === undefined ? formatValue(arg) : formatValue(arg).slice(0, prec)) : `%!s(int=${arg})`;
    case 'q':
      return typeof arg === 'string' ? goQuote(arg) : num ? `'${String.fromCodePoint(arg as number)}'` : `%!q(${formatValue(arg)})`;
    case 't':
      return typeof arg === 'boolean' ? String(arg) : `%!t(${goTypeName(arg)}=${formatValue(arg)})`;
    case 'd':
      return num && Number.isInteger(arg) ? plus(String(arg)) : `%!d(${goTypeName(arg)}=${formatValue(arg)})`;
    case 'c':
      return num ? String.fromCodePoint(arg as number) : `%!c(${goTypeName(arg)}=${formatValue(arg)})`;
    case 'x':
    case 'X': {
      const s = num ? (arg as number).toString(16) : typeof arg === 'string' ? Buffer.from(arg).toString('hex') : `%!${verb}(${formatValue(arg)})`;
      return verb === 'X' ? s.toUpperCase() : s;
    }
    case 'f':
    case 'F':
      return num ? plus((arg as number).toFixed(prec ?? 6)) : `%!f(${goTypeName(arg)}=${formatValue(arg)})`;
    case 'e':
      return num ? plus(goExponent((arg as number).toExponential(prec ?? 6))) : `%!e(${goTypeName(arg)}=${formatValue(arg)})`;
    case 'g':
      return num ? plus(prec === undefined ? formatNumber(arg as number) : String(Number((arg as number).toPrecision(prec)))) : `%!g(${goTypeName(arg)}=${formatValue(arg)})`;
    default:
      return `%!${verb}(${goTypeName(arg)}=${formatValue(arg)})`;
  }
}

/** Go's `strconv.Quote` for printable text (escapes quotes, backslashes and control characters). */
export function goQuote(s: string): string {
  const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\v': '\\v' };
  // eslint-disable-next-line no-control-regex
  return `"${s.replace(/["\\\n\r\t\x07\b\f\v]|[\x00-\x1f\x7f]/g, (c) => esc[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}"`;
}

function goTypeName(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (v === null || v === undefined) return '<nil>';
  return Array.isArray(v) ? '[]interface {}' : 'struct';
}
