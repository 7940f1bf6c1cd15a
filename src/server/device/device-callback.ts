/**
 * `GET /device/callback` — where `/auth` returns the browser of a device login (dex v2.45.1 `server/deviceflowhandlers.go` `handleDeviceCallback`).
 * `state` is the user code; only the browser that typed it may come back with it (cookie, device-csrf.ts), and
 * unknown, expired, completed and unbound codes all get one error, each counted by the brute-force throttle. With `code`: the device's client is authenticated with the secret it presented at
 * `/device/code`, and the code is redeemed through the token endpoint's own authorization_code grant
 * (`runGrant`: same checks, same connector invariant, checked for the device_code grant type) with the PKCE
 * verifier only this device request can derive; the token response is stored on the DeviceToken for the polling
 * device and the success page is shown. With `error=access_denied` (the user refused consent) the DeviceToken is
 * marked denied, so the next poll answers `access_denied` (RFC 8628 §3.5).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import type { DeviceRequest } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { tooManyAttemptsPage } from '../throttle/too-many-attempts.js';
import { sendFlowError } from '../responses/flow-errors.js';
import { authorizationCodeGrant } from '../grants/authorization-code.js';
import { runGrant, tokenResponseBody } from '../grants/endpoint.js';
import { param, type RawParams } from '../http/params.js';
import { authenticateClient } from '../oauth2/client-auth.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { OAuthError, pageError } from '../oauth2/oauth-error.js';
import { DEVICE_STATUS } from '../tokens/device-token.js';
import { deviceCallbackURI, devicePkce } from './device-binding.js';
import { isBoundDeviceFlow } from './device-csrf.js';

const BAD_CODE = 'Invalid or expired authorization code. Please start again from your device.';

/** The one answer for an unknown, expired, used or unbound code: nothing tells them apart. */
const badUserCode = (detail: string) => pageError(400, 'Invalid or expired user code.', detail);

/** The pending request of `userCode`, or null when there is none (unknown, expired or already completed). */
async function loadRequest(ctx: ServerContext, userCode: string): Promise<DeviceRequest | null> {
  try {
    const request = await ctx.storage.getDeviceRequest(userCode);
    const token = await ctx.storage.getDeviceToken(request.deviceCode);
    const now = ctx.now().getTime();
    if (now > request.expiry.getTime() || now > token.expiry.getTime()) return null;
    return token.status === DEVICE_STATUS.pending ? request : null;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/**
 * The request of `userCode` when this browser typed that code (the cookie set by the user-code form), as one
 * attempt for the brute-force throttle. Unbound and unknown codes get the same error, before any lookup.
 */
async function boundRequest(req: FastifyRequest, ctx: ServerContext, userCode: string): Promise<DeviceRequest> {
  const attempt = { scope: 'device-callback', address: ctx.guard.addressOf(req), requestId: String(req.id) };
  const outcome = await ctx.guard.run(attempt, async () => (isBoundDeviceFlow(req, ctx.cookies, userCode) ? loadRequest(ctx, userCode) : null));
  if (outcome.refused) throw tooManyAttemptsPage(outcome.retryAfter);
  if (outcome.value === null) throw badUserCode('device callback: unknown, expired, completed or unbound user code');
  return outcome.value;
}

/** Moves the DeviceToken out of `pending` exactly once; a second completion fails. */
async function settle(ctx: ServerContext, deviceCode: string, status: string, token: string): Promise<void> {
  await ctx.storage.updateDeviceToken(deviceCode, (old) => {
    if (old.status !== DEVICE_STATUS.pending) throw pageError(400, 'This device login was already completed.');
    return { ...old, status, token };
  });
}

export async function deviceCallback(req: FastifyRequest, reply: FastifyReply, ctx: ServerContext): Promise<FastifyReply> {
  try {
    const q = req.query as RawParams;
    const p = (name: string) => param(q, name, { allowRedirect: false });
    const userCode = p('state');
    if (userCode === '') throw pageError(400, 'Request was missing parameters.');
    const request = await boundRequest(req, ctx, userCode);
    const error = p('error');
    if (error !== '') {
      if (error !== 'access_denied') throw pageError(400, 'Authorization failed. Please try again.', `upstream error ${error.slice(0, 40)}`);
      await settle(ctx, request.deviceCode, DEVICE_STATUS.denied, '');
      throw pageError(403, 'You denied the request. Your device has been told.');
    }
    const code = p('code');
    if (code === '') throw pageError(400, 'Request was missing parameters.');
    const client = await authenticateClient(ctx.storage, { clientId: request.clientId, clientSecret: request.clientSecret, method: 'none' })
      .catch((err: unknown) => {
        throw err instanceof OAuthError && err.expose ? pageError(401, 'Invalid client credentials.', err.detail) : err;
      });
    const pkce = devicePkce(request.deviceCode, ctx.config.oauth2.pkce.codeChallengeMethodsSupported);
    const form = new Map([['code', code], ['redirect_uri', deviceCallbackURI(ctx.issuerPath)], ['code_verifier', pkce?.verifier ?? '']]);
    const response = await runGrant(ctx, {
      grant: authorizationCodeGrant,
      grantType: GRANT_TYPES.authorizationCode,
      form: { get: (name) => form.get(name) ?? '' },
      client,
      requestId: req.id,
      clientAddress: ctx.guard.addressOf(req),
      connectorGrantType: GRANT_TYPES.deviceCode,
    }).catch((err: unknown) => {
      throw err instanceof OAuthError && err.expose ? pageError(400, BAD_CODE, `${err.code}: ${err.description}`) : err;
    });
    await settle(ctx, request.deviceCode, DEVICE_STATUS.complete, JSON.stringify(tokenResponseBody(response)));
    ctx.logger.info({ request_id: req.id, client_id: client.id }, 'device authorization complete');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ctx.renderer.deviceSuccess({ clientName: client.name || client.id }));
  } catch (err) {
    return sendFlowError(err, req, reply, ctx);
  }
}
