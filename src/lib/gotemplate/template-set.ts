/**
 * A set of Go-syntax HTML templates parsed together, as Go's `template.ParseFS` does: every file becomes a template
 * named after the file, every `{{define}}`/`{{block}}` one named after its name, and files are read in the order
 * given (a later non-empty definition replaces an earlier one; an empty one does not). All parsing, function and
 * template-reference checks happen in `parseTemplateSet`, so nothing can fail for syntax when a page renders.
 *
 * @example
 * const set = parseTemplateSet([{ name: 'page.html', source: '<p>{{ .Name | lower }}</p>' }], { lower: { fn: … } });
 * set.render('page.html', { Name: 'ADA' }); // '<p>ada</p>'
 */

import { builtins, type FuncDef } from './builtins.js';
import { execute } from './exec.js';
import { HtmlWriter } from './html-writer.js';
import { TemplateError, type Node, type Tree } from './nodes.js';
import { parseFile } from './parse.js';

export { TemplateError } from './nodes.js';
export type { FuncDef } from './builtins.js';

export interface TemplateSource {
  /** File name, used as the template name and in error messages. */
  name: string;
  source: string;
}

export interface TemplateSet {
  has(name: string): boolean;
  /** True when `name` has only white space and comments (Go refuses to execute such a template). */
  isEmpty(name: string): boolean;
  /** Executes template `name` with `data` as dot and returns auto-escaped HTML. Throws `TemplateError` on failure. */
  render(name: string, data: unknown): string;
}

/** Parses every file with Go's builtins plus `funcs`. Throws `TemplateError` (`file:line: message`) on any problem. */
export function parseTemplateSet(files: readonly TemplateSource[], funcs: Readonly<Record<string, FuncDef>> = {}): TemplateSet {
  const allFuncs = new Map<string, FuncDef>([...builtins, ...Object.entries(funcs)]);
  const trees = new Map<string, Tree>();
  for (const file of files) {
    for (const tree of parseFile(file.name, file.source, allFuncs)) {
      if (trees.has(tree.name) && isEmpty(tree.body)) continue;
      trees.set(tree.name, tree);
    }
  }
  for (const tree of trees.values()) checkReferences(tree.body, trees);
  return {
    has: (name) => trees.has(name),
    isEmpty: (name) => isEmpty(trees.get(name)?.body ?? []),
    render(name, data) {
      const tree = trees.get(name);
      if (!tree) throw new TypeError(`no template named ${name}`);
      const out = new HtmlWriter();
      execute(tree, data, trees, allFuncs, out);
      return out.result();
    },
  };
}

/** Go: a body of only white space (and comments, already gone) does not replace an existing definition. */
function isEmpty(body: Node[]): boolean {
  return body.every((n) => n.t === 'text' && n.text.trim() === '');
}

function checkReferences(nodes: Node[] | null, trees: ReadonlyMap<string, Tree>): void {
  for (const node of nodes ?? []) {
    if (node.t === 'template' && !trees.has(node.name)) throw new TemplateError(node.pos, `no such template "${node.name}"`);
    if (node.t === 'if' || node.t === 'with' || node.t === 'range') {
      checkReferences(node.body, trees);
      checkReferences(node.elseBody, trees);
    }
  }
}
