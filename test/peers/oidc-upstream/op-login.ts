/**
 * Test-side helpers for the upstream OpenID Provider in `upstream-op.mjs`:
 * - `opLogin`: a scripted, cookie-keeping browser that drives oidc-provider's devInteractions login and consent
 *   forms for any authorization URL and returns the URL the provider finally redirects to (the callback);
 * - `upstreamEnv` / `admin`: the variables printed by `start.sh`, and the admin endpoint (groups, revocation).
 */

import { decodeEntities } from '../../helpers/user-agent.js';

export interface UpstreamEnv {
  issuer: string;
  issuerNoPKCE: string;
  admin: string;
  clientID: string;
  clientSecret: string;
}

/** Reads the variables of `test/peers/oidc-upstream/start.sh`; fails with a message naming the script when absent. */
export function upstreamEnv(): UpstreamEnv {
  const e = process.env;
  const missing = ['FERRY_OIDC_ISSUER', 'FERRY_OIDC_ISSUER_NOPKCE', 'FERRY_OIDC_ADMIN', 'FERRY_OIDC_CLIENT_ID', 'FERRY_OIDC_CLIENT_SECRET'].filter((k) => !e[k]);
  if (missing.length) {
    throw new Error(
      `${missing.join(', ')} not set: start the upstream with test/peers/oidc-upstream/start.sh ` +
        '(node scripts/test.mjs --peers oidc-upstream does it)',
    );
  }
  return {
    issuer: e.FERRY_OIDC_ISSUER as string,
    issuerNoPKCE: e.FERRY_OIDC_ISSUER_NOPKCE as string,
    admin: e.FERRY_OIDC_ADMIN as string,
    clientID: e.FERRY_OIDC_CLIENT_ID as string,
    clientSecret: e.FERRY_OIDC_CLIENT_SECRET as string,
  };
}

async function adminPost(path: string, body?: unknown): Promise<unknown> {
  const r = await fetch(`${upstreamEnv().admin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (r.status !== 200) throw new Error(`upstream admin ${path}: HTTP ${r.status}`);
  return r.json();
}

/** The upstream's admin endpoint. */
export const admin = {
  setGroups: (login: string, groups: string[]) => adminPost(`/users/${encodeURIComponent(login)}/groups`, groups),
  revoke: (login: string) => adminPost(`/users/${encodeURIComponent(login)}/revoke`) as Promise<{ revoked: number }>,
  reset: () => adminPost('/reset'),
};

interface Step {
  url: string;
  html?: string;
  callback?: string;
}

/**
 * Logs `login` in at the provider for `authURL` and returns the callback URL it redirects to (with `code` or
 * `error`). With `abort`, presses the login page's abort link instead (the provider answers `access_denied`).
 */
export async function opLogin(authURL: string, login: string, opts: { abort?: boolean } = {}): Promise<URL> {
  const origin = new URL(authURL).origin;
  const jar = new Map<string, string>();
  async function browse(start: string, init?: RequestInit): Promise<Step> {
    let url = start;
    let req = init;
    for (let i = 0; i < 15; i++) {
      if (new URL(url).origin !== origin) return { url, callback: url };
      const headers = new Headers(req?.headers);
      headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
      const r = await fetch(url, { ...req, headers, redirect: 'manual' });
      for (const c of r.headers.getSetCookie()) {
        const [kv = ''] = c.split(';');
        const j = kv.indexOf('=');
        jar.set(kv.slice(0, j), kv.slice(j + 1));
      }
      req = undefined;
      const loc = r.headers.get('location');
      if (r.status >= 300 && r.status < 400 && loc) {
        url = new URL(loc, url).href;
        continue;
      }
      return { url, html: await r.text() };
    }
    throw new Error('opLogin: too many redirects');
  }
  let page = await browse(authURL);
  if (opts.abort && !page.callback) page = await browse(`${page.url.replace(/\/$/, '')}/abort`);
  for (let i = 0; i < 3 && !page.callback; i++) {
    const html = page.html ?? '';
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`opLogin: no form at ${page.url}: ${html.slice(0, 300)}`);
    const fields = Object.fromEntries([...html.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], decodeEntities(m[2] ?? '')]));
    if (fields.prompt === 'login') Object.assign(fields, { login, password: 'any-password' });
    page = await browse(new URL(decodeEntities(action), page.url).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
  if (!page.callback) throw new Error(`opLogin: the provider did not redirect back (last page ${page.url})`);
  return new URL(page.callback);
}

/** Where the connector tests pretend Ferry runs: never listened on (the scripted browser stops at the redirect). */
export const TEST_ISSUER = 'http://127.0.0.1:9/dex';
export const TEST_CALLBACK = `${TEST_ISSUER}/callback`;
