#!/usr/bin/env node
// `npm test`: lint, typecheck, file-size budgets, then every test file with node's test runner.
// Peers that the tests need are started by the tests' own helpers (test/peers/*), once per run.
// Options: `node scripts/test.mjs [--only <substring>] [--no-lint]`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : '';
const skipStatic = args.includes('--no-lint');

function run(title, cmd, cmdArgs) {
  console.log(`\n== ${title}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${title} failed (exit ${r.status ?? r.signal})`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

run('peers', 'bash', ['scripts/peers/install.sh']);
if (!skipStatic) {
  run('lint', 'npx', ['eslint', '.']);
  run('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']);
  run('budgets', process.execPath, ['scripts/check-budgets.mjs']);
}

const files = ['src', 'test']
  .flatMap((d) => walk(d))
  .filter((f) => f.endsWith('.test.ts') && f.includes(only))
  .sort();
run('tests', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files]);
