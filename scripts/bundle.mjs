#!/usr/bin/env node
// Bundles the `ferry` command into dist/bundle/ with esbuild (code-split, so lazily imported backends, connectors
// and the gRPC API stay in chunks loaded only when used). One bundle loads and compiles faster and uses less memory
// than ~300 separate modules. Native and optional drivers stay external and load from node_modules.
// Whitespace and syntax are minified (identifiers are not, so stack traces keep their names): V8 keeps every loaded
// chunk's source text in memory, as two bytes per character as soon as one character of a chunk is outside Latin-1
// (a '—' in a kept comment is enough). Minified, the comments go and the text is one byte per character: about
// 6 MiB less resident memory for an idle `ferry serve` (issue 13 item 6; bench/README.md).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/bundle', { recursive: true, force: true }); // no stale chunks of an earlier build

await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist/bundle',
  logLevel: 'warning',
  legalComments: 'none',
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  external: ['better-sqlite3', '@node-rs/bcrypt', 'pg', 'mysql2', 'etcd3', 'pino', 'handlebars'],
  banner: { js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);" },
});
