/**
 * `POST <issuer>/device/code` — the device authorization endpoint (RFC 8628 §3.1–3.2; dex v2.45.1 `server/deviceflowhandlers.go` `handleDeviceCode`).
 * Form: `client_id`, optional `client_secret` (or HTTP Basic), `scope` (default `openid`), optional
 * `code_challenge` / `code_challenge_method` (default `plain`). Answers `device_code`, `user_code` (`XXXX-XXXX`),
 * `verification_uri`, `verification_uri_complete`, `expires_in` (`expiry.deviceRequests`) and `interval` (5).
 *
 * dex authenticates nobody here and lets a bad request fail later in the browser; Ferry checks up front what would
 * fail later: the client exists, a secret that is sent is right, a confidential client sends one, the client can
 * use the device callback (`unauthorized_client`), the scopes (`invalid_scope`) and PKCE (`invalid_request`).
 */

import type { FastifyReply } from 'fastify';
import { AlreadyExistsError } from '../../lib/errors.js';
import { newDeviceCode, newUserCode } from '../../storage/ids.js';
import type { PKCE } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { authenticateFormClient, formEndpoint, type FormEndpoint } from '../http/form-endpoint.js';
import type { TokenForm } from '../http/token-form.js';
import { OAuthError, unauthorizedClient } from '../oauth2/oauth-error.js';
import { checkPkceChallenge } from '../oauth2/pkce.js';
import { sendJson } from '../oauth2/write-json-error.js';
import { parseScopeParam, SCOPES } from '../oauth2/scopes.js';
import { checkScopes, LOGIN_SCOPE_POLICY } from '../tokens/check-scopes.js';
import { DEVICE_STATUS, POLL_INTERVAL_SECONDS } from '../tokens/device-token.js';
import { deviceRedirectURI } from './device-binding.js';

/** The device's PKCE challenge, checked as at `/auth` (the public-client S256 rule is the code flow's). */
const readPkce = (form: TokenForm, ctx: ServerContext): PKCE =>
  checkPkceChallenge(form.get('code_challenge'), form.get('code_challenge_method'), ctx.config.oauth2.pkce);

/** New device requests per client address a minute, and per client per `expiry.deviceRequests` (outstanding). */
export const DEVICE_CODES_PER_ADDRESS = 30;
export const DEVICE_CODES_PER_CLIENT = 1000;

/**
 * Each request stores two records, so anonymous callers are bounded (stored counters, shared by replicas): per
 * client address a minute, and per client within the lifetime of a request. 429 `temporarily_unavailable` with
 * `Retry-After` (`slow_down` is for polling the token endpoint, RFC 8628 §3.5).
 */
async function checkDeviceQuotas(ctx: ServerContext, address: string, clientId: string): Promise<void> {
  const perAddress = await ctx.guard.quota({ scope: 'device-code-address', id: address, limit: DEVICE_CODES_PER_ADDRESS, windowMs: 60_000 });
  const windowMs = ctx.config.expiry.deviceRequests;
  const perClient = perAddress || (await ctx.guard.quota({ scope: 'device-code-client', id: clientId, limit: DEVICE_CODES_PER_CLIENT, windowMs }));
  const wait = perAddress || perClient;
  if (wait > 0) {
    throw new OAuthError('temporarily_unavailable', 'Too many device requests. Try again later.', { status: 429, retryAfter: wait });
  }
}

/** Stores the request and its pending token under fresh codes (a user-code clash is retried). */
async function createDeviceRequest(ctx: ServerContext, clientId: string, clientSecret: string, scopes: string[], pkce: PKCE) {
  const now = ctx.now();
  const expiry = new Date(now.getTime() + ctx.config.expiry.deviceRequests);
  const deviceCode = newDeviceCode();
  for (let attempt = 0; ; attempt++) {
    const userCode = newUserCode();
    try {
      await ctx.storage.createDeviceRequest({ userCode, deviceCode, clientId, clientSecret, scopes, expiry });
    } catch (err) {
      if (err instanceof AlreadyExistsError && attempt < 3) continue;
      throw err;
    }
    await ctx.storage.createDeviceToken({
      deviceCode,
      status: DEVICE_STATUS.pending,
      token: '',
      expiry,
      lastRequestTime: now,
      pollIntervalSeconds: 0,
      pkce,
    });
    return { deviceCode, userCode };
  }
}

async function handleDeviceCode(ctx: ServerContext, form: TokenForm, client: { id: string; secret: string }, reply: FastifyReply) {
  const scopes = parseScopeParam(form.get('scope'));
  if (scopes.length === 0) scopes.push(SCOPES.openid);
  await checkScopes(ctx.storage, client.id, scopes, LOGIN_SCOPE_POLICY);
  const pkce = readPkce(form, ctx);
  const { deviceCode, userCode } = await createDeviceRequest(ctx, client.id, client.secret, scopes, pkce);
  ctx.logger.info({ client_id: client.id, scopes }, 'device authorization request');
  const verification = `${ctx.issuer}/device`;
  const body = {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: verification,
    verification_uri_complete: `${verification}?${new URLSearchParams({ user_code: userCode })}`,
    expires_in: Math.floor(ctx.config.expiry.deviceRequests / 1000),
    interval: POLL_INTERVAL_SECONDS,
  };
  return sendJson(reply, 200, body);
}

/** The handlers of `/device/code` (wired in ../routes.ts when the device flow is enabled). */
export function deviceCodeEndpoint(ctx: ServerContext): FormEndpoint {
  return formEndpoint({
    logger: ctx.logger,
    realm: ctx.issuer,
    async handle(form, request, reply) {
      const client = await authenticateFormClient(ctx.storage, request, form);
      if (deviceRedirectURI(client, ctx.issuerPath) === null) {
        throw unauthorizedClient(`The client must register the redirect URI ${ctx.issuerPath}/device/callback to use the device flow.`);
      }
      await checkDeviceQuotas(ctx, ctx.guard.addressOf(request), client.id);
      return handleDeviceCode(ctx, form, client, reply);
    },
  });
}
