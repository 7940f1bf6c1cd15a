import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../lib/package-root.js';
import { createRenderer } from '../templates/render.js';
import { afterFactorPage, backupEntryPage, totpPage, webauthnPage } from './pages.js';

const frame = { issuerPath: '/dex', brand: 'Acme <SSO>' };

test('every value on the MFA pages is escaped; the only script is the same-origin WebAuthn one', () => {
  const evil = '"><script>alert(1)</script>';
  const pages = [
    totpPage(frame, { postURL: `/dex/mfa/totp?x=${evil}`, csrf: evil, invalid: true, enrol: { qrSvg: '<svg></svg>', secret: evil, issuer: evil }, backupURL: evil }),
    backupEntryPage(frame, { postURL: evil, csrf: evil, invalid: true }),
    afterFactorPage(frame, { continueURL: evil, codesLeft: 1, newCodes: [evil] }),
    webauthnPage(frame, { mode: 'login', csrf: evil, backupURL: evil }),
  ];
  for (const html of pages) {
    assert.ok(!html.includes('<script>alert'), html);
    assert.match(html, /Acme &lt;SSO&gt;/);
  }
  assert.deepEqual([...pages[3]!.matchAll(/<script[^>]*>/g)].map((m) => m[0]), ['<script src="/dex/mfa/webauthn.js">']);
  assert.match(pages[2]!, /You have 1 backup code left/);
});

test("a dex-format frontend dir with dex HEAD's MFA templates still loads (they are parsed, Ferry's pages are used)", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ferry-dex-mfa-'));
  try {
    await cp(join(packageRoot(), 'test', 'fixtures', 'dex-frontend', 'plain'), dir, { recursive: true });
    const totp = '{{ template "header.html" . }}{{ if not (eq .QRCode "") }}<img src="data:image/png;base64,{{ .QRCode }}">{{ end }}<form action="{{ .PostURL }}">{{ if .Invalid }}bad{{ end }}</form>{{ template "footer.html" . }}';
    const webauthn = '{{ template "header.html" . }}<p>{{ if eq .Mode "register" }}Register{{ else }}Use{{ end }} {{ .AuthenticatorID }}</p>{{ template "footer.html" . }}';
    await writeFile(join(dir, 'templates', 'totp_verify.html'), totp);
    await writeFile(join(dir, 'templates', 'webauthn_verify.html'), webauthn);
    const pages = await createRenderer({ dir, issuer: 'Acme', logoURL: '', theme: 'light', extra: {}, issuerPath: '/dex' });
    assert.match(pages.error({ status: 400, message: 'x' }), /x/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
