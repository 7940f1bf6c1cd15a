/**
 * One simulated browser doing a full authorization-code login: authorize → (redirects) → password form → POST
 * credentials → approval/consent form → POST approve → redirect to the client with `code` → code exchange.
 * Server-agnostic: redirects are followed by hand, forms are read from the HTML, and the flow stops at the first
 * redirect to the client's redirect_uri (never followed). Every loop is bounded.
 */

import type http from 'node:http';
import { CookieJar, basicAuth, readForms, request, type HtmlForm, type HttpResponse } from './http.js';

export interface LoginTarget {
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope: string;
  username: string;
  password: string;
  /** Extra authorize parameters (e.g. `connector_id`, or `prompt=consent` for oidc-provider's offline_access). */
  extraParams?: Record<string, string>;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

const MAX_REDIRECTS = 10;
const MAX_PAGES = 4;

interface Landing {
  page?: { url: string; res: HttpResponse };
  callback?: URL;
}

/** Follow redirects from one request until an HTML page or the client's redirect_uri. */
async function browse(agent: http.Agent, jar: CookieJar, t: LoginTarget, url: string, form?: Record<string, string>): Promise<Landing> {
  let next = url;
  let body = form;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (next.startsWith(t.redirectUri)) return { callback: new URL(next) };
    const res = await request(agent, next, { headers: { cookie: jar.header() }, ...(body ? { form: body } : {}) });
    jar.store(res);
    body = undefined;
    const location = res.headers.location;
    if (res.status >= 300 && res.status < 400 && location) {
      next = new URL(location, next).href;
      continue;
    }
    if (res.status !== 200) throw new Error(`login flow: HTTP ${res.status} at ${new URL(next).pathname}`);
    return { page: { url: next, res } };
  }
  throw new Error('login flow: too many redirects');
}

/** Fill the page's form: credentials on a password form, "approve" on an approval/consent form. */
function fillForm(forms: HtmlForm[], t: LoginTarget): { action: string; fields: Record<string, string> } {
  const login = forms.find((f) => f.passwordField);
  if (login?.passwordField) {
    const user = login.textField ?? 'login';
    return { action: login.action, fields: { ...login.fields, [user]: t.username, [login.passwordField]: t.password } };
  }
  const isApprove = (f: HtmlForm): boolean =>
    Object.values(f.fields).includes('approve') || f.buttons.some(([, v]) => v === 'approve');
  const approve = forms.find(isApprove) ?? forms.find((f) => f.method === 'POST');
  if (!approve) throw new Error('login flow: page has no form to submit');
  const button = approve.buttons.find(([, v]) => v === 'approve');
  return { action: approve.action, fields: { ...approve.fields, ...(button ? { [button[0]]: button[1] } : {}) } };
}

export function authorizeUrl(t: LoginTarget, state: string): string {
  const u = new URL(t.authorizationEndpoint);
  const params = { client_id: t.clientId, redirect_uri: t.redirectUri, response_type: 'code', scope: t.scope, state, ...t.extraParams };
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}

/** Run one login and return the token response of the code exchange. */
export async function loginOnce(agent: http.Agent, t: LoginTarget): Promise<TokenSet> {
  const jar = new CookieJar();
  const state = Math.random().toString(36).slice(2);
  let landing = await browse(agent, jar, t, authorizeUrl(t, state));
  for (let i = 0; i < MAX_PAGES && landing.page; i++) {
    const { url, res } = landing.page;
    const { action, fields } = fillForm(readForms(res.body, url), t);
    landing = await browse(agent, jar, t, action, fields);
  }
  const cb = landing.callback;
  if (!cb) throw new Error('login flow: never reached the redirect_uri');
  const code = cb.searchParams.get('code');
  if (!code || cb.searchParams.get('state') !== state) {
    throw new Error(`login flow: bad callback (${cb.searchParams.get('error') ?? 'no code or wrong state'})`);
  }
  return exchange(agent, t, { grant_type: 'authorization_code', code, redirect_uri: t.redirectUri });
}

/** POST to the token endpoint with client_secret_basic; throws on a non-200 answer. */
export async function exchange(agent: http.Agent, t: LoginTarget, form: Record<string, string>): Promise<TokenSet> {
  const res = await request(agent, t.tokenEndpoint, {
    form,
    headers: { authorization: basicAuth(t.clientId, t.clientSecret), accept: 'application/json' },
  });
  if (res.status !== 200) throw new Error(`token endpoint: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  const tokens = JSON.parse(res.body) as TokenSet;
  if (typeof tokens.access_token !== 'string') throw new Error('token endpoint: no access_token');
  return tokens;
}
