/**
 * The escapers and filters of the contextual auto-escaper, one per context, with Go `html/template`'s output
 * (escaper.go, html.go, url.go, js.go, css.go): HTML text and attribute values, URLs (unsafe schemes become
 * `#ZgotmplZ`), JavaScript values, strings and regexps, and CSS (only plain values pass; anything else becomes
 * `ZgotmplZ`). `ZgotmplZ` is Go's marker for "unsafe value removed here".
 */

import { formatValue } from './format.js';

export const UNSAFE = 'ZgotmplZ';

const HTML: Record<string, string> = { '\0': '\uFFFD', '"': '&#34;', '&': '&amp;', "'": '&#39;', '+': '&#43;', '<': '&lt;', '>': '&gt;' };
const NOSPACE: Record<string, string> = {
  ...HTML, '\t': '&#9;', '\n': '&#10;', '\v': '&#11;', '\f': '&#12;', '\r': '&#13;', ' ': '&#32;', '=': '&#61;', '`': '&#96;',
};

/** HTML text, RCDATA and quoted attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[\0"&'+<>]/g, (c) => HTML[c]!);
}

/** Unquoted attribute values: white space and every character that could end or re-quote the value are escaped. */
export function escapeUnquotedAttr(s: string): string {
  if (s === '') return UNSAFE;
  return s.replace(/[\0"&'+<>\t\n\v\f\r =`]/g, (c) => NOSPACE[c]!);
}

/** Go's `isSafeURL`: a scheme (text before `:` with no `/` in it) must be http, https or mailto. */
export function isSafeUrl(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon === -1) return true;
  const scheme = s.slice(0, colon);
  return scheme.includes('/') || /^(https?|mailto)$/i.test(scheme);
}

/** Percent-encodes URL bytes; `normalize` keeps reserved characters and valid `%XX` escapes (Go urlProcessor). */
export function escapeUrl(s: string, normalize: boolean): string {
  let out = '';
  const bytes = Buffer.from(s);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c)) out += c;
    else if (normalize && /[!#$&*+,/:;=?@[\]]/.test(c)) out += c;
    else if (normalize && c === '%' && /^[0-9a-fA-F]{2}$/.test(String.fromCharCode(bytes[i + 1] ?? 0, bytes[i + 2] ?? 0))) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const JS_STR: Record<string, string> = {
  '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\\': '\\\\', '/': '\\/',
};

/** Inside a JS string or template literal: every quote, `<`, `>`, `&`, `+`, `$`, braces and controls become `\uXXXX`. */
export function escapeJsString(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x1f"'`&+<>\\/${}\u2028\u2029\x7f]/g, (c) => JS_STR[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Inside a JS regular expression literal: as a string, plus regexp metacharacters backslash-escaped. */
export function escapeJsRegexp(s: string): string {
  if (s === '') return '(?:)';
  return escapeJsString(s).replace(/[()*.?[\]^|-]/g, (c) => `\\${c}`);
}

function toJson(v: unknown): unknown {
  if (v === undefined) return null;
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [formatValue(k), toJson(x)]));
  if (Array.isArray(v)) return v.map(toJson);
  if (typeof v === 'function') return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
  return v;
}

/** A value in JS code: a JSON literal with `<`, `>`, `&`, quotes and line separators as `\uXXXX`, padded if bare. */
export function escapeJsValue(v: unknown): string {
  const json = JSON.stringify(toJson(v)).replace(/[<>&'\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return /^[\w$]|[\w$]$/.test(json) ? ` ${json} ` : json;
}

/** CSS (style elements and attributes): only plain words, numbers, colours and lengths pass. */
export function filterCss(s: string): string {
  return /^[A-Za-z0-9#%., _-]*$/.test(s) && !/^-?-/.test(s) ? s : UNSAFE;
}

/** Attribute or tag names written by an action: plain names only, never one that changes the value's meaning. */
export function filterAttrName(s: string, kind: string): string {
  return /^[A-Za-z0-9_:-]+$/.test(s) && kind === 'plain' ? s.toLowerCase() : UNSAFE;
}
