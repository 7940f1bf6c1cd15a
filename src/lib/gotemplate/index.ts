/**
 * Go `html/template` for dex-format frontends: a lexer (`lex.ts`) and parser (`parse.ts`, `parse-pipeline.ts`)
 * for Go's template language, an executor (`exec.ts`) with Go's builtins (`builtins.ts`, `format.ts`), and a
 * contextual auto-escaper (`html-writer.ts` over `html-state.ts`/`js-state.ts`, escapers in `escape.ts`).
 * `template-set.ts` ties them together. A leaf library: it imports nothing from the rest of Ferry.
 * What is supported is listed in docs/templates.md.
 */

export { parseTemplateSet, TemplateError, type TemplateSet, type TemplateSource, type FuncDef } from './template-set.js';
export { ExecError } from './builtins.js';
