/**
 * GET|POST /approval — the consent step (dex v2.45.1 `server/handlers.go` `handleApproval`; OIDC Core §3.1.2.4).
 * Reached only through the HMAC link from finalize.ts, and only by the browser that started the flow.
 * GET shows the consent page, or issues the response directly when `skipApprovalScreen` is set and consent was not
 * forced; POST `approval=approve` (same-origin, ../http/check-form-post.ts; Ferry's CSRF field valid when sent) issues it;
 * anything else tells the client the user denied access (`access_denied`, RFC 6749 §4.1.2.1; dex shows an error page instead).
 * With sessions on (dex HEAD server/consent/consent.go) the link comes from the dispatcher with the `approval` step
 * verifier, the page is always shown (the dispatcher already decided consent is needed), and approving stores the
 * scopes in the user's identity and returns to the dispatcher with the `approved` verifier.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { accessDenied, pageError } from '../oauth2/oauth-error.js';
import { param, type RawParams } from '../http/params.js';
import { browserCookie, csrfToken, isValidCsrf, isValidMac } from './browser-binding.js';
import { checkFormPost, FORM_REFUSED } from '../http/check-form-post.js';
import type { ServerContext } from '../context.js';
import type { RedirectTarget } from '../responses/client-response.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { loadFlow } from './load-flow.js';
import { issueAuthResponse } from './response.js';
import { rememberConsent } from '../sessions/consent.js';
import { STEP, stepURL, verifyStep } from '../sessions/step-mac.js';

export async function approval(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  let target: RedirectTarget | undefined;
  try {
    const isPost = req.method === 'POST';
    // dex's own approval form has no action and no hmac field: it posts `req` and `approval` back to the page URL,
    // whose query carries `req` and `hmac`; dex reads both (`r.FormValue`, body first). So does Ferry.
    const fields = (isPost ? { ...(req.query as RawParams), ...(req.body as RawParams) } : req.query) as RawParams;
    const p = (name: string) => param(fields, name, { allowRedirect: false });
    const authReq = await loadFlow(req, ctx, p('req'), { checkBrowser: true });
    const sessions = ctx.sessions.enabled;
    const validLink = sessions ? verifyStep(authReq, p('hmac'), STEP.approval) : isValidMac(authReq, authReq.id, p('hmac'));
    if (!validLink) throw pageError(400, 'Invalid approval link.', 'bad hmac');
    if (!authReq.loggedIn) throw pageError(400, 'The login is not complete yet.', 'approval before login');
    target = authReq;

    if (!isPost) {
      if (!sessions && ctx.config.oauth2.skipApprovalScreen && !authReq.forceApprovalPrompt) {
        return await issueAuthResponse(req, reply, ctx, authReq);
      }
      const client = await ctx.storage.getClient(authReq.clientId);
      const html = ctx.renderer.approval({
        user: authReq.claims.username || authReq.claims.email,
        client: client.name || client.id,
        scopes: ctx.renderer.scopeDescriptions(authReq.scopes),
        authReqId: authReq.id,
        hmac: p('hmac'),
        csrf: csrfToken(req, authReq, ctx.cookies),
        postURL: `${ctx.issuerPath}/approval`,
      });
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    }
    // dex's approval form posts `req`, `hmac` and `approval` only; Ferry's own adds a CSRF field, checked when sent.
    checkFormPost(req, ctx.issuer, browserCookie(req, ctx.cookies));
    const csrf = p('csrf_token');
    if (csrf !== '' && !isValidCsrf(req, authReq, ctx.cookies, csrf)) throw pageError(403, FORM_REFUSED, 'bad csrf token');
    if (p('approval') !== 'approve') {
      await ctx.storage.deleteAuthRequest(authReq.id).catch(() => undefined);
      throw accessDenied('The user denied the request.');
    }
    if (sessions) {
      await rememberConsent(ctx.storage, authReq);
      return reply.redirect(stepURL(ctx.issuerPath, '/auth', authReq, STEP.approved), 303);
    }
    return await issueAuthResponse(req, reply, ctx, authReq);
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, target);
  }
}
