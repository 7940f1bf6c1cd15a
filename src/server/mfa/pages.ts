/**
 * The MFA pages: Ferry's own, built in (a dex v2.45.1 frontend dir has no MFA pages; dex HEAD's `totp_verify.html`
 * and `webauthn_verify.html` in an operator's dir are left alone). They share the login pages' layout classes and
 * stylesheets (`static/main.css`, the theme's `styles.css`), so a theme styles them too. Every value is escaped.
 * The QR code is inline SVG (no image source for a CSP to allow); the only script is the WebAuthn one, served from
 * `/mfa/webauthn.js` (same origin, no inline script).
 */

import { escapeHtml as esc } from '../../lib/html-escape.js';

export interface PageFrame {
  issuerPath: string;
  /** Display name (`frontend.issuer`). */
  brand: string;
}

function layout(f: PageFrame, title: string, body: string, script = ''): string {
  const asset = (p: string) => esc(`${f.issuerPath}/${p}`);
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>${esc(title)} · ${esc(f.brand)}</title>
    <link rel="stylesheet" href="${asset('static/main.css')}">
    <link rel="stylesheet" href="${asset('theme/styles.css')}">
  </head>
  <body>
    <div class="page">
      <header class="brand"><span class="brand__name">${esc(f.brand)}</span></header>
      <main id="main" class="card">
${body}
      </main>
    </div>${script ? `\n    <script src="${asset(script)}"></script>` : ''}
  </body>
</html>
`;
}

const alert = (id: string, text: string) => `<div id="${id}" class="alert alert--error" role="alert"><p>${esc(text)}</p></div>`;
const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
const link = (href: string, text: string, id: string) => `<p class="card__aside"><a class="link" id="${id}" href="${esc(href)}">${esc(text)}</a></p>`;

export interface TOTPPage {
  postURL: string;
  csrf: string;
  /** Shown while the secret is not confirmed yet (enrolment): the QR code (SVG markup) and the secret in text. */
  enrol?: { qrSvg: string; secret: string; issuer: string };
  invalid: boolean;
  /** Link to enter a backup code instead; absent when the user has none. */
  backupURL?: string;
}

export function totpPage(f: PageFrame, p: TOTPPage): string {
  const intro = p.enrol
    ? `<p class="card__lead">Scan this QR code with your authenticator app, then enter the code it shows.</p>
<div class="qr" id="totp-qr" role="img" aria-label="QR code">${p.enrol.qrSvg}</div>
<p>Or enter this key by hand (${esc(p.enrol.issuer)}): <code id="totp-secret">${esc(p.enrol.secret)}</code></p>`
    : '<p class="card__lead">Enter the code from your authenticator app.</p>';
  const body = `<h1 class="card__title">Two-factor authentication</h1>
${intro}
${p.invalid ? alert('login-error', 'Invalid code. Please try again.') : ''}
<form class="form" method="post" action="${esc(p.postURL)}">
  ${hidden('csrf_token', p.csrf)}
  <div class="field">
    <label class="field__label" for="totp">One-time code</label>
    <input class="field__input" id="totp" name="totp" type="text" inputmode="numeric" pattern="[0-9 ]*" maxlength="7"
      autocomplete="one-time-code" required autofocus>
  </div>
  <div class="field field--check"><label class="field__check"><input type="checkbox" id="regenerate_backup_codes" name="regenerate_backup_codes"> Make new backup codes</label></div>
  <button class="btn btn--primary" id="submit-login" type="submit">Verify</button>
</form>
${p.backupURL ? link(p.backupURL, 'Use a backup code instead', 'use-backup-code') : ''}`;
  return layout(f, 'Two-factor authentication', body);
}

export function webauthnPage(f: PageFrame, p: { mode: 'register' | 'login'; csrf: string; backupURL?: string }): string {
  const register = p.mode === 'register';
  const body = `<h1 class="card__title">${register ? 'Register a security key or passkey' : 'Two-factor authentication'}</h1>
<p class="card__lead">${register ? 'Register a security key or passkey as your second factor.' : 'Use your security key or passkey to continue.'}</p>
<div id="webauthn-error" class="alert alert--error" role="alert" hidden></div>
<div id="webauthn" data-mode="${p.mode}" data-csrf="${esc(p.csrf)}"></div>
<div class="field field--check"><label class="field__check"><input type="checkbox" id="regenerate_backup_codes"> Make new backup codes</label></div>
<button class="btn btn--primary" id="webauthn-btn" type="button">${register ? 'Register security key' : 'Use security key'}</button>
<section id="backup-codes" hidden></section>
${p.backupURL ? link(p.backupURL, 'Use a backup code instead', 'use-backup-code') : ''}`;
  return layout(f, 'Two-factor authentication', body, 'mfa/webauthn.js');
}

export function backupEntryPage(f: PageFrame, p: { postURL: string; csrf: string; invalid: boolean }): string {
  const body = `<h1 class="card__title">Use a backup code</h1>
<p class="card__lead">Enter one of the backup codes you saved. Each code works once.</p>
${p.invalid ? alert('login-error', 'Invalid or already used backup code.') : ''}
<form class="form" method="post" action="${esc(p.postURL)}">
  ${hidden('csrf_token', p.csrf)}
  <div class="field">
    <label class="field__label" for="backup_code">Backup code</label>
    <input class="field__input" id="backup_code" name="backup_code" type="text" autocomplete="off" autocapitalize="none" spellcheck="false" required autofocus>
  </div>
  <div class="field field--check"><label class="field__check"><input type="checkbox" id="regenerate_backup_codes" name="regenerate_backup_codes"> Make new backup codes</label></div>
  <button class="btn btn--primary" id="submit-login" type="submit">Verify</button>
</form>`;
  return layout(f, 'Use a backup code', body);
}

/** After a factor passed: what to say (codes left, new codes to save), then a link on. */
export function afterFactorPage(f: PageFrame, p: { continueURL: string; codesLeft?: number; newCodes?: string[] }): string {
  const left = p.codesLeft === undefined ? '' : `<p id="codes-left">Backup code accepted. You have ${p.codesLeft} backup code${p.codesLeft === 1 ? '' : 's'} left.</p>`;
  const codes = p.newCodes
    ? `<p>Save these backup codes somewhere safe. Each works once in place of your second factor. They are shown only now.</p>
<ul class="backup-codes" id="new-backup-codes">${p.newCodes.map((c) => `<li><code>${esc(c)}</code></li>`).join('')}</ul>`
    : '';
  const body = `<h1 class="card__title">${p.newCodes ? 'Your backup codes' : 'Verified'}</h1>
${left}
${codes}
<p><a class="btn btn--primary" id="continue" href="${esc(p.continueURL)}">Continue</a></p>`;
  return layout(f, p.newCodes ? 'Your backup codes' : 'Verified', body);
}
