/**
 * Syntax tree of the Go template language subset (Go `text/template/parse`), as produced by `parse.ts` and walked
 * by `exec.ts`. Every node that can fail at run time carries the file and line it came from.
 */

export interface Pos {
  file: string;
  line: number;
}

/** One operand of a command: a literal, the dot, a variable, a field chain, a function name or a sub-pipeline. */
export type Arg =
  | { t: 'dot' }
  | { t: 'nil' }
  | { t: 'str'; v: string }
  | { t: 'num'; v: number }
  | { t: 'bool'; v: boolean }
  /** `.A.B` on the dot (names = [A, B]). */
  | { t: 'field'; names: string[] }
  /** `$x.A.B` (names may be empty). */
  | { t: 'var'; name: string; names: string[] }
  /** A function or method call head: `lower`, `printf`. */
  | { t: 'func'; name: string }
  /** `(pipeline).A.B`. */
  | { t: 'pipe'; pipe: Pipe; names: string[] };

export interface Cmd {
  args: Arg[];
  pos: Pos;
}

export interface Pipe {
  /** Variables declared (`:=`) or assigned (`=`) by this pipeline; empty when none. */
  decl: string[];
  isAssign: boolean;
  cmds: Cmd[];
  pos: Pos;
}

export type Node =
  | { t: 'text'; text: string }
  | { t: 'action'; pipe: Pipe; pos: Pos }
  | { t: 'if' | 'with'; pipe: Pipe; body: Node[]; elseBody: Node[] | null; pos: Pos }
  | { t: 'range'; pipe: Pipe; body: Node[]; elseBody: Node[] | null; pos: Pos }
  | { t: 'template'; name: string; pipe: Pipe | null; pos: Pos }
  | { t: 'break' | 'continue'; pos: Pos };

/** A named template: a file's top level or a `{{define}}`/`{{block}}` body. */
export interface Tree {
  name: string;
  body: Node[];
  pos: Pos;
}

/** An error in a template, at parse or execution time; the message starts with `file:line:`. */
export class TemplateError extends Error {
  readonly file: string;
  readonly line: number;
  constructor(pos: Pos, message: string) {
    super(`${pos.file}:${pos.line}: ${message}`);
    this.name = 'TemplateError';
    this.file = pos.file;
    this.line = pos.line;
  }
}
