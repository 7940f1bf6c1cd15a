/**
 * The signed-in user's home page at the issuer URL (docs/devices.md): Ferry's own HTML, every value escaped.
 * Each action is a form POST to `<issuer>/home/<action>` carrying the session's CSRF token (home-csrf.ts).
 */

import { escapeHtml as esc } from '../../lib/html-escape.js';
import type { HomeApp, HomeDevice, HomeSession, HomeView } from './home-data.js';

export const HOME_ACTIONS = ['sign-out', 'sign-out-everywhere', 'revoke-app', 'revoke-device'] as const;
export type HomeAction = (typeof HOME_ACTIONS)[number];

export interface PageContext {
  issuer: string;
  /** `<issuer path>/home/`, where the actions are posted. */
  actionBase: string;
  csrf: string;
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #ddd;vertical-align:top}
form{display:inline}button{cursor:pointer}.tag{font-size:.8em;background:#e6f0ff;border-radius:.3rem;padding:0 .3rem}
section{margin-bottom:2rem}.muted{color:#666}`;

const time = (d: Date | null): string => {
  if (d === null || d.getTime() <= 0) return '<span class="muted">unknown</span>';
  const iso = d.toISOString();
  return `<time datetime="${esc(iso)}">${esc(iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}</time>`;
};

const form = (ctx: PageContext, action: HomeAction, label: string, fields: Record<string, string> = {}, aria = label): string =>
  `<form method="post" action="${esc(ctx.actionBase + action)}"><input type="hidden" name="csrf" value="${esc(ctx.csrf)}">` +
  Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('') +
  `<button type="submit" aria-label="${esc(aria)}">${esc(label)}</button></form>`;

function who(v: HomeView): string {
  const c = v.claims;
  const rows: Array<[string, string]> = [
    ['Name', esc(c.username)],
    ['Email', c.email ? `${esc(c.email)}${c.emailVerified ? ' <span class="tag">verified</span>' : ''}` : ''],
    ['Username', esc(c.preferredUsername)],
    ['Groups', esc(c.groups.join(', '))],
    ['Signed in with', esc(v.connectorId)],
  ];
  return `<section id="who"><h2>Who you are</h2><table>${rows.filter(([, x]) => x !== '').map(([k, x]) => `<tr><th>${k}</th><td>${x}</td></tr>`).join('')}</table></section>`;
}

const sessionRow = (s: HomeSession): string =>
  `<tr class="session"${s.current ? ' aria-current="true"' : ''}><td>${s.current ? '<span class="tag">this browser</span> ' : ''}${esc(s.userAgent || 'unknown browser')}</td>` +
  `<td>${esc(s.ipAddress)}</td><td>${time(s.createdAt)}</td><td>${time(s.lastActivity)}</td></tr>`;

function sessions(v: HomeView, ctx: PageContext): string {
  return `<section id="sessions"><h2>Your sessions</h2><table><tr><th>Browser</th><th>Address</th><th>Signed in</th><th>Last active</th></tr>` +
    `${v.sessions.map(sessionRow).join('')}</table><p>${form(ctx, 'sign-out', 'Sign out here')} ${form(ctx, 'sign-out-everywhere', 'Sign out everywhere')}</p>` +
    `<p class="muted">Signing out tells every application signed in through these sessions. Applications keep offline access until you revoke them below.</p></section>`;
}

const deviceLabel = (d: HomeDevice): string =>
  d.session === null ? 'Signed in without a browser session (or from a session that has ended)'
    : `${d.session.current ? '<span class="tag">this browser</span> ' : ''}${esc(d.session.userAgent || 'unknown browser')}`;

function app(a: HomeApp, ctx: PageContext): string {
  const devices = a.devices.map((d) =>
    `<tr class="device"><td>${deviceLabel(d)}</td><td>${time(d.createdAt)}</td><td>${time(d.lastUsed)}</td>` +
    `<td>${form(ctx, 'revoke-device', 'Revoke this device', { id: d.id }, `Revoke device ${d.id} of ${a.name}`)}</td></tr>`).join('');
  const notes = [a.viaSession ? 'signed in through your session' : '', a.consented ? 'access approved' : ''].filter(Boolean).join(', ');
  return `<article class="app" data-client="${esc(a.clientId)}"><h3>${esc(a.name)}</h3>` +
    `<p class="muted">${esc(notes)}${a.devices.length ? ` · offline access on ${a.devices.length} device(s)` : ''}</p>` +
    (devices ? `<table><tr><th>Device</th><th>Since</th><th>Last used</th><th></th></tr>${devices}</table>` : '') +
    `<p>${form(ctx, 'revoke-app', `Revoke ${a.name}`, { client_id: a.clientId })}</p></article>`;
}

function apps(v: HomeView, ctx: PageContext): string {
  const body = v.apps.length ? v.apps.map((a) => app(a, ctx)).join('') : '<p class="muted">No application is connected.</p>';
  return `<section id="apps"><h2>Connected applications</h2>${body}</section>`;
}

function factors(v: HomeView): string {
  const list = v.factors.length
    ? `<ul>${v.factors.map((f) => `<li>${esc(f.type)} <span class="muted">${esc(f.id)}</span>${f.confirmed ? '' : ' (enrolment not finished)'} · added ${time(f.createdAt)}</li>`).join('')}</ul>`
    : '<p class="muted">No second factor is enrolled.</p>';
  const codes = v.backupCodesLeft === null ? 'No backup codes generated.' : `${v.backupCodesLeft} unused backup code(s) left.`;
  return `<section id="mfa"><h2>Second factors</h2>${list}<p id="backup-codes">${esc(codes)}</p></section>`;
}

const shell = (title: string, body: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
  `<title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

export function homePage(v: HomeView, ctx: PageContext): string {
  const name = v.claims.username || v.claims.preferredUsername || v.claims.email || v.claims.userId;
  const discovery = `${ctx.issuer}/.well-known/openid-configuration`;
  return shell('Your account', `<h1>Signed in as ${esc(name)}</h1>${who(v)}${sessions(v, ctx)}${apps(v, ctx)}${factors(v)}` +
    `<footer class="muted">OpenID Connect discovery: <a href="${esc(discovery)}">${esc(discovery)}</a></footer>`);
}

/** A short page for a refused or failed action. */
export const homeMessage = (title: string, message: string, back: string): string =>
  shell(title, `<h1>${esc(title)}</h1><p role="alert">${esc(message)}</p><p><a href="${esc(back)}">Back to your account</a></p>`);
