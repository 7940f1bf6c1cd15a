/**
 * Regular expressions against hostile input (issue 12 item 2: `Basic` + 16,000 spaces + `!` held the event loop for
 * ~137 ms in client authentication).
 *
 * 1. Structural: every regular-expression literal in the request-facing code (src/server, src/api, the connectors
 *    that read request or upstream data) is pumped with worst-case inputs (its leading literal, then one character
 *    repeated, then a character that makes the match fail) at two sizes; the work must grow linearly (10x input →
 *    well under 100x time). A new ambiguous pattern anywhere there fails this test. `new RegExp` is allowed only
 *    where the pattern comes from the operator's config (listed below).
 * 2. The exact attack request is answered 401 invalid_client.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';
import { startTestFerry, type TestFerry } from '../../helpers/ferry.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SCANNED = ['src/server', 'src/api', 'src/connectors'];

/** `new RegExp(...)` sites: each compiles an operator-written config value, never request data. */
const DYNAMIC_ALLOWED = new Set([
  'src/connectors/oidc/connector.ts', // connectors[].config.groupsFilter (operator's pattern over upstream groups)
  'src/connectors/oidc/config.ts', // validating that same key at load time
]);

/**
 * Patterns applied only to operator config, never to request or upstream data (each checked by hand): they may be
 * super-linear on inputs no attacker controls.
 */
const CONFIG_ONLY = new Set([
  'src/server/templates/asset-url.ts /\\/+$/', // issuer path from config
  'src/server/http/issuer-path.ts /\\/+$/', // issuer from config
  'src/server/templates/dex-renderer.ts /\\/+$/', // issuer path from config
  'src/connectors/microsoft/config.ts /\\/+$/',
  'src/connectors/keystone/config.ts /\\/+$/',
  'src/connectors/openshift/config.ts /\\/+$/',
  'src/connectors/gitlab/config.ts /\\/+$/',
  'src/connectors/gitea/config.ts /\\/+$/',
  'src/connectors/atlassian-crowd/config.ts /\\/+$/',
  // connectors[].config.ca/caData of a SAML connector: super-linear on long blank runs, but config-only
  'src/connectors/saml/certificates.ts /-----BEGIN CERTIFICATE-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END CERTIFICATE-----/g',
]);

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return name === 'gen' ? [] : files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

interface Found { file: string; regex: RegExp; text: string }

function scan(): { literals: Found[]; dynamic: string[] } {
  const literals: Found[] = [];
  const dynamic: string[] = [];
  for (const file of SCANNED.flatMap(files)) {
    const src = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText(src);
        const end = text.lastIndexOf('/');
        const flags = text.slice(end + 1).replace(/[gy]/g, '');
        literals.push({ file, text, regex: new RegExp(text.slice(1, end), flags) });
      }
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText(src) === 'RegExp') dynamic.push(file);
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  return { literals, dynamic };
}

/** The literal text a pattern starts with (after `^`), so the pump reaches the quantified part. */
function leadingLiteral(source: string): string {
  let out = '';
  let i = source.startsWith('^') ? 1 : 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (c === '\\' && /[^A-Za-z0-9]/.test(source[i + 1] ?? '')) { out += source[i + 1]; i += 2; continue; }
    if (!/[A-Za-z0-9 :_,=<>!#%&'"@~`;-]/.test(c)) break;
    out += c;
    i++;
  }
  return out;
}

const PUMP = [' ', '\t', '\n', 'a', 'Z', '0', '1', '=', '.', '-', '_', '/', '+', ':', ',', '<', '%', '\\', '$', '[', '*', '"', '&'];
const FAIL = ['!', '\u0000', '\n'];

function time(regex: RegExp, input: string): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    regex.lastIndex = 0;
    regex.exec(input);
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/**
 * Worst observed growth for a 10x longer input; linear ≈ 10, quadratic ≈ 100. Tiny timings are noise: floored. A
 * pattern already slow on the small input (cubic or worse) is reported without running the large one.
 */
function growth(regex: RegExp): { ratio: number; input: string } {
  const prefix = leadingLiteral(regex.source);
  let worst = { ratio: 0, input: '' };
  for (const p of PUMP) {
    for (const f of FAIL) {
      const small = time(regex, prefix + p.repeat(1_000) + f);
      const large = small > 20 ? Infinity : time(regex, prefix + p.repeat(10_000) + f);
      const ratio = large < 2 ? 1 : large / Math.max(small, 0.05);
      if (ratio > worst.ratio) worst = { ratio, input: `${JSON.stringify(prefix)} + ${JSON.stringify(p)}×n + ${JSON.stringify(f)}` };
    }
  }
  return worst;
}

describe('regular expressions that see request data scale linearly', () => {
  const { literals, dynamic } = scan();

  test('the scan finds the request-facing patterns (and the pump catches the old Basic pattern)', () => {
    assert.ok(literals.length > 30, `found ${literals.length}`);
    assert.ok(literals.some((l) => l.file === 'src/server/userinfo/userinfo.ts'));
    const old = growth(/^basic[ \t]+([A-Za-z0-9+/]*={0,2})[ \t]*$/i);
    assert.ok(old.ratio > 30, `the quadratic pattern is detected (ratio ${old.ratio.toFixed(1)})`);
  });

  test('new RegExp only compiles operator config', () => {
    assert.deepEqual([...new Set(dynamic)].filter((f) => !DYNAMIC_ALLOWED.has(f)), []);
  });

  test('every literal grows linearly on worst-case inputs', () => {
    const bad: string[] = [];
    for (const l of literals) {
      if (CONFIG_ONLY.has(`${relative('.', l.file)} ${l.text}`)) continue;
      const g = growth(l.regex);
      if (g.ratio > 40) bad.push(`${l.file} ${l.text}: 10x input → ${g.ratio.toFixed(0)}x time on ${g.input}`);
    }
    assert.deepEqual(bad, []);
  });
});

describe('the Basic-header attack request', () => {
  let f: TestFerry;
  before(async () => {
    f = await startTestFerry((issuer, listen) => `
issuer: ${issuer}
storage: { type: memory }
web: { http: '${listen}' }
connectors: [{ type: mockCallback, id: cb, name: Callback }]
staticClients: [{ id: app, secret: s3cret, name: App, redirectURIs: ['https://app.example.com/cb'] }]
`);
  });
  after(() => f?.stop());

  test('Basic + 16,000 spaces + ! is 401 invalid_client with a Basic challenge', async () => {
    const res = await fetch(`${f.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic${' '.repeat(16_000)}!` },
      body: 'grant_type=authorization_code&code=x&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb',
    });
    assert.equal(res.status, 401);
    assert.equal(((await res.json()) as { error?: string }).error, 'invalid_client');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Basic /);
  });

  test('the same shape with a tab and trailing blanks around valid credentials still authenticates the client', async () => {
    const creds = Buffer.from('app:s3cret').toString('base64');
    const res = await fetch(`${f.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `basic \t${creds} \t` },
      body: 'grant_type=authorization_code&code=unknown&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb',
    });
    assert.equal(((await res.json()) as { error?: string }).error, 'invalid_grant', 'past client authentication');
  });
});
