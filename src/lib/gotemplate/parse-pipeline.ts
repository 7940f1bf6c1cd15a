/**
 * Parses the inside of one action: `[$x :=|=] command | command …`, where a command is operands separated by white
 * space and an operand is a literal, `.`, `.Field.Chain`, `$var.Field`, a function name or `( pipeline ).Field`.
 * Checks variables are declared and functions exist with an acceptable argument count (Go checks some of this only
 * at execution; Ferry does it at load time).
 */

import type { Token } from './lex.js';
import { TemplateError, type Arg, type Cmd, type Pipe, type Pos } from './nodes.js';

/** How many arguments a function accepts (`max` = Infinity for variadic). */
export interface FuncArity {
  min: number;
  max: number;
}

interface Scope {
  funcs: ReadonlyMap<string, FuncArity>;
  /** Variables in scope, innermost last; declarations are pushed here. */
  vars: string[];
}

/** `context` names the construct for messages: `command`, `if`, `range`, `template`, … */
export function parsePipeline(tokens: Token[], pos: Pos, context: string, scope: Scope): Pipe {
  let rest = tokens;
  const decl: string[] = [];
  let isAssign = false;
  const declEnd = rest.findIndex((t) => t.kind === 'declare' || t.kind === 'assign');
  if (declEnd > 0 && rest.slice(0, declEnd).every((t, k) => (k % 2 === 0 ? t.kind === 'var' : t.kind === 'comma'))) {
    const names = rest.slice(0, declEnd).filter((t) => t.kind === 'var').map((t) => t.text);
    if (names.length > 2 || (names.length === 2 && context !== 'range')) {
      throw new TemplateError(at(pos, rest[0]), 'too many declarations in command');
    }
    isAssign = rest[declEnd]!.kind === 'assign';
    for (const name of names) {
      if (isAssign && !scope.vars.includes(name)) throw new TemplateError(at(pos, rest[0]), `undefined variable "${name}"`);
      decl.push(name);
    }
    rest = rest.slice(declEnd + 1);
  }
  const cursor = { tokens: rest, i: 0 };
  const pipe = parseCommands(cursor, pos, context, scope, false);
  if (!isAssign) scope.vars.push(...decl);
  return { ...pipe, decl, isAssign };
}

function at(pos: Pos, tok: Token | undefined): Pos {
  return tok ? { file: pos.file, line: tok.line } : pos;
}

interface Cursor {
  tokens: Token[];
  i: number;
}

function parseCommands(c: Cursor, pos: Pos, context: string, scope: Scope, nested: boolean): Pipe {
  const cmds: Cmd[] = [];
  for (;;) {
    const cmd = parseCommand(c, pos, scope);
    if (cmd.args.length === 0) throw new TemplateError(at(pos, c.tokens[c.i]), `missing value for ${context}`);
    cmds.push(cmd);
    const next = c.tokens[c.i];
    if (next?.kind === 'pipe') {
      c.i++;
      continue;
    }
    if (next === undefined && !nested) break;
    if (next?.kind === 'rparen' && nested) break;
    throw new TemplateError(at(pos, next), next ? `unexpected "${next.text}" in ${context}` : 'unclosed left paren');
  }
  cmds.forEach((cmd, k) => checkCommand(cmd, k, scope));
  return { decl: [], isAssign: false, cmds, pos };
}

function parseCommand(c: Cursor, pos: Pos, scope: Scope): Cmd {
  const args: Arg[] = [];
  const cmdPos = at(pos, c.tokens[c.i]);
  for (;;) {
    const tok = c.tokens[c.i];
    if (!tok || tok.kind === 'pipe' || tok.kind === 'rparen') return { args, pos: cmdPos };
    if (args.length > 0 && !tok.spaceBefore && tok.kind !== 'lparen') {
      throw new TemplateError(at(pos, tok), `missing space before "${tok.text}"`);
    }
    args.push(parseOperand(c, pos, scope));
  }
}

/** Field names chained directly (no space) after a term: `.A.B`, `$x.A`, `(…).A`. */
function chain(c: Cursor): string[] {
  const names: string[] = [];
  while (c.tokens[c.i]?.kind === 'field' && !c.tokens[c.i]!.spaceBefore) names.push(c.tokens[c.i++]!.text);
  return names;
}

function parseOperand(c: Cursor, pos: Pos, scope: Scope): Arg {
  const tok = c.tokens[c.i++]!;
  const here = at(pos, tok);
  switch (tok.kind) {
    case 'field':
      return { t: 'field', names: [tok.text, ...chain(c)] };
    case 'var':
      if (!scope.vars.includes(tok.text)) throw new TemplateError(here, `undefined variable "${tok.text}"`);
      return { t: 'var', name: tok.text, names: chain(c) };
    case 'dot':
      if (c.tokens[c.i]?.kind === 'field' && !c.tokens[c.i]!.spaceBefore) throw new TemplateError(here, 'unexpected . after term');
      return { t: 'dot' };
    case 'str':
      return { t: 'str', v: tok.text };
    case 'num':
      return { t: 'num', v: tok.num! };
    case 'bool':
      return { t: 'bool', v: tok.text === 'true' };
    case 'nil':
      return { t: 'nil' };
    case 'ident':
      if (!scope.funcs.has(tok.text)) throw new TemplateError(here, `function "${tok.text}" not defined`);
      if (c.tokens[c.i]?.kind === 'field' && !c.tokens[c.i]!.spaceBefore) throw new TemplateError(here, `unexpected field after function ${tok.text}`);
      return { t: 'func', name: tok.text };
    case 'lparen': {
      const pipe = parseCommands(c, here, 'parenthesized pipeline', scope, true);
      c.i++; // the closing paren
      return { t: 'pipe', pipe, names: chain(c) };
    }
    default:
      throw new TemplateError(here, `unexpected "${tok.text}" in operand`);
  }
}

/** Rules Go applies to a command: `nil` is not a command, only functions and methods take arguments. */
function checkCommand(cmd: Cmd, index: number, scope: Scope): void {
  const [head, ...rest] = cmd.args;
  const piped = index > 0 ? 1 : 0;
  if (head!.t === 'nil' && cmd.args.length === 1 && !piped) throw new TemplateError(cmd.pos, 'nil is not a command');
  if (head!.t === 'func') {
    const arity = scope.funcs.get(head!.name)!;
    const n = rest.length + piped;
    if (n < arity.min || n > arity.max) {
      const want = arity.max === Infinity ? `at least ${arity.min}` : arity.min === arity.max ? `${arity.min}` : `${arity.min} to ${arity.max}`;
      throw new TemplateError(cmd.pos, `wrong number of args for ${head!.name}: want ${want} got ${n}`);
    }
  } else if ((rest.length > 0 || piped) && head!.t !== 'field' && !(head!.t === 'var' && head!.names.length > 0) && !(head!.t === 'pipe' && head!.names.length > 0)) {
    throw new TemplateError(cmd.pos, rest.length > 0 ? `can't give arguments to non-function ${describe(head!)}` : `can't give argument to non-function ${describe(head!)}`);
  }
  for (const arg of rest) {
    if (arg.t === 'func' && scope.funcs.get(arg.name)!.min > 0) {
      throw new TemplateError(cmd.pos, `wrong number of args for ${arg.name}: want ${scope.funcs.get(arg.name)!.min} got 0`);
    }
  }
}

function describe(arg: Arg): string {
  switch (arg.t) {
    case 'str':
      return JSON.stringify(arg.v);
    case 'num':
    case 'bool':
      return String(arg.v);
    case 'var':
      return arg.name;
    default:
      return arg.t === 'dot' ? '.' : arg.t;
  }
}
