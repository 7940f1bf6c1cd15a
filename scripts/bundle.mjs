#!/usr/bin/env node
// Bundles the `ferry` command into dist/bundle/ with esbuild (code-split, so lazily imported backends, connectors
// and the gRPC API stay in chunks loaded only when used). One bundle loads and compiles faster and uses less memory
// than ~300 separate modules. Native and optional drivers stay external and load from node_modules.
import { build } from 'esbuild';

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
  external: ['better-sqlite3', '@node-rs/bcrypt', 'pg', 'mysql2', 'etcd3', 'pino', 'handlebars'],
  banner: { js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url);" },
});
