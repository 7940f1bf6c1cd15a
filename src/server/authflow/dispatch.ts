/**
 * GET /auth?req&hmac — the flow's dispatcher, with sessions on (dex HEAD server/authflow/dispatch.go). After a login
 * (finalize.ts, session-login.ts) and after every step, the browser comes back here with a step verifier
 * (sessions/step-mac.ts); the dispatcher alone decides what comes next, in this order:
 *   1. MFA: the client's `mfaChain` (or `mfa.defaultMFAChain` when it sets none) is non-empty and the request has
 *      not passed MFA → 303 `/mfa?req&hmac` (the mfa feature resolves the chain and returns here when done);
 *   2. consent: unless the user just approved (the `approved` verifier), or it is remembered and not forced
 *      (sessions/consent.ts) → 303 `/approval?req&hmac`;
 *   3. the authorization response (response.ts).
 * Under `prompt=none` a step that needs the user answers the client instead: `interaction_required` for MFA,
 * `consent_required` for consent (OIDC Core §3.1.2.6; dex answers `interaction_required` for both).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, pageError } from '../oauth2/oauth-error.js';
import { param, type RawParams } from '../http/params.js';
import { consentSatisfied } from '../sessions/consent.js';
import { mfaURL, STEP, stepURL, verifyStep } from '../sessions/step-mac.js';
import type { ServerContext } from '../context.js';
import type { RedirectTarget } from '../responses/client-response.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { loadFlow } from './load-flow.js';
import { issueAuthResponse } from './response.js';

/** True when the request's client asks for MFA (the cheap gate; the mfa feature resolves the precise chain). */
async function mfaRequested(ctx: ServerContext, clientId: string): Promise<boolean> {
  const client = await ctx.storage.getClient(clientId);
  const chain = client.mfaChain ?? ctx.config.mfa?.defaultMFAChain ?? [];
  return chain.length > 0;
}

export async function dispatch(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext, query: RawParams): Promise<FastifyReply> {
  let target: RedirectTarget | undefined;
  try {
    const p = (name: string) => param(query, name, { allowRedirect: false });
    const authReq = await loadFlow(req, ctx, p('req'), { checkBrowser: true });
    const mac = p('hmac');
    const approved = verifyStep(authReq, mac, STEP.approved);
    if (!approved && !verifyStep(authReq, mac, STEP.continue)) throw pageError(400, 'Invalid login link.', 'bad step hmac');
    if (!authReq.loggedIn) throw pageError(400, 'The login is not complete yet.', 'dispatch before login');
    target = authReq;
    const silent = authReq.prompt.includes('none');

    if (!authReq.mfaValidated && (await mfaRequested(ctx, authReq.clientId))) {
      if (silent) throw new OAuthError('interaction_required', 'Multi-factor authentication is required.');
      return reply.redirect(mfaURL(ctx.issuerPath, authReq), 303);
    }
    if (!approved && !(await consentSatisfied(ctx.storage, ctx.config.oauth2.skipApprovalScreen, authReq))) {
      if (silent) throw new OAuthError('consent_required', 'The user has not approved this client.');
      return reply.redirect(stepURL(ctx.issuerPath, '/approval', authReq, STEP.approval), 303);
    }
    return await issueAuthResponse(req, reply, ctx, authReq);
  } catch (err) {
    return sendFlowError(err, req, reply, ctx, target);
  }
}
