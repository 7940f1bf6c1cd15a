/**
 * The device_code grant (RFC 8628 §3.4–3.5; dex master (ab64ed77) `server/grants/devicecode.go`): the device polls with the
 * `device_code` until the user has finished the browser part (`src/server/device/`), which stored the token
 * response on the DeviceToken. There is no client authentication (as in dex): the device code is the proof, and the
 * client it was issued to is the binding. Answers, all 400 except the tokens:
 *
 *   unknown code → invalid_request · past expiry → expired_token · user denied → access_denied
 *   pending → authorization_pending, or slow_down when polled before the interval passed (the interval then grows
 *   by 5 s and stays grown, RFC 8628 §3.5) · complete → PKCE check, then the stored tokens (again on every poll
 *   until the device code expires, as in dex).
 *
 * Once complete, `resolve` names the tokens' client and connector, so the endpoint's connector check runs for
 * this grant as for every other (GHSA-7qjx-gp9h-65qj); a `client_id` sent with the poll must be that client.
 */

import type { ServerContext } from '../context.js';
import { decodeJwt } from 'jose';
import { NotFoundError } from '../../lib/errors.js';
import type { Client, DeviceToken } from '../../storage/types.js';
import { GRANT_TYPES } from '../oauth2/grant-types.js';
import { invalidGrant, invalidRequest, OAuthError, serverError } from '../oauth2/oauth-error.js';
import { verifyPkce } from '../oauth2/pkce.js';
import { DEVICE_STATUS, deviceTokenBinding, POLL_INTERVAL_SECONDS } from '../tokens/device-token.js';
import type { Grant, TokenResponse } from './grant.js';

interface Polled {
  token: DeviceToken;
  /** The stored response, once complete. */
  response: StoredResponse | null;
}

interface StoredResponse {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

const unknownCode = () => invalidRequest('Invalid device code.');

function parseStored(json: string): StoredResponse {
  try {
    const r = JSON.parse(json) as StoredResponse;
    if (typeof r.access_token === 'string') return r;
  } catch {
    // fall through
  }
  throw serverError(undefined, { detail: 'device token: the stored response is not a token response' });
}

/** The client and connector the stored tokens were minted for (we minted them: `azp`/`aud` and `sub`). */
async function bindingOf(deps: ServerContext, r: StoredResponse): Promise<{ client: Client; connectorId: string }> {
  const binding = deviceTokenBinding(r.access_token);
  if (binding === null) throw serverError(undefined, { detail: 'device token without client or subject' });
  const client = await deps.storage.getClient(binding.clientId).catch((err: unknown) => {
    throw err instanceof NotFoundError ? invalidGrant('The client of this device code no longer exists.') : err;
  });
  return { client, connectorId: binding.connectorId };
}

/** Records this poll; returns the error the device gets (`slow_down` when it came too early). */
async function recordPoll(deps: ServerContext, deviceCode: string): Promise<OAuthError> {
  const now = deps.now();
  let early = false;
  await deps.storage.updateDeviceToken(deviceCode, (old) => {
    early = now.getTime() < old.lastRequestTime.getTime() + old.pollIntervalSeconds * 1000;
    const base = Math.max(old.pollIntervalSeconds, POLL_INTERVAL_SECONDS);
    return { ...old, lastRequestTime: now, pollIntervalSeconds: early ? base + POLL_INTERVAL_SECONDS : base };
  });
  return early
    ? new OAuthError('slow_down', 'Polling too frequently: wait longer between requests.')
    : new OAuthError('authorization_pending', 'The user has not finished the authorization yet.');
}

function toResponse(deps: ServerContext, r: StoredResponse): TokenResponse {
  const exp = decodeJwt(r.access_token).exp ?? 0;
  return {
    accessToken: r.access_token,
    expiresIn: Math.max(0, exp - Math.floor(deps.now().getTime() / 1000)),
    refreshToken: r.refresh_token,
    idToken: r.id_token,
  };
}

export const deviceCodeGrant: Grant<Polled> = {
  grantType: GRANT_TYPES.deviceCode,
  requiresClientAuth: false,
  parameters: ['device_code', 'code_verifier', 'client_id'],
  scopePolicy: null, // the device request's scopes, checked at /device/code
  async resolve(req, deps) {
    const deviceCode = req.form.get('device_code');
    if (deviceCode === '') throw invalidRequest('No device code received.');
    const token = await deps.storage.getDeviceToken(deviceCode).catch((err: unknown) => {
      throw err instanceof NotFoundError ? unknownCode() : err;
    });
    if (deps.now().getTime() > token.expiry.getTime()) throw new OAuthError('expired_token', 'The device code has expired.');
    if (token.status !== DEVICE_STATUS.complete) return { connectorId: '', state: { token, response: null } };
    const response = parseStored(token.token);
    const { client, connectorId } = await bindingOf(deps, response);
    const named = req.form.get('client_id');
    if (named !== '' && named !== client.id) throw invalidGrant('The device code was issued to another client.');
    return { connectorId, client, state: { token, response } };
  },
  async authorize(req, deps, _conn, { token, response }) {
    switch (token.status) {
      case DEVICE_STATUS.pending:
        throw await recordPoll(deps, token.deviceCode);
      case DEVICE_STATUS.denied:
        throw new OAuthError('access_denied', 'The user denied the request.');
      case DEVICE_STATUS.complete:
        if (response === null) throw unknownCode();
        verifyPkce(token.pkce.codeChallenge, token.pkce.codeChallengeMethod, req.form.get('code_verifier'));
        return toResponse(deps, response);
      default:
        throw unknownCode();
    }
  },
};
