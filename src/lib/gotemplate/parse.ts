/**
 * Parses lexed segments into templates (Go `text/template/parse` semantics): `if`/`else if`/`else`, `range` (with
 * `else`, `break`, `continue`), `with` (with `else with`/`else`), `define`, `template`, `block`, variables with
 * lexical scope, and pipelines. Every function name and its argument count are checked here, so an unknown function
 * fails when the template loads, never when a page renders.
 */

import { lex, type Segment, type Token } from './lex.js';
import { parsePipeline, type FuncArity } from './parse-pipeline.js';
import { TemplateError, type Node, type Pipe, type Pos, type Tree } from './nodes.js';

export type { FuncArity } from './parse-pipeline.js';

interface Frame {
  /** The keyword that opened this block (`if`, `range`, …), or `file` for the top level. */
  kind: string;
  pos: Pos;
}

/** Parses one file: returns its top-level tree (named after the file) followed by its `define`/`block` trees. */
export function parseFile(file: string, source: string, funcs: ReadonlyMap<string, FuncArity>): Tree[] {
  const p = new Parser(file, lex(file, source), funcs);
  return p.parseFile();
}

class Parser {
  private i = 0;
  private readonly trees: Tree[] = [];
  private vars: string[] = ['$'];
  private rangeDepth = 0;

  private readonly file: string;
  private readonly segs: Segment[];
  private readonly funcs: ReadonlyMap<string, FuncArity>;

  constructor(file: string, segs: Segment[], funcs: ReadonlyMap<string, FuncArity>) {
    this.file = file;
    this.segs = segs;
    this.funcs = funcs;
  }

  parseFile(): Tree[] {
    const { body, end } = this.parseList({ kind: 'file', pos: this.pos(1) });
    if (end) throw new TemplateError(end.pos, `unexpected {{${end.word}}}`);
    return [{ name: this.file, body, pos: this.pos(1) }, ...this.trees];
  }

  private pos(line: number): Pos {
    return { file: this.file, line };
  }

  /** Parses nodes until `{{end}}`/`{{else …}}` (returned as `end`) or the end of the file. */
  private parseList(frame: Frame): { body: Node[]; end?: { word: string; rest: Token[]; pos: Pos } } {
    const body: Node[] = [];
    while (this.i < this.segs.length) {
      const seg = this.segs[this.i++]!;
      if (seg.kind === 'text') {
        body.push({ t: 'text', text: seg.text });
        continue;
      }
      const pos = this.pos(seg.line);
      const [head, ...rest] = seg.tokens;
      if (!head) throw new TemplateError(pos, 'missing value for command');
      if (head.kind !== 'keyword') {
        body.push({ t: 'action', pipe: this.pipeline(seg.tokens, pos, 'command'), pos });
        continue;
      }
      switch (head.text) {
        case 'end':
        case 'else':
          if (frame.kind === 'file') throw new TemplateError(pos, `unexpected {{${head.text}}}`);
          if (head.text === 'end' && rest.length) throw new TemplateError(pos, 'unexpected tokens after end');
          return { body, end: { word: head.text, rest, pos } };
        case 'if':
        case 'with':
        case 'range':
          body.push(this.control(head.text, rest, pos));
          break;
        case 'template':
          body.push(this.templateCall(rest, pos));
          break;
        case 'block':
          body.push(this.templateCall(rest, pos));
          this.define(rest.slice(0, 1), pos, 'block');
          break;
        case 'define':
          if (frame.kind !== 'file') throw new TemplateError(pos, 'define is allowed only at the top level');
          if (rest.length !== 1) throw new TemplateError(pos, 'define takes exactly one template name');
          this.define(rest, pos, 'define');
          break;
        case 'break':
        case 'continue':
          if (this.rangeDepth === 0) throw new TemplateError(pos, `{{${head.text}}} outside {{range}}`);
          if (rest.length) throw new TemplateError(pos, `unexpected tokens after ${head.text}`);
          body.push({ t: head.text, pos });
          break;
      }
    }
    if (frame.kind !== 'file') throw new TemplateError(frame.pos, `unexpected EOF: {{${frame.kind}}} has no {{end}}`);
    return { body };
  }

  private withScope<T>(fn: () => T): T {
    const saved = this.vars.length;
    try {
      return fn();
    } finally {
      this.vars.length = saved;
    }
  }

  /** `if`/`with`/`range` up to the matching `{{end}}`; `{{else if}}`/`{{else with}}` nest as Go's parser does. */
  private control(kind: 'if' | 'with' | 'range', tokens: Token[], pos: Pos): Node {
    return this.withScope(() => {
      const pipe = this.pipeline(tokens, pos, kind);
      if (kind === 'range') this.rangeDepth++;
      const first = this.withScope(() => this.parseList({ kind, pos }));
      if (kind === 'range') this.rangeDepth--;
      let elseBody: Node[] | null = null;
      const end = first.end!;
      if (end.word === 'else') {
        if (end.rest.length > 0) {
          const [k, ...more] = end.rest;
          if (k?.kind !== 'keyword' || k.text !== kind || kind === 'range') throw new TemplateError(end.pos, `unexpected tokens after else`);
          elseBody = [this.control(kind, more, end.pos)];
          return { t: kind, pipe, body: first.body, elseBody, pos };
        }
        const second = this.withScope(() => this.parseList({ kind, pos }));
        if (second.end!.word !== 'end') throw new TemplateError(second.end!.pos, 'expected {{end}} after {{else}}');
        elseBody = second.body;
      }
      return { t: kind, pipe, body: first.body, elseBody, pos };
    });
  }

  private templateName(tok: Token | undefined, pos: Pos, what: string): string {
    if (tok?.kind !== 'str') throw new TemplateError(pos, `${what} needs a quoted template name`);
    return tok.text;
  }

  private templateCall(tokens: Token[], pos: Pos): Node {
    const name = this.templateName(tokens[0], pos, 'template');
    const pipe = tokens.length > 1 ? this.pipeline(tokens.slice(1), pos, 'template') : null;
    return { t: 'template', name, pipe, pos };
  }

  /** `define "name"` or `block "name" pipeline`: the body up to `{{end}}` becomes its own tree. */
  private define(tokens: Token[], pos: Pos, what: string): void {
    const name = this.templateName(tokens[0], pos, what);
    const savedVars = this.vars;
    const savedRange = this.rangeDepth;
    this.vars = ['$'];
    this.rangeDepth = 0;
    const { body, end } = this.parseList({ kind: what, pos });
    this.vars = savedVars;
    this.rangeDepth = savedRange;
    if (end!.word !== 'end') throw new TemplateError(end!.pos, `unexpected {{else}} in ${what}`);
    this.trees.push({ name, body, pos });
  }

  private pipeline(tokens: Token[], pos: Pos, context: string): Pipe {
    return parsePipeline(tokens, pos, context, { funcs: this.funcs, vars: this.vars });
  }
}
