/**
 * The password form page, at dex's URL (dex v2.45.1 server/handlers.go handleConnectorLogin, handlePasswordLogin):
 * `GET {issuer}/auth/{connector}/login?<authorization request>&back=<connector list>` serves it and the form posts
 * to that same URL. The page carries dex's data (post URL, back link, username, prompt, invalid) plus Ferry's
 * signed CSRF field, which a POST may omit (scripts and dex-format templates post only `login` and `password`).
 * Operators' reverse-proxy rules and scripted logins (a cookie-keeping HTTP session that GETs until the path ends
 * in `/auth/<id>/login`, then POSTs `login` and `password`) key on this path.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PasswordConnector } from '../../connectors/types.js';
import { toQuery, type RawParams } from '../http/params.js';
import { browserCookie } from './browser-binding.js';
import type { ServerContext } from '../context.js';
import { signFormToken } from './form-token.js';

export interface PasswordForm {
  connectorId: string;
  conn: PasswordConnector;
  /** The authorization request's parameters (without `back`). */
  query: RawParams;
  /** Link back to the connector list, or '' when there is only one connector. */
  back: string;
}

/** Only a same-origin path back to the connector list is accepted as the back link. */
export function safeBackLink(back: string, issuerPath: string): string {
  return back.startsWith(`${issuerPath}/auth?`) && !back.startsWith('//') ? back : '';
}

/** `{issuer-path}/auth/{connector}/login?<request>&back=…`: where the form is served and posted. */
export function passwordFormURL(issuerPath: string, connectorId: string, query: RawParams, back: string): string {
  const q = new URLSearchParams(toQuery(query, ['connector_id', 'back']));
  if (back) q.set('back', back);
  return `${issuerPath}/auth/${encodeURIComponent(connectorId)}/login?${q}`;
}

/**
 * Renders the form: 200; 401 after failed credentials (`failed`); 403 with `notice` when a posted form was refused
 * and is offered again. The browser must already be bound (`bindBrowser`).
 */
export async function showPasswordForm(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: ServerContext,
  f: PasswordForm,
  failed?: { username: string },
  notice?: string,
): Promise<FastifyReply> {
  const html = ctx.renderer.password({
    postURL: passwordFormURL(ctx.issuerPath, f.connectorId, f.query, f.back),
    backLink: f.back,
    username: failed?.username ?? '',
    usernamePrompt: f.conn.prompt() || 'Username',
    invalid: failed !== undefined,
    ...(notice === undefined ? {} : { notice }),
    csrf: await signFormToken(ctx, browserCookie(req, ctx.cookies), f.connectorId),
    showRememberMe: ctx.sessions.enabled,
    rememberMeChecked: ctx.sessions.rememberMeDefault,
  });
  return reply.code(failed ? 401 : notice === undefined ? 200 : 403).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
