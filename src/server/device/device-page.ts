/**
 * The user's half of the device flow, before login (RFC 8628 §3.3; dex v2.45.1 `server/deviceflowhandlers.go`, `web/templates/device.html`):
 * - `GET /device` shows the user-code form (`?user_code=` pre-fills it, `?invalid=true` shows the error);
 * - `POST /device/auth/verify_code` checks the form's origin and cookie (device-csrf.ts) and the code — unknown, expired or
 *   already used codes show the form again with 400 — then sends the browser to `/auth` for the device's client,
 *   scopes and the derived PKCE challenge, with `state` = the user code and the device callback as redirect URI.
 *   Each check is one attempt for the brute-force throttle (per client address, stored); an accepted code is
 *   bound to this browser by a cookie that `/device/callback` requires.
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import type { DeviceRequest } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { tooManyAttemptsPage } from '../throttle/too-many-attempts.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { param, type RawParams } from '../http/params.js';
import { checkFormPost, FORM_REFUSED } from '../http/check-form-post.js';
import { pageError } from '../oauth2/oauth-error.js';
import { RESPONSE_TYPES } from '../oauth2/response-types.js';
import { DEVICE_STATUS } from '../tokens/device-token.js';
import { bindDeviceFlow, deviceCookie, deviceCsrfToken, isValidDeviceCsrf } from './device-csrf.js';
import { devicePkce, deviceRedirectURI, normalizeUserCode } from './device-binding.js';

const MAX_USER_CODE = 32;

function renderForm(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext, userCode: string, invalid: boolean): FastifyReply {
  const html = ctx.renderer.device({
    postURL: `${ctx.issuerPath}/device/auth/verify_code`,
    userCode: userCode.slice(0, MAX_USER_CODE),
    invalid,
    csrf: deviceCsrfToken(req, reply, ctx.cookies),
  });
  return reply.code(invalid ? 400 : 200).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

export async function devicePage(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  try {
    const q = req.query as RawParams;
    const p = (name: string) => param(q, name, { allowRedirect: false });
    return renderForm(req, reply, ctx, p('user_code'), p('invalid') === 'true');
  } catch (err) {
    return sendFlowError(err, req, reply, ctx);
  }
}

/** The pending device request of `userCode`, or null when there is none (unknown, expired or already used). */
async function pendingRequest(ctx: ServerContext, userCode: string): Promise<DeviceRequest | null> {
  const now = ctx.now().getTime();
  try {
    const request = await ctx.storage.getDeviceRequest(userCode);
    if (now > request.expiry.getTime()) return null;
    const token = await ctx.storage.getDeviceToken(request.deviceCode);
    return token.status === DEVICE_STATUS.pending && now <= token.expiry.getTime() ? request : null;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

export async function verifyUserCode(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  try {
    const form = req.body as RawParams;
    const p = (name: string) => param(form, name, { allowRedirect: false });
    checkFormPost(req, ctx.issuer, deviceCookie(req, ctx.cookies));
    const csrf = p('csrf_token');
    if (csrf !== '' && !isValidDeviceCsrf(req, ctx.cookies, csrf)) throw pageError(403, FORM_REFUSED, 'bad device csrf token');
    const typed = p('user_code');
    if (typed === '') throw pageError(400, 'No user code received.');
    const userCode = normalizeUserCode(typed.slice(0, MAX_USER_CODE));
    const attempt = { scope: 'device-code', address: ctx.guard.addressOf(req), requestId: String(req.id) };
    const outcome = await ctx.guard.run(attempt, () => pendingRequest(ctx, userCode));
    if (outcome.refused) throw tooManyAttemptsPage(outcome.retryAfter);
    const request = outcome.value;
    if (request === null) return renderForm(req, reply, ctx, userCode, true);
    bindDeviceFlow(req, reply, request.userCode, ctx.cookies);
    const client = await ctx.storage.getClient(request.clientId);
    const redirectURI = deviceRedirectURI(client, ctx.issuerPath);
    if (redirectURI === null) throw pageError(400, 'This application cannot use device login.', `client ${client.id}`);
    const q = new URLSearchParams({
      client_id: request.clientId,
      state: request.userCode,
      response_type: RESPONSE_TYPES.code,
      redirect_uri: redirectURI,
      scope: request.scopes.join(' '),
    });
    const pkce = devicePkce(request.deviceCode, ctx.config.oauth2.pkce.codeChallengeMethodsSupported);
    if (pkce) {
      q.set('code_challenge', pkce.challenge);
      q.set('code_challenge_method', pkce.method);
    }
    return reply.redirect(`${ctx.issuerPath}/auth?${q}`, 302);
  } catch (err) {
    return sendFlowError(err, req, reply, ctx);
  }
}
