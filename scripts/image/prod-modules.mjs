#!/usr/bin/env node
// Copies the production dependencies (what `npm ci --omit=dev` would install: every package-lock.json entry not
// marked `dev`) from the checkout's node_modules into DEST, native modules as built there. Each package is copied
// without its own node_modules folder; nested packages the lockfile lists are copied on their own, so a dev-only
// package never comes along. An optional package that is not installed (another platform's build) is left out.
// Usage: node scripts/image/prod-modules.mjs <checkout> <dest node_modules>
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const [root, dest] = process.argv.slice(2);
if (!root || !dest) throw new Error('usage: prod-modules.mjs <checkout> <dest node_modules>');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
let copied = 0;
for (const [path, entry] of Object.entries(lock.packages ?? {})) {
  if (!path.startsWith('node_modules/') || entry.dev || entry.link) continue;
  const from = join(root, path);
  if (!existsSync(from)) {
    if (entry.optional) continue;
    throw new Error(`${path} (a production dependency) is not installed: run npm ci`);
  }
  const to = join(dest, path.slice('node_modules/'.length));
  cpSync(from, to, {
    recursive: true,
    dereference: false,
    filter: (src) => {
      const rel = relative(from, src);
      return rel !== 'node_modules' && !rel.startsWith(`node_modules${sep}`) && !rel.startsWith(`.bin`);
    },
  });
  copied++;
}
process.stdout.write(`${copied}\n`);
