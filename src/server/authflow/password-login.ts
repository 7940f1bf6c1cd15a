/**
 * GET|POST /auth/{connector}/login — the password form (dex reference §4.5).
 * GET renders the form; POST checks the CSRF token and the credentials. A wrong password re-renders the form
 * with 401; an upstream failure shows a generic error page; success finishes the login (finalize.ts).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { isPasswordConnector } from '../../connectors/capabilities.js';
import type { AuthRequest } from '../../storage/types.js';
import { param, type RawParams } from '../http/params.js';
import { csrfToken, isValidCsrf } from './browser-binding.js';
import { connectorScopes } from '../oauth2/scopes.js';
import { finalizeLogin } from './finalize.js';
import type { FlowContext } from './flow-context.js';
import { pageError, sendFlowError } from './flow-errors.js';
import { loadFlow } from './load-flow.js';

type Req = FastifyRequest<{ Params: { connector: string } }>;

const MAX_USERNAME = 512;
const MAX_PASSWORD = 1024;

/** Only a same-origin path back to the connector list is accepted as the back link. */
function safeBackLink(back: string, issuerPath: string): string {
  return back.startsWith(`${issuerPath}/auth?`) && !back.startsWith('//') ? back : '';
}

function renderForm(req: Req, reply: FastifyReply, ctx: FlowContext, authReq: AuthRequest, prompt: string, extra: { username: string; invalid: boolean; back: string }) {
  const postURL = `${ctx.issuerPath}/auth/${encodeURIComponent(req.params.connector)}/login?state=${encodeURIComponent(authReq.id)}`
    + (extra.back ? `&back=${encodeURIComponent(extra.back)}` : '');
  const html = ctx.renderer.password({
    postURL,
    backLink: extra.back,
    username: extra.username,
    usernamePrompt: prompt || 'Username',
    invalid: extra.invalid,
    csrf: csrfToken(req, authReq),
  });
  return reply.code(extra.invalid ? 401 : 200).type('text/html; charset=utf-8').send(html);
}

export async function passwordLogin(req: Req, reply: FastifyReply, ctx: FlowContext): Promise<FastifyReply> {
  try {
    const query = req.query as RawParams;
    const authReq = await loadFlow(req, ctx, param(query, 'state', { allowRedirect: false }), { checkBrowser: true });
    if (authReq.connectorId !== req.params.connector) throw pageError(400, 'Requested connector does not match the login in progress.');
    const resolved = await ctx.connectors.get(authReq.connectorId);
    const conn = resolved.connector;
    if (!isPasswordConnector(conn)) throw pageError(400, 'This login method does not use a password.');
    const back = safeBackLink(param(query, 'back', { allowRedirect: false }), ctx.issuerPath);
    const prompt = conn.prompt();

    if (req.method !== 'POST') return renderForm(req, reply, ctx, authReq, prompt, { username: '', invalid: false, back });

    const form = (req.body ?? {}) as RawParams;
    if (!isValidCsrf(req, authReq, param(form, 'csrf_token', { allowRedirect: false }))) {
      throw pageError(403, 'The form expired or was not sent by this browser. Please try again.', 'bad csrf token');
    }
    const username = param(form, 'login', { allowRedirect: false });
    const password = param(form, 'password', { allowRedirect: false });
    if (!username || !password || username.length > MAX_USERNAME || password.length > MAX_PASSWORD) {
      return renderForm(req, reply, ctx, authReq, prompt, { username: username.slice(0, MAX_USERNAME), invalid: true, back });
    }
    const { identity, valid } = await conn.login(connectorScopes(authReq.scopes), username, password);
    if (!valid || !identity) {
      ctx.logger.info({ request_id: req.id, connector_id: authReq.connectorId }, 'failed password login');
      return renderForm(req, reply, ctx, authReq, prompt, { username, invalid: true, back });
    }
    return await finalizeLogin(req, reply, ctx, authReq, resolved, identity);
  } catch (err) {
    return sendFlowError(err, req, reply, ctx);
  }
}
