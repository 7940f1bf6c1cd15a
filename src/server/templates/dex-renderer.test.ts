/**
 * dex-format frontend dirs (Go html/template files, test/fixtures/dex-frontend): detection, dex's data fields and
 * functions on every page, forms with only dex's fields, and startup failures that name file and line.
 */

import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../../lib/errors.js';
import { packageRoot } from '../../lib/package-root.js';
import { createRenderer, type Renderer, type RendererOptions } from './render.js';

const fixtures = join(packageRoot(), 'test', 'fixtures', 'dex-frontend');
const options = (dir: string, theme = 'light', extra: Record<string, string> = {}): RendererOptions => ({
  dir: join(fixtures, dir), issuer: 'Acme <SSO>', logoURL: '', theme, extra, issuerPath: '/dex',
});
const connectors = [
  { id: 'local', name: 'Email', type: 'local', url: '/dex/auth/local?client_id=app&state=s1' },
  { id: 'github', name: 'GitHub', type: 'github', url: '/dex/auth/github?client_id=app&state=s1' },
  { id: 'corp', name: 'Corp SAML', type: 'saml', url: '/dex/auth/corp?client_id=app&state=s1' },
];

/** The `name` attributes of every form control on the page. */
const fieldNames = (html: string) => [...html.matchAll(/<(?:input|button|select|textarea)\b[^>]*\bname="([^"]+)"/g)].map((m) => m[1]);

describe('plain dex-format frontend (dex file names and data fields)', () => {
  let pages: Renderer;
  before(async () => {
    pages = await createRenderer(options('plain'));
  });

  test('header: issuer, asset URLs under the issuer path, logo', () => {
    const html = pages.error({ status: 400, message: 'Bad input.' });
    assert.match(html, /<title>Acme &lt;SSO&gt; sign-in<\/title>/);
    assert.match(html, /href="\/dex\/static\/main.css"/);
    assert.match(html, /href="\/dex\/theme\/styles.css"/);
    assert.match(html, /src="\/dex\/theme\/logo.png"/);
    assert.match(html, /<h1 id="err-type">Bad Request<\/h1>/);
    assert.match(html, /<p id="err-msg">Bad input.<\/p>/);
  });

  test('login: Connectors sorted by Name as dex sorts them, with ID, Name, URL, Type', () => {
    const html = pages.login({ connectors: [...connectors].reverse() });
    const names = [...html.matchAll(/Sign in with ([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(names, ['Corp SAML', 'Email', 'GitHub']);
    assert.match(html, /class="connector connector-local" href="\/dex\/auth\/local\?client_id=app&amp;state=s1"/);
  });

  test('password: dex fields only; Username refilled and escaped; Invalid; BackLink', () => {
    const html = pages.password({ postURL: '/dex/auth/local/login?client_id=app&state=s1', backLink: '/dex/auth?client_id=app', username: 'a"b<c', usernamePrompt: 'Email Address', invalid: true, csrf: 'FERRY-ONLY-TOKEN' });
    assert.deepEqual(fieldNames(html), ['login', 'password']);
    assert.ok(!html.includes('FERRY-ONLY-TOKEN'), 'no Ferry-only field or value');
    assert.match(html, /action="\/dex\/auth\/local\/login\?client_id=app&amp;state=s1"/);
    assert.match(html, /placeholder="email address" value="a&#34;b&lt;c"/);
    assert.match(html, /<p id="login-error">Wrong Email Address or password.<\/p>/);
    assert.match(html, /<a id="back" href="\/dex\/auth\?client_id=app">/);
    const fresh = pages.password({ postURL: '/dex/auth/local/login', username: '', usernamePrompt: 'Username', invalid: false, csrf: 'x' });
    assert.match(fresh, /placeholder="username" autofocus>/);
    assert.doesNotMatch(fresh, /login-error|id="back"/);
  });

  test('approval: User, Client, Scopes, AuthReqID; form fields req and approval only', () => {
    const html = pages.approval({ user: 'ada', client: 'App <1>', scopes: ['View your groups', 'View your email address'], authReqId: 'req123', hmac: 'MAC', csrf: 'CSRF', postURL: '/dex/approval' });
    assert.match(html, /<h1>Allow App &lt;1&gt;\?<\/h1>/);
    assert.match(html, /<li>View your email address<\/li><li>View your groups<\/li>/, 'scopes sorted as dex sorts them');
    assert.deepEqual(fieldNames(html), ['req', 'approval', 'req', 'approval']);
    assert.ok(!html.includes('CSRF') && !html.includes('MAC'));
  });

  test('device, device_success, oob', () => {
    const device = pages.device({ postURL: '/dex/device/auth/verify_code', userCode: 'ABCD-EFGH', invalid: true, csrf: 'CSRF' });
    assert.deepEqual(fieldNames(device), ['user_code']);
    assert.match(device, /value="ABCD-EFGH"/);
    assert.match(device, /id="code-error"/);
    assert.match(pages.deviceSuccess({ clientName: 'TV <app>' }), /<h1>TV &lt;app&gt; is now signed in<\/h1>/);
    assert.match(pages.oob({ code: 'c0de"x' }), /value="c0de&#34;x"/);
  });
});

describe('customized dex-format frontend (partials, conditionals on connector type, another layout)', () => {
  let pages: Renderer;
  before(async () => {
    pages = await createRenderer(options('custom', 'acme', { supportEmail: 'help@acme.example', passwordHint: 'Use your "AD" password' }));
  });

  test('theme dir and layout', () => {
    assert.equal(pages.theme, 'acme');
    const html = pages.login({ connectors });
    assert.match(html, /<div class="layout">\n {2}<aside class="sidebar">/);
    assert.match(html, /<title>Sign in \| ACME &lt;SSO&gt;<\/title>/);
    assert.match(html, /<a href="mailto:help@acme.example">help@acme.example<\/a>/);
    assert.match(html, /<footer>Acme Corp<\/footer>/, 'block default when extra.footerNote is unset');
  });

  test('connector buttons depend on the connector type', () => {
    const html = pages.login({ connectors });
    assert.match(html, /<p id="count">3 way\(s\) to sign in<\/p>/);
    assert.match(html, /<li data-index="0"><a class="btn" data-type="saml" href="[^"]+">Corp SAML<\/a><\/li>/);
    assert.match(html, /<li data-index="1"><a class="btn btn-password" data-type="local" [^>]+>Email \(username and password\)<\/a>/);
    assert.match(html, /<li data-index="2"><a class="btn btn-forge" data-type="github" [^>]+>Continue with GitHub<\/a>/);
    assert.match(pages.login({ connectors: [] }), /<p id="none">No sign-in methods are configured.<\/p>/);
  });

  test('password page uses extra and lower; forms carry only dex fields', () => {
    const html = pages.password({ postURL: '/dex/auth/local/login?x=1', username: '', usernamePrompt: 'Email', invalid: true, csrf: 'T' });
    assert.match(html, /<small id="hint">Use your &#34;AD&#34; password<\/small>/);
    assert.match(html, /That email and password do not match./);
    assert.deepEqual(fieldNames(html), ['login', 'password']);
  });
});

describe('templates written for dex master', () => {
  test('password.html may test ShowRememberMe and RememberMeChecked (shown with sessions on)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-dex-master-'));
    try {
      await cp(join(fixtures, 'plain'), dir, { recursive: true });
      await writeFile(join(dir, 'templates', 'password.html'), '<form>{{ if .ShowRememberMe }}<input name="remember_me"{{ if .RememberMeChecked }} checked{{ end }}>{{ end }}</form>');
      const pages = await createRenderer({ ...options('plain'), dir });
      assert.equal(pages.password({ postURL: '/dex/x', usernamePrompt: 'U', invalid: false, csrf: '' }), '<form></form>', 'sessions off: no box');
      const on = { postURL: '/dex/x', usernamePrompt: 'U', invalid: false, csrf: '', showRememberMe: true };
      assert.equal(pages.password({ ...on, rememberMeChecked: true }), '<form><input name="remember_me" checked></form>');
      assert.equal(pages.password({ ...on, rememberMeChecked: false }), '<form><input name="remember_me"></form>');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('format detection', () => {
  test("Ferry's built-in pages stay Handlebars", async () => {
    const pages = await createRenderer({ issuer: 'Acme', logoURL: '', theme: 'light', extra: {}, issuerPath: '/dex' });
    assert.match(pages.password({ postURL: '/dex/x', usernamePrompt: 'U', invalid: false, csrf: 'tok' }), /name="csrf_token" value="tok"/);
  });
});

describe('startup failures name the file and line', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-dex-frontend-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  async function failure(file: string, source: string): Promise<string> {
    const copy = join(dir, `case-${Math.random().toString(36).slice(2)}`);
    await cp(join(fixtures, 'plain'), copy, { recursive: true });
    await writeFile(join(copy, 'templates', file), source);
    const err = await createRenderer({ ...options('plain'), dir: copy }).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${String(err)}`);
    assert.equal(err.issues[0]!.path, 'frontend.dir');
    return err.message;
  }

  test('unknown function', async () => {
    assert.match(await failure('password.html', '{{ template "header.html" . }}\n<p>\n{{ .UsernamePrompt | shout }}</p>'), /password\.html:3: function "shout" not defined/);
  });

  test('syntax error', async () => {
    assert.match(await failure('login.html', '{{ range .Connectors }}\n{{ .Name }}\n'), /login\.html:1: unexpected EOF: \{\{range\}\} has no \{\{end\}\}/);
  });

  test('a field dex does not pass, found by the trial render', async () => {
    assert.match(await failure('error.html', '<h1>{{ .ErrType }}</h1>\n\n<p>{{ .ErrCode }}</p>'), /error\.html:3: can't evaluate field ErrCode in type struct/);
  });

  test('a field inside a partial, reported where it is', async () => {
    assert.match(await failure('footer.html', '</main>\n{{ .Connectors }}\n</body>'), /footer\.html:2: can't evaluate field Connectors/);
  });

  test('an empty page (only a define)', async () => {
    assert.match(await failure('device.html', '{{ define "unused" }}x{{ end }}'), /missing or empty template\(s\) in .*: device\.html/);
  });

  test('a missing page', async () => {
    const copy = join(dir, 'missing');
    await cp(join(fixtures, 'plain'), copy, { recursive: true });
    await rm(join(copy, 'templates', 'oob.html'));
    await assert.rejects(createRenderer({ ...options('plain'), dir: copy }), /missing or empty template\(s\) in .*: oob\.html/);
  });

  test('Go and Handlebars mixed', async () => {
    assert.match(await failure('oob.html', '{{> header}}<p>{{code}}</p>{{> footer}}'), /mix Go template syntax \(\w+\.html\) and Handlebars \(oob\.html\)/);
  });
});
