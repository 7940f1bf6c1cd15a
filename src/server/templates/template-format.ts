/**
 * Which template language a frontend dir's `templates/` is written in. dex's own pages and every dex
 * customization are Go `html/template` files; Ferry's built-in pages are Handlebars. Both use the same file names,
 * so the syntax decides: a Go action (`{{ .Field }}`, `{{ $var }}`, `{{ template "…" }}`, `{{ end }}`, `{{ range … }}`,
 * …) in any file makes the dir dex-format; a Handlebars block, partial or comment (`{{#`, `{{/if}}`, `{{>`, `{{!`)
 * makes it Handlebars. A dir with both fails startup, naming a file of each (docs/templates.md).
 */

import { ConfigError } from '../../lib/errors.js';

export type TemplateFormat = 'go' | 'handlebars';

const GO_ACTION = /\{\{-?\s*(?:\.|\$|\(|(?:template|define|block|range|with|end)\b)/;
const HANDLEBARS_TAG = /\{\{~?\s*(?:[#>^!]|\/(?!\*))/;

/** Decides the format from the files' sources; throws `ConfigError` (key `frontend.dir`) when they mix both. */
export function detectTemplateFormat(files: readonly { name: string; source: string }[], dir: string): TemplateFormat {
  const goFile = files.find((f) => GO_ACTION.test(f.source) && !HANDLEBARS_TAG.test(f.source));
  const hbFile = files.find((f) => HANDLEBARS_TAG.test(f.source));
  if (goFile && hbFile) {
    throw new ConfigError(
      `templates in ${dir} mix Go template syntax (${goFile.name}) and Handlebars (${hbFile.name}); use one language for all files`,
      'frontend.dir',
    );
  }
  return goFile ? 'go' : 'handlebars';
}
