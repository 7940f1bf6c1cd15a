import { cp, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../lib/errors.js';
import { assetUrl, safeHref } from './asset-url.js';
import { createRenderer, webRoot, type Renderer, type RendererOptions } from './render.js';

const base: RendererOptions = { issuer: 'Acme Corp', logoURL: '', theme: 'light', extra: {}, issuerPath: '/dex' };
const evil = '<script>alert(1)</script>';
const escapedEvil = '&lt;script&gt;alert(1)&lt;/script&gt;';

/** Structural accessibility checks every page must pass. */
function assertAccessible(html: string): void {
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<html lang="en"/);
  assert.equal(html.match(/<h1[\s>]/g)?.length, 1, 'exactly one <h1>');
  assert.equal(html.match(/<main[\s>]/g)?.length, 1, 'exactly one <main>');
  assert.match(html, /Powered by <span[^>]*>Ferry<\/span>/);
  const fields = [...html.matchAll(/<(input|textarea)\b([^>]*)>/g)].filter(([, , attrs]) => !/type="hidden"/.test(attrs!));
  for (const [, , attrs] of fields) {
    const id = /\bid="([^"]+)"/.exec(attrs!)?.[1];
    assert.ok(id, `field without id: ${attrs}`);
    assert.match(html, new RegExp(`<label[^>]*for="${id}"`), `no <label for="${id}">`);
  }
  for (const form of html.match(/<form[\s\S]*?<\/form>/g) ?? []) {
    assert.match(form, /<input type="hidden" name="csrf_token" value="[^"]*">/, 'form without csrf_token');
    assert.match(form, /method="post"/);
  }
  assert.doesNotMatch(html, /<script/i, 'pages need no JavaScript');
}

describe('createRenderer with the built-in web/ folder', () => {
  let pages: Renderer;
  before(async () => {
    pages = await createRenderer(base);
  });

  test('webRoot() is the repo web/ folder and holds every template', () => {
    const root = webRoot();
    assert.equal(pages.root, root);
    for (const name of ['login', 'password', 'approval', 'oob', 'error', 'device', 'device_success', 'header', 'footer']) {
      assert.ok(existsSync(join(root, 'templates', `${name}.html`)), name);
    }
    assert.ok(existsSync(join(root, 'robots.txt')));
    assert.equal(webRoot('some/dir'), join(process.cwd(), 'some/dir'));
  });

  test('login lists one link per connector with its icon, in the given order', () => {
    const html = pages.login({
      connectors: [
        { id: 'github', name: 'GitHub', type: 'github', url: '/dex/auth/github?state=a' },
        { id: 'ldap', name: 'Corp LDAP', type: 'ldap', url: '/dex/auth/ldap?state=a' },
      ],
    });
    assertAccessible(html);
    assert.match(html, /<h1[^>]*>Log in to Acme Corp<\/h1>/);
    assert.match(html, /href="\/dex\/auth\/github\?state&#x3D;a"/);
    assert.match(html, /provider-icon--github/);
    assert.match(html, /provider-icon--ldap/);
    assert.ok(html.indexOf('Log in with GitHub') < html.indexOf('Log in with Corp LDAP'));
    assert.match(html, /<title>Log in · Acme Corp<\/title>/);
  });

  test('login with no connectors says so', () => {
    assert.match(pages.login({ connectors: [] }), /No login methods are configured/);
  });

  test('login escapes connector names and neutralises javascript: links', () => {
    const html = pages.login({ connectors: [{ id: 'x', name: evil, type: 'oidc', url: 'java\tscript:alert(1)' }] });
    assert.ok(html.includes(escapedEvil));
    assert.ok(!html.includes(evil));
    assert.match(html, /href="#"/);
  });

  test('password form: fields, labels, autocomplete, csrf, back link', () => {
    const html = pages.password({
      postURL: '/dex/auth/local/login?state=abc',
      backLink: '/dex/auth?client_id=x',
      username: '',
      usernamePrompt: 'Email Address',
      invalid: false,
      csrf: 'csrf-123',
    });
    assertAccessible(html);
    assert.match(html, /<form class="form" method="post" action="\/dex\/auth\/local\/login\?state&#x3D;abc">/);
    assert.match(html, /<label class="field__label" for="login">Email Address<\/label>/);
    assert.match(html, /<label class="field__label" for="password">Password<\/label>/);
    assert.match(html, /name="login"[^>]*autocomplete="username"/);
    assert.match(html, /name="password" type="password"[^>]*autocomplete="current-password"/);
    assert.match(html, /name="csrf_token" value="csrf-123"/);
    assert.match(html, /href="\/dex\/auth\?client_id&#x3D;x"/);
    assert.doesNotMatch(html, /role="alert"/);
    assert.doesNotMatch(html, /aria-invalid/);
  });

  test('password form: invalid state is announced and linked to the inputs', () => {
    const html = pages.password({ postURL: '/p', username: 'kim', usernamePrompt: 'Username', invalid: true, csrf: 'c' });
    assert.match(html, /<div id="login-error" class="alert alert--error" role="alert">\s*<p>Invalid Username and password\.<\/p>/);
    assert.equal(html.match(/aria-describedby="login-error"/g)?.length, 2);
    assert.match(html, /value="kim"/);
    assert.doesNotMatch(html, /Choose another login method/, 'no back link when none given');
  });

  test('password form defaults the prompt to Username and escapes the username', () => {
    const html = pages.password({ postURL: '/p', username: `"><img src=x onerror=alert(1)>${evil}`, invalid: false, csrf: '' });
    assert.match(html, /for="login">Username</);
    assert.ok(html.includes(`value="&quot;&gt;&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;${escapedEvil}"`));
    assert.ok(!html.includes('<img src=x'));
  });

  test('approval: client, user, scopes and the grant/cancel form', () => {
    const html = pages.approval({
      user: 'Jane Doe',
      client: 'Example App',
      scopes: pages.scopeDescriptions(['openid', 'email', 'offline_access']),
      authReqId: 'req-1',
      hmac: 'mac-1',
      csrf: 'tok',
      postURL: '/dex/approval',
    });
    assertAccessible(html);
    assert.match(html, /<strong class="em">Example App<\/strong> wants to access your account/);
    assert.match(html, /Signed in as<\/span> <span class="identity__name">Jane Doe</);
    assert.match(html, /<li class="scopes__item">Have offline access<\/li>\s*<li class="scopes__item">View your email address<\/li>/);
    assert.match(html, /<input type="hidden" name="req" value="req-1">/);
    assert.match(html, /<input type="hidden" name="hmac" value="mac-1">/);
    assert.match(html, /<button[^>]*type="submit" name="approval" value="approve">Grant access<\/button>/);
    assert.match(html, /<button[^>]*type="submit" name="approval" value="rejected">Cancel<\/button>/);
    assert.match(html, /action="\/dex\/approval"/);
  });

  test('approval escapes client and user names; empty scope list is explained', () => {
    const html = pages.approval({ user: evil, client: evil, scopes: [], authReqId: 'r', hmac: 'h', csrf: 'c' });
    assert.ok(!html.includes(evil));
    assert.equal(html.split(escapedEvil).length - 1, 3, 'client twice, user once, all escaped');
    assert.match(html, /has not requested any personal information/);
  });

  test('oob shows the code in a labelled read-only field', () => {
    const html = pages.oob({ code: 'abc123def' });
    assertAccessible(html);
    assert.match(html, /<label class="field__label" for="code">Your code<\/label>/);
    assert.match(html, /id="code"[^>]*readonly[^>]*>abc123def<\/textarea>/);
  });

  test('error shows the status text and an escaped message', () => {
    const html = pages.error({ status: 400, message: `Bad redirect ${evil}` });
    assertAccessible(html);
    assert.match(html, /<h1 class="card__title">Bad Request<\/h1>/);
    assert.match(html, /role="alert"/);
    assert.ok(html.includes(`Bad redirect ${escapedEvil}`));
    assert.ok(!html.includes(evil));
    assert.match(pages.error({ status: 500, message: 'x' }), /<h1 class="card__title">Internal Server Error<\/h1>/);
    assert.match(pages.error({ status: 799, message: 'x' }), /<h1 class="card__title">Error<\/h1>/);
  });

  test('device page: user code field, invalid state, csrf', () => {
    const ok = pages.device({ postURL: '/dex/device/auth/verify_code', userCode: 'ABCD-EFGH', invalid: false, csrf: 'c1' });
    assertAccessible(ok);
    assert.match(ok, /<label class="field__label" for="user_code">User code<\/label>/);
    assert.match(ok, /name="user_code"[\s\S]*value="ABCD-EFGH"/);
    assert.doesNotMatch(ok, /role="alert"/);
    const bad = pages.device({ postURL: '/p', userCode: evil, invalid: true, csrf: 'c1' });
    assert.match(bad, /role="alert">\s*<p>Invalid or expired user code\.<\/p>/);
    assert.match(bad, /aria-describedby="user-code-error user-code-help"/);
    assert.ok(!bad.includes(evil));
  });

  test('device success names the client, escaped', () => {
    const html = pages.deviceSuccess({ clientName: 'CLI <b>' });
    assertAccessible(html);
    assert.match(html, /Login successful for CLI &lt;b&gt;/);
  });

  test('asset links sit under the issuer path; the default logo is theme/logo.png', () => {
    const html = pages.oob({ code: 'x' });
    assert.match(html, /<link rel="stylesheet" href="\/dex\/static\/main.css">/);
    assert.match(html, /<link rel="stylesheet" href="\/dex\/theme\/styles.css">/);
    assert.match(html, /<link rel="icon" href="\/dex\/theme\/favicon.png">/);
    assert.match(html, /<img class="brand__logo" src="\/dex\/theme\/logo.png"/);
    assert.match(html, /data-theme="light"/);
    assert.match(html, /<span class="brand__name">Acme Corp<\/span>/);
  });

  test('scopeDescriptions keeps dex\'s four, sorted, without duplicates', () => {
    assert.deepEqual(pages.scopeDescriptions(['groups', 'openid', 'profile', 'email', 'offline_access', 'email', 'audience:server:client_id:x', 'constructor']), [
      'Have offline access',
      'View basic profile information',
      'View your email address',
      'View your groups',
    ]);
    assert.deepEqual(pages.scopeDescriptions(['openid']), []);
  });
});

describe('themes', () => {
  test('theme: dark selects the dark theme folder and colour scheme', async () => {
    const pages = await createRenderer({ ...base, theme: 'dark' });
    assert.equal(pages.theme, 'dark');
    assert.equal(pages.themeDir, join(webRoot(), 'themes', 'dark'));
    const html = pages.error({ status: 404, message: 'gone' });
    assert.match(html, /<html lang="en" data-theme="dark">/);
    assert.match(html, /<meta name="color-scheme" content="dark">/);
    for (const file of ['styles.css', 'logo.png', 'favicon.png']) assert.ok(existsSync(join(pages.themeDir, file)), file);
  });

  test('empty and legacy theme names fall back to light', async () => {
    for (const theme of ['', 'coreos', 'tectonic']) {
      const pages = await createRenderer({ ...base, theme });
      assert.equal(pages.theme, 'light');
      assert.match(pages.oob({ code: 'x' }), /data-theme="light"/);
    }
  });

  test('an unknown theme or a path-like theme name fails startup', async () => {
    await assert.rejects(createRenderer({ ...base, theme: 'neon' }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /theme "neon" not found/);
      return true;
    });
    await assert.rejects(createRenderer({ ...base, theme: '../light' }), ConfigError);
  });
});

describe('custom frontend dir', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-web-'));
    await cp(webRoot(), dir, { recursive: true });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('helpers: url maps paths under the issuer path, logo, issuer and extra', async () => {
    await writeFile(
      join(dir, 'templates', 'oob.html'),
      '{{url "static/main.css"}}|{{url "theme/logo.svg"}}|{{url "./static/a b.png"}}|{{url "https://cdn.example/x.css"}}|' +
        '{{url "/abs/x"}}|{{url "/dex/auth" "static/old-style.css"}}|{{logo}}|{{issuer}}|{{extra "tagline"}}|{{extra "missing"}}|{{extra "toString"}}|{{code}}',
    );
    const pages = await createRenderer({
      ...base,
      dir,
      issuer: 'Big & Co',
      issuerPath: '/dex/',
      logoURL: 'https://cdn.example/logo.png',
      extra: { tagline: '<b>hi</b>' },
    });
    assert.equal(pages.root, dir);
    assert.equal(
      pages.oob({ code: '<i>' }),
      '/dex/static/main.css|/dex/theme/logo.svg|/dex/static/a b.png|https://cdn.example/x.css|' +
        '/abs/x|/dex/static/old-style.css|https://cdn.example/logo.png|Big &amp; Co|&lt;b&gt;hi&lt;/b&gt;|||&lt;i&gt;',
    );
    const root = await createRenderer({ ...base, dir, issuerPath: '' });
    assert.equal(root.oob({ code: '' }).split('|')[0], '/static/main.css');
  });

  test('a missing required template fails startup naming the file', async () => {
    await unlink(join(dir, 'templates', 'device_success.html'));
    await assert.rejects(createRenderer({ ...base, dir }), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, /missing template\(s\) in .*: device_success\.html/);
      return true;
    });
  });

  test('a template that does not parse fails startup naming the file', async () => {
    await writeFile(join(dir, 'templates', 'device_success.html'), '{{#if x}}never closed');
    await assert.rejects(createRenderer({ ...base, dir }), /template device_success\.html in .* does not parse/);
  });

  test('a dir without a templates folder fails startup', async () => {
    const bare = join(dir, 'bare');
    await mkdir(join(bare, 'themes', 'light'), { recursive: true });
    await assert.rejects(createRenderer({ ...base, dir: bare }), /cannot read templates directory .*bare\/templates: ENOENT/);
  });
});

describe('assetUrl and safeHref', () => {
  test('assetUrl', () => {
    assert.equal(assetUrl('/dex', 'static/main.css'), '/dex/static/main.css');
    assert.equal(assetUrl('/', 'theme/logo.png'), '/theme/logo.png');
    assert.equal(assetUrl('', 'theme/logo.png'), '/theme/logo.png');
    assert.equal(assetUrl('/dex', '//cdn.example/a.png'), '//cdn.example/a.png');
    assert.equal(assetUrl('/dex', 'data:image/png;base64,AA=='), 'data:image/png;base64,AA==');
  });

  test('safeHref keeps http(s) and relative links and drops other schemes', () => {
    assert.equal(safeHref('/dex/auth?x=1'), '/dex/auth?x=1');
    assert.equal(safeHref('https://idp.example/login'), 'https://idp.example/login');
    assert.equal(safeHref('login?state=1'), 'login?state=1');
    assert.equal(safeHref(undefined), '');
    assert.equal(safeHref('JavaScript:alert(1)'), '#');
    assert.equal(safeHref(' \njavascript:alert(1)'), '#');
    assert.equal(safeHref('data:text/html,x'), '#');
  });
});
