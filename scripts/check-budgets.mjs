#!/usr/bin/env node
// The house's file-size budgets: source files <= 500 lines (hard cap), non-test median <= 120,
// test files <= 800. Vocabulary/type files are exempt from the median.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
const lines = (f) => readFileSync(f, 'utf8').split('\n').length;
// Generated code (src/api/gen/, protoc-gen-es output) is exempt.
const src = walk('src').filter((f) => f.endsWith('.ts') && !f.startsWith(join('src', 'api', 'gen')));
const tests = [...src, ...walk('test')].filter((f) => f.endsWith('.test.ts'));
const code = src.filter((f) => !f.endsWith('.test.ts'));
const problems = [];
for (const f of code) if (lines(f) > 500) problems.push(`${f}: ${lines(f)} lines (hard cap 500)`);
for (const f of tests) if (lines(f) > 800) problems.push(`${f}: ${lines(f)} lines (test cap 800)`);
const sizes = code.filter((f) => !/types\.ts$/.test(f)).map(lines).sort((a, b) => a - b);
const median = sizes.length ? sizes[Math.floor(sizes.length / 2)] : 0;
if (median > 120) problems.push(`non-test median is ${median} lines (budget 120)`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`budgets ok: ${code.length} source files, median ${median} lines`);
