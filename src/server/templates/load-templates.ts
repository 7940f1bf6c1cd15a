/**
 * Reads every `*.html` file of a templates folder once, checks the syntax, registers each file as a partial (by its
 * name without `.html`, so `{{> header}}`) and compiles the pages. A missing required file fails startup, naming it.
 */

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type Handlebars from 'handlebars';
import { ConfigError } from '../../lib/errors.js';

/** Files every frontend dir must have (pages plus the two shared partials). */
export const requiredTemplates = [
  'login.html',
  'password.html',
  'approval.html',
  'oob.html',
  'error.html',
  'device.html',
  'device_success.html',
  'header.html',
  'footer.html',
] as const;

export type TemplateName = (typeof requiredTemplates)[number];

export type CompiledTemplates = ReadonlyMap<string, Handlebars.TemplateDelegate>;

async function templateNames(dir: string, onlyHtml = true): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && (!onlyHtml || entry.name.endsWith('.html')))
      .map((entry) => entry.name)
      .sort();
  } catch (err) {
    throw new ConfigError(`cannot read templates directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? err}`, 'frontend.dir');
  }
}

/** Every file of `dir` with its source, in name order (dex's `ParseFS` reads every file, in this order). */
export async function readTemplateSources(dir: string): Promise<{ name: string; source: string }[]> {
  const names = await templateNames(dir, false);
  return Promise.all(names.map(async (name) => ({ name, source: await readFile(join(dir, name), 'utf8') })));
}

/** Loads `dir` into the Handlebars environment `env`; throws `ConfigError` naming the file on any problem. */
export async function loadTemplates(env: typeof Handlebars, dir: string): Promise<CompiledTemplates> {
  const names = await templateNames(dir);
  const missing = requiredTemplates.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    throw new ConfigError(`missing template(s) in ${dir}: ${missing.join(', ')}`, 'frontend.dir');
  }

  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const name of names.sort()) {
    const source = await readFile(join(dir, name), 'utf8');
    try {
      env.parse(source);
    } catch (err) {
      throw new ConfigError(`template ${name} in ${dir} does not parse: ${(err as Error).message}`, 'frontend.dir');
    }
    env.registerPartial(name.slice(0, -'.html'.length), source);
    compiled.set(name, env.compile(source, { preventIndent: true }));
  }
  return compiled;
}
