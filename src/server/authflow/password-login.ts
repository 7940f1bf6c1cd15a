/**
 * The password form (dex reference §4.5). It is shown directly by `/auth` or `/auth/{connector}` and posts to
 * `POST /auth/{connector}/login?<authorization request>`: the form carries the authorization request itself,
 * re-validated on every hit, and nothing is stored until the credentials are right (then the AuthRequest is created
 * already logged in, see finalize.ts). A POST checks the browser binding, the CSRF token and the credentials; a
 * wrong password re-renders the form with 401; an upstream failure shows a generic error page.
 */

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PasswordConnector } from '../../connectors/types.js';
import { constantTimeEqual } from '../../lib/constant-time.js';
import { param, toQuery, type RawParams } from '../http/params.js';
import { isPasswordConnector } from '../../connectors/capabilities.js';
import { newAuthRequest } from './auth-request.js';
import { bindBrowser, browserCookie } from './browser-binding.js';
import { finalizeLogin } from './finalize.js';
import { throttledPasswordLogin } from './attempt-throttle.js';
import type { FlowContext } from './flow-context.js';
import { usableConnector } from './flow-connector.js';
import { pageError, sendFlowError, type RedirectTarget } from './flow-errors.js';
import { validateAuthRequest } from './validate-auth-request.js';

type Req = FastifyRequest<{ Params: { connector: string } }>;

const MAX_USERNAME = 512;
const MAX_PASSWORD = 1024;

export interface PasswordForm {
  connectorId: string;
  conn: PasswordConnector;
  /** The authorization request's parameters (query of GET /auth or body of POST /auth). */
  query: RawParams;
  /** Link back to the connector list, or '' when there is only one connector. */
  back: string;
}

/** Only a same-origin path back to the connector list is accepted as the back link. */
function safeBackLink(back: string, issuerPath: string): string {
  return back.startsWith(`${issuerPath}/auth?`) && !back.startsWith('//') ? back : '';
}

/** The form's CSRF token: derived from the browser's secret binding cookie, so only that browser can post it. */
function formToken(cookie: string, connectorId: string): string {
  return cookie ? createHash('sha256').update(`password-form\0${connectorId}\0${cookie}`).digest('base64url') : '';
}

/** Renders the form (200, or 401 after a failed attempt). The browser must already be bound (`bindBrowser`). */
export function showPasswordForm(req: FastifyRequest, reply: FastifyReply, ctx: FlowContext, f: PasswordForm, failed?: { username: string }): FastifyReply {
  const login = new URLSearchParams(toQuery(f.query, ['back']));
  if (f.back) login.set('back', f.back);
  const html = ctx.renderer.password({
    postURL: `${ctx.issuerPath}/auth/${encodeURIComponent(f.connectorId)}/login?${login}`,
    backLink: f.back,
    username: failed?.username ?? '',
    usernamePrompt: f.conn.prompt() || 'Username',
    invalid: failed !== undefined,
    csrf: formToken(browserCookie(req), f.connectorId),
  });
  return reply.code(failed ? 401 : 200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/** Checks the posted form; returns the identity, or null (with the username to show again) when refused. */
async function checkCredentials(req: Req, ctx: FlowContext, f: PasswordForm, scopes: string[]) {
  const body = (req.body ?? {}) as RawParams;
  const p = (name: string) => param(body, name, { allowRedirect: false });
  const cookie = browserCookie(req);
  if (!cookie || !constantTimeEqual(p('csrf_token'), formToken(cookie, f.connectorId))) {
    throw pageError(403, 'The form expired or was not sent by this browser. Please try again.', 'bad csrf token');
  }
  const username = p('login');
  const password = p('password');
  if (!username || !password || username.length > MAX_USERNAME || password.length > MAX_PASSWORD) {
    return { username: username.slice(0, MAX_USERNAME), identity: null };
  }
  const identity = await throttledPasswordLogin(req, ctx, { connectorId: f.connectorId, conn: f.conn, scopes, username, password });
  if (!identity) {
    ctx.logger.info({ request_id: req.id, connector_id: f.connectorId }, 'failed password login');
    return { username, identity: null };
  }
  return { username, identity };
}

/** GET|POST /auth/{connector}/login?<authorization request>. */
export async function passwordLogin(req: Req, reply: FastifyReply, ctx: FlowContext): Promise<FastifyReply> {
  const holder: { target?: RedirectTarget } = {};
  try {
    const query = req.query as RawParams;
    const valid = await validateAuthRequest(query, ctx, holder);
    const connectorId = req.params.connector;
    const { resolved } = await usableConnector(valid, connectorId, ctx);
    const conn = resolved.connector;
    if (!isPasswordConnector(conn)) throw pageError(400, 'This login method does not use a password.');
    const binding = bindBrowser(req, reply, { path: ctx.issuerPath, secure: ctx.secureCookies });
    const form: PasswordForm = { connectorId, conn, query, back: safeBackLink(param(query, 'back', { allowRedirect: false }), ctx.issuerPath) };
    if (req.method !== 'POST') return showPasswordForm(req, reply, ctx, form);

    const { username, identity } = await checkCredentials(req, ctx, form, valid.params.scopes);
    if (!identity) return showPasswordForm(req, reply, ctx, form, { username });
    const authReq = newAuthRequest(valid, connectorId, binding, ctx);
    return await finalizeLogin(req, reply, ctx, authReq, resolved, identity, { stored: false });
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, holder.target);
  }
}
