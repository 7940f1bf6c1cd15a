/**
 * Executes parsed templates against data (Go `text/template/exec.go` semantics). Data model: plain objects are
 * Go structs (a missing field is an error), `Map`s are Go maps (a missing key is the zero value), arrays are
 * slices; object properties that are functions are methods. Text goes to `Output.text`, every action's value to
 * `Output.value`, where the contextual escaper decides how it is written.
 */

import { ExecError, isTrue, type FuncDef } from './builtins.js';
import { sortedKeys, sprint } from './format.js';
import { TemplateError, type Arg, type Cmd, type Node, type Pipe, type Pos, type Tree } from './nodes.js';

export interface Output {
  text(s: string): void;
  /** `escaper` is `html` or `urlquery` when the pipeline ended with that predefined escaper. */
  value(v: unknown, escaper?: string): void;
}

const MAX_DEPTH = 1000;

type Signal = 'break' | 'continue' | undefined;

/** Runs `tree` with `data` as dot. Throws `TemplateError` naming file and line on a failure. */
export function execute(tree: Tree, data: unknown, templates: ReadonlyMap<string, Tree>, funcs: ReadonlyMap<string, FuncDef>, out: Output): void {
  new Exec(templates, funcs, out).run(tree, data, 0);
}

class Exec {
  private vars: { name: string; value: unknown }[] = [];

  private readonly templates: ReadonlyMap<string, Tree>;
  private readonly funcs: ReadonlyMap<string, FuncDef>;
  private readonly out: Output;

  constructor(templates: ReadonlyMap<string, Tree>, funcs: ReadonlyMap<string, FuncDef>, out: Output) {
    this.templates = templates;
    this.funcs = funcs;
    this.out = out;
  }

  run(tree: Tree, data: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new TemplateError(tree.pos, 'exceeded maximum template depth');
    const saved = this.vars;
    this.vars = [{ name: '$', value: data }];
    try {
      this.list(tree.body, data, depth);
    } finally {
      this.vars = saved;
    }
  }

  private list(nodes: Node[], dot: unknown, depth: number): Signal {
    for (const node of nodes) {
      const signal = this.node(node, dot, depth);
      if (signal) return signal;
    }
    return undefined;
  }

  private scoped(fn: () => Signal): Signal {
    const mark = this.vars.length;
    try {
      return fn();
    } finally {
      this.vars.length = mark;
    }
  }

  private node(node: Node, dot: unknown, depth: number): Signal {
    switch (node.t) {
      case 'text':
        this.out.text(node.text);
        return undefined;
      case 'action': {
        if (node.pipe.decl.length > 0) {
          this.pipeline(node.pipe, dot);
          return undefined;
        }
        const last = node.pipe.cmds[node.pipe.cmds.length - 1]!;
        const head = last.args[0]!;
        const escaper = head.t === 'func' && (head.name === 'html' || head.name === 'urlquery') ? head.name : undefined;
        if (escaper === 'html') {
          // html/template replaces a final `html` with its own contextual escaper: print its arguments instead.
          const piped = node.pipe.cmds.length > 1 ? [this.pipeline({ ...node.pipe, cmds: node.pipe.cmds.slice(0, -1) }, dot)] : [];
          const args = last.args.slice(1).map((a) => this.arg(a, dot)).concat(piped);
          this.out.value(args.length === 1 && typeof args[0] === 'string' ? args[0] : sprint(args));
          return undefined;
        }
        this.out.value(this.pipeline(node.pipe, dot), escaper);
        return undefined;
      }
      case 'if':
      case 'with':
        return this.scoped(() => {
          const value = this.pipeline(node.pipe, dot);
          if (isTrue(value)) return this.list(node.body, node.t === 'with' ? value : dot, depth);
          return node.elseBody ? this.list(node.elseBody, dot, depth) : undefined;
        });
      case 'range':
        return this.range(node, dot, depth);
      case 'template': {
        const tree = this.templates.get(node.name);
        if (!tree) throw new TemplateError(node.pos, `no such template "${node.name}"`);
        let data: unknown;
        if (node.pipe) {
          const mark = this.vars.length;
          data = this.pipeline(node.pipe, dot);
          this.vars.length = mark;
        }
        this.run(tree, data, depth + 1);
        return undefined;
      }
      case 'break':
      case 'continue':
        return node.t;
    }
  }

  private range(node: Extract<Node, { t: 'range' }>, dot: unknown, depth: number): Signal {
    return this.scoped(() => {
      const value = this.pipeline({ ...node.pipe, decl: [] }, dot);
      const [first, second] = node.pipe.decl;
      const entries = this.entries(value, node.pos, node.pipe.decl.length);
      if (entries.length === 0) return node.elseBody ? this.list(node.elseBody, dot, depth) : undefined;
      for (const [key, elem] of entries) {
        const signal = this.scoped(() => {
          if (second) this.vars.push({ name: first!, value: key }, { name: second, value: elem });
          else if (first) this.vars.push({ name: first, value: elem });
          return this.list(node.body, elem, depth);
        });
        if (signal === 'break') break;
      }
      return undefined;
    });
  }

  private entries(value: unknown, pos: Pos, vars: number): [unknown, unknown][] {
    if (value === null || value === undefined) return [];
    if (Array.isArray(value)) return value.map((v, i) => [i, v]);
    if (value instanceof Map) return sortedKeys(value).map((k) => [k, value.get(k)]);
    if (typeof value === 'number' && Number.isInteger(value)) {
      if (vars > 1) throw new TemplateError(pos, `can't use ${value} to iterate over more than one variable`);
      return Array.from({ length: Math.max(0, value) }, (_, i) => [i, i]);
    }
    throw new TemplateError(pos, `range can't iterate over ${typeof value === 'string' ? value : typeof value}`);
  }

  private pipeline(pipe: Pipe, dot: unknown): unknown {
    let value: unknown;
    pipe.cmds.forEach((cmd, i) => {
      value = this.command(cmd, dot, i > 0 ? [value] : []);
    });
    if (pipe.isAssign) {
      for (let i = this.vars.length - 1; i >= 0; i--) {
        if (this.vars[i]!.name === pipe.decl[0]) {
          this.vars[i]!.value = value;
          break;
        }
      }
    } else {
      for (const name of pipe.decl) this.vars.push({ name, value });
    }
    return value;
  }

  private command(cmd: Cmd, dot: unknown, final: unknown[]): unknown {
    const [head, ...rest] = cmd.args;
    try {
      switch (head!.t) {
        case 'func':
          return this.call(head!.name, rest, dot, final);
        case 'field':
          return this.chain(dot, head!.names, rest.map((a) => this.arg(a, dot)).concat(final));
        case 'var':
          return this.chain(this.variable(head!.name), head!.names, rest.map((a) => this.arg(a, dot)).concat(final));
        case 'pipe':
          return this.chain(this.pipeline(head!.pipe, dot), head!.names, rest.map((a) => this.arg(a, dot)).concat(final));
        default:
          return this.arg(head!, dot);
      }
    } catch (err) {
      if (err instanceof ExecError) throw new TemplateError(cmd.pos, err.message);
      throw err;
    }
  }

  private call(name: string, argNodes: Arg[], dot: unknown, final: unknown[]): unknown {
    const def = this.funcs.get(name)!;
    if (name === 'and' || name === 'or') {
      const all = [...argNodes.map((a) => () => this.arg(a, dot)), ...final.map((v) => () => v)];
      let value: unknown;
      for (const next of all) {
        value = next();
        if (isTrue(value) === (name === 'or')) return value;
      }
      return value;
    }
    const args = argNodes.map((a) => this.arg(a, dot)).concat(final);
    try {
      return def.fn(args);
    } catch (err) {
      if (err instanceof ExecError) throw err;
      throw new ExecError(`error calling ${name}: ${(err as Error).message}`);
    }
  }

  private arg(arg: Arg, dot: unknown): unknown {
    switch (arg.t) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'str':
      case 'num':
      case 'bool':
        return arg.v;
      case 'field':
        return this.chain(dot, arg.names, []);
      case 'var':
        return this.chain(this.variable(arg.name), arg.names, []);
      case 'func':
        return this.call(arg.name, [], dot, []);
      case 'pipe':
        return this.chain(this.pipeline(arg.pipe, dot), arg.names, []);
    }
  }

  private variable(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i]!.name === name) return this.vars[i]!.value;
    throw new ExecError(`undefined variable: ${name}`);
  }

  /** `.A.B.C args`: the arguments go to the last name, which must then be a method. */
  private chain(receiver: unknown, names: string[], args: unknown[]): unknown {
    if (names.length === 0) {
      if (args.length > 0) throw new ExecError("can't give argument to non-function");
      return receiver;
    }
    let value = receiver;
    names.forEach((name, i) => {
      value = field(value, name, i === names.length - 1 ? args : []);
    });
    return value;
  }
}

function field(receiver: unknown, name: string, args: unknown[]): unknown {
  if (receiver === null || receiver === undefined) throw new ExecError(`nil pointer evaluating interface {}.${name}`);
  if (receiver instanceof Map) {
    if (args.length > 0) throw new ExecError(`${name} is not a method but has arguments`);
    return receiver.get(name);
  }
  if (typeof receiver === 'object' && !Array.isArray(receiver) && Object.hasOwn(receiver, name)) {
    const value = (receiver as Record<string, unknown>)[name];
    if (typeof value === 'function') return value(...args);
    if (args.length > 0) throw new ExecError(`${name} has arguments but cannot be invoked as function`);
    return value;
  }
  const type = Array.isArray(receiver) ? '[]interface {}' : typeof receiver === 'object' ? 'struct' : typeof receiver;
  throw new ExecError(`can't evaluate field ${name} in type ${type}`);
}
