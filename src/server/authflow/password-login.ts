/**
 * GET|POST {issuer}/auth/{connector}/login?<authorization request> — the password login (dex v2.45.1
 * server/handlers.go handlePasswordLogin; the form itself: password-form.ts). The URL carries the authorization
 * request, re-validated on every hit, and nothing is stored until the credentials are right (then the AuthRequest
 * is created already logged in, see finalize.ts). GET binds the browser and shows the form. POST runs the steps:
 *   1. checkFormPost: same-origin by Fetch Metadata / Origin, and the browser's flow cookie (login CSRF);
 *   2. formTokenRefusal: Ferry's CSRF field, when the form carried one, is valid for this cookie (a form that
 *      merely expired, or outlived a key rotation, is shown again with a notice; form-token.ts);
 *   3. checkCredentials: the connector accepts `login` and `password` (a wrong one re-renders the form with 401);
 *   4. finalizeLogin.
 * An upstream failure shows a generic error page.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPasswordConnector } from '../../connectors/capabilities.js';
import { param, type RawParams } from '../http/params.js';
import { newAuthRequest } from './auth-request.js';
import { bindBrowser, browserCookie } from './browser-binding.js';
import { checkFormPost, FORM_REFUSED } from '../http/check-form-post.js';
import { finalizeLogin } from './finalize.js';
import { throttledPasswordLogin } from './attempt-throttle.js';
import type { ServerContext } from '../context.js';
import { usableConnector } from './flow-connector.js';
import { pageError } from '../oauth2/oauth-error.js';
import type { RedirectTarget } from '../responses/client-response.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { checkFormToken } from './form-token.js';
import { safeBackLink, showPasswordForm, type PasswordForm } from './password-form.js';
import { validateAuthRequest } from './validate-auth-request.js';

type Req = FastifyRequest<{ Params: { connector: string } }>;

const MAX_USERNAME = 512;
const MAX_PASSWORD = 1024;

const STALE_FORM = 'This form has expired. Please enter your credentials again.';

/**
 * Ferry's own form carries a keyed CSRF token; when it is sent, it must be this browser's. Throws for a bad one;
 * returns the notice to show the form again with when it is only stale, else null.
 */
async function formTokenRefusal(req: Req, ctx: ServerContext, f: PasswordForm): Promise<string | null> {
  const token = param(req.body as RawParams, 'csrf_token', { allowRedirect: false });
  if (token === '') return null;
  const check = await checkFormToken(ctx, browserCookie(req, ctx.cookies), f.connectorId, token);
  if (check === 'invalid') throw pageError(403, FORM_REFUSED, 'bad csrf token');
  return check === 'stale' ? STALE_FORM : null;
}

/** Checks `login` and `password`; returns the identity, or null (with the username to show again) when refused. */
async function checkCredentials(req: Req, ctx: ServerContext, f: PasswordForm, scopes: string[]) {
  const body = (req.body ?? {}) as RawParams;
  const username = param(body, 'login', { allowRedirect: false });
  const password = param(body, 'password', { allowRedirect: false });
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

export async function passwordLogin(req: Req, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  const holder: { target?: RedirectTarget } = {};
  try {
    const query = req.query as RawParams;
    const valid = await validateAuthRequest(query, ctx, holder);
    const connectorId = req.params.connector;
    const { resolved } = await usableConnector(valid, connectorId, ctx);
    const conn = resolved.connector;
    if (!isPasswordConnector(conn)) throw pageError(400, 'This login method does not use a password.');
    const form: PasswordForm = { connectorId, conn, query, back: safeBackLink(param(query, 'back', { allowRedirect: false }), ctx.issuerPath) };
    if (req.method !== 'POST') {
      bindBrowser(req, reply, ctx.cookies);
      return await showPasswordForm(req, reply, ctx, form);
    }
    checkFormPost(req, ctx.issuer, browserCookie(req, ctx.cookies));
    const stale = await formTokenRefusal(req, ctx, form);
    if (stale !== null) return await showPasswordForm(req, reply, ctx, form, undefined, stale);
    const { username, identity } = await checkCredentials(req, ctx, form, valid.params.scopes);
    if (!identity) return await showPasswordForm(req, reply, ctx, form, { username });
    const authReq = newAuthRequest(valid, connectorId, bindBrowser(req, reply, ctx.cookies), ctx);
    const rememberMe = param(req.body as RawParams, 'remember_me', { allowRedirect: false }) === 'on';
    return await finalizeLogin(req, reply, ctx, authReq, resolved, identity, { stored: false, rememberMe });
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, holder.target);
  }
}
