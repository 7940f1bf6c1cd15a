/**
 * GET|POST /auth/{connector}/login?<authorization request> — the password form (dex reference §4.5).
 * The form carries the authorization request itself, re-validated on every hit; nothing is stored until the
 * credentials are right (then the AuthRequest is created already logged in, see finalize.ts). GET renders the form;
 * POST checks the browser binding, the CSRF token and the credentials. A wrong password re-renders the form with
 * 401; an upstream failure shows a generic error page.
 */

import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPasswordConnector } from '../../connectors/capabilities.js';
import type { PasswordConnector } from '../../connectors/types.js';
import { constantTimeEqual } from '../../lib/constant-time.js';
import { param, toQuery, type RawParams } from '../http/params.js';
import { connectorScopes } from '../oauth2/scopes.js';
import { bindBrowser, browserCookie } from './browser-binding.js';
import { newAuthRequest } from './connector-login.js';
import { finalizeLogin } from './finalize.js';
import type { FlowContext } from './flow-context.js';
import { usableConnector } from './flow-connector.js';
import { pageError, sendFlowError, type RedirectTarget } from './flow-errors.js';
import { validateAuthRequest } from './validate-auth-request.js';

type Req = FastifyRequest<{ Params: { connector: string } }>;

const MAX_USERNAME = 512;
const MAX_PASSWORD = 1024;

/** Only a same-origin path back to the connector list is accepted as the back link. */
function safeBackLink(back: string, issuerPath: string): string {
  return back.startsWith(`${issuerPath}/auth?`) && !back.startsWith('//') ? back : '';
}

/** The form's CSRF token: derived from the browser's secret binding cookie, so only that browser can post it. */
function formToken(cookie: string, connectorId: string): string {
  return createHash('sha256').update(`password-form\0${connectorId}\0${cookie}`).digest('base64url');
}

interface FormState {
  postURL: string;
  back: string;
  prompt: string;
  csrf: string;
}

function renderForm(reply: FastifyReply, ctx: FlowContext, form: FormState, username: string, invalid: boolean): FastifyReply {
  const html = ctx.renderer.password({
    postURL: form.postURL,
    backLink: form.back,
    username,
    usernamePrompt: form.prompt || 'Username',
    invalid,
    csrf: form.csrf,
  });
  return reply.code(invalid ? 401 : 200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

async function submit(req: Req, ctx: FlowContext, conn: PasswordConnector, form: FormState, cookie: string, scopes: string[]) {
  const body = (req.body ?? {}) as RawParams;
  const p = (name: string) => param(body, name, { allowRedirect: false });
  if (!cookie || !constantTimeEqual(p('csrf_token'), form.csrf)) {
    throw pageError(403, 'The form expired or was not sent by this browser. Please try again.', 'bad csrf token');
  }
  const username = p('login');
  const password = p('password');
  if (!username || !password || username.length > MAX_USERNAME || password.length > MAX_PASSWORD) {
    return { username: username.slice(0, MAX_USERNAME), identity: null };
  }
  const { identity, valid } = await conn.login(connectorScopes(scopes), username, password);
  if (!valid || !identity) {
    ctx.logger.info({ request_id: req.id, connector_id: req.params.connector }, 'failed password login');
    return { username, identity: null };
  }
  return { username, identity };
}

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
    const cookie = browserCookie(req);
    const form: FormState = {
      postURL: `${ctx.issuerPath}/auth/${encodeURIComponent(connectorId)}/login?${toQuery(query)}`,
      back: safeBackLink(param(query, 'back', { allowRedirect: false }), ctx.issuerPath),
      prompt: conn.prompt(),
      csrf: cookie ? formToken(cookie, connectorId) : '',
    };
    if (req.method !== 'POST') return renderForm(reply, ctx, form, '', false);

    const { username, identity } = await submit(req, ctx, conn, form, cookie, valid.params.scopes);
    if (!identity) return renderForm(reply, ctx, form, username, true);
    const authReq = newAuthRequest(valid, connectorId, binding, ctx);
    return await finalizeLogin(req, reply, ctx, authReq, resolved, identity, { stored: false });
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, holder.target);
  }
}
