/**
 * Splits a template source into text and action segments (Go `text/template/parse/lex.go` semantics):
 * `{{- ` and ` -}}` trim the adjacent text's white space, `{{/* … *\/}}` comments vanish, and each action is cut
 * into tokens. A token records whether white space preceded it, because `.A.B` is one chain and `.A .B` two operands.
 */

import { TemplateError, type Pos } from './nodes.js';

export type TokenKind =
  | 'field' | 'var' | 'ident' | 'dot' | 'str' | 'num' | 'bool' | 'nil' | 'pipe' | 'lparen' | 'rparen'
  | 'declare' | 'assign' | 'comma' | 'keyword';

export interface Token {
  kind: TokenKind;
  /** Raw text, or the decoded value for strings. */
  text: string;
  num?: number;
  spaceBefore: boolean;
  line: number;
}

export type Segment = { kind: 'text'; text: string; line: number } | { kind: 'action'; tokens: Token[]; line: number };

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);
const SPACE = /[ \t\r\n]/;
const NUMBER = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][+-]?[0-9]+)?)/;

const countLines = (s: string) => s.split('\n').length - 1;

/** Lexes `source` of `file`. Throws `TemplateError` (with line) on unclosed actions, comments or bad tokens. */
export function lex(file: string, source: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  let line = 1;
  let trimNext = false;
  while (i <= source.length) {
    const open = source.indexOf('{{', i);
    let text = source.slice(i, open === -1 ? source.length : open);
    const textLine = line;
    line += countLines(text);
    const trimLeft = open !== -1 && source[open + 2] === '-' && SPACE.test(source[open + 3] ?? '');
    if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) out.push({ kind: 'text', text, line: textLine });
    if (open === -1) break;
    const pos = { file, line };
    const j = open + 2 + (trimLeft ? 2 : 0);
    if (source.startsWith('/*', j)) {
      const end = source.indexOf('*/', j + 2);
      if (end === -1) throw new TemplateError(pos, 'unclosed comment');
      const close = /^( -)?\}\}/.exec(source.slice(end + 2));
      if (!close) throw new TemplateError(pos, 'comment ends before closing delimiter');
      line += countLines(source.slice(open, end + 2));
      trimNext = close[1] !== undefined;
      i = end + 2 + close[0].length;
      continue;
    }
    const { tokens, end, trimRight } = lexAction(source, j, pos);
    out.push({ kind: 'action', tokens, line: pos.line });
    line += countLines(source.slice(open, end));
    trimNext = trimRight;
    i = end;
  }
  return out;
}

/** Lexes one action from `start` (just after `{{` and any trim marker) to its closing `}}`. */
function lexAction(src: string, start: number, pos: Pos): { tokens: Token[]; end: number; trimRight: boolean } {
  const tokens: Token[] = [];
  let i = start;
  let line = pos.line;
  let space = false;
  const push = (kind: TokenKind, text: string, extra: Partial<Token> = {}) => {
    tokens.push({ kind, text, spaceBefore: space, line, ...extra });
    space = false;
  };
  const fail = (message: string): never => {
    throw new TemplateError({ file: pos.file, line }, message);
  };
  for (;;) {
    if (i >= src.length) fail('unclosed action');
    const c = src[i]!;
    if (SPACE.test(c)) {
      if (c === '\n') line++;
      if (src[i + 1] === '-' && src.startsWith('}}', i + 2)) return { tokens, end: i + 4, trimRight: true };
      space = true;
      i++;
    } else if (src.startsWith('}}', i)) {
      return { tokens, end: i + 2, trimRight: false };
    } else if (c === '"' || c === '`') {
      const { value, end } = c === '"' ? readQuoted(src, i, fail) : readRaw(src, i, fail);
      line += countLines(src.slice(i, end));
      push('str', value);
      i = end;
    } else if (c === "'") {
      const { value, end } = readQuoted(src, i, fail, "'");
      if ([...value].length !== 1) fail(`malformed character constant: ${src.slice(i, end)}`);
      push('num', src.slice(i, end), { num: value.codePointAt(0)! });
      i = end;
    } else if (c === '|' || c === '(' || c === ')' || c === ',' || c === '=') {
      const kinds = { '|': 'pipe', '(': 'lparen', ')': 'rparen', ',': 'comma', '=': 'assign' } as const;
      push(kinds[c], c);
      i++;
    } else if (src.startsWith(':=', i)) {
      push('declare', ':=');
      i += 2;
    } else if (c === '$') {
      const m = /^\$[A-Za-z0-9_]*/.exec(src.slice(i))!;
      push('var', m[0]);
      i += m[0].length;
    } else if (c === '.' && !/[0-9]/.test(src[i + 1] ?? '')) {
      const m = /^\.[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      if (m) push('field', m[0].slice(1));
      else push('dot', '.');
      i += m ? m[0].length : 1;
    } else if (/[0-9+\-.]/.test(c)) {
      const m = NUMBER.exec(src.slice(i));
      const raw = m?.[0] ?? '';
      const num = parseNumber(raw);
      if (!raw || num === undefined || /[A-Za-z0-9_.]/.test(src[i + raw.length] ?? '')) fail(`bad number syntax: ${src.slice(i, i + raw.length + 1)}`);
      push('num', raw, { num });
      i += raw.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      if (word === 'true' || word === 'false') push('bool', word);
      else if (word === 'nil') push('nil', word);
      else push(KEYWORDS.has(word) ? 'keyword' : 'ident', word);
      i += word.length;
    } else {
      fail(`unexpected ${JSON.stringify(c)} in action`);
    }
  }
}

function parseNumber(raw: string): number | undefined {
  const clean = raw.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  if (body === '' || body === '.') return undefined;
  const prefixed = /^0([bBoOxX])(.+)$/.exec(body);
  if (prefixed) {
    const radix = { b: 2, o: 8, x: 16 }[prefixed[1]!.toLowerCase() as 'b' | 'o' | 'x'];
    const n = parseInt(prefixed[2]!, radix);
    return Number.isNaN(n) ? undefined : sign * n;
  }
  const n = Number(body);
  return Number.isNaN(n) ? undefined : sign * n;
}

/** A Go interpreted string or rune literal with its escapes (`\n`, `\t`, `\\`, `\"`, `\xHH`, `\uHHHH`, …). */
function readQuoted(src: string, start: number, fail: (m: string) => never, quote = '"'): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };
  for (;;) {
    const c = src[i];
    if (c === undefined || c === '\n') fail('unterminated quoted string');
    if (c === quote) return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const e = src[i + 1] ?? '';
    if (e in simple) {
      value += simple[e];
      i += 2;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = { x: 2, u: 4, U: 8 }[e];
      const hex = src.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail('bad escape in quoted string');
      value += String.fromCodePoint(parseInt(hex, 16));
      i += 2 + len;
    } else if (/[0-7]/.test(e)) {
      const oct = src.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) fail('bad escape in quoted string');
      value += String.fromCharCode(parseInt(oct, 8));
      i += 4;
    } else {
      fail(`unknown escape sequence \\${e}`);
    }
  }
}

function readRaw(src: string, start: number, fail: (m: string) => never): { value: string; end: number } {
  const end = src.indexOf('`', start + 1);
  if (end === -1) fail('unterminated raw quoted string');
  return { value: src.slice(start + 1, end).replace(/\r/g, ''), end: end + 1 };
}
