/**
 * An upstream OAuth2 token (RFC 6749 §5.1) and its connector-data form. The JSON shape is dex's
 * (`{"accessToken","refreshToken","expiry"}` with a Go time, the zero time meaning "no expiry"), so offline
 * sessions written by dex keep refreshing after a switch to Ferry.
 */

import { ConnectorError } from '../../lib/errors.js';
import { codeExchangeError, safeErrorCode } from '../upstream-refusal.js';

export interface UpstreamToken {
  accessToken: string;
  /** Empty when the upstream issued none. */
  refreshToken: string;
  /** `null` when the token does not expire (GitHub OAuth Apps). */
  expiry: Date | null;
  /** The raw `id_token` of the answer, when there was one (Google); never stored in connector data. */
  idToken?: string;
}

/** Go's zero `time.Time`, which dex writes for tokens without an expiry. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** Seconds before the expiry at which a token already counts as expired (golang.org/x/oauth2 uses 10 s). */
const EXPIRY_LEEWAY_MS = 10_000;

/** True when the access token is missing or expires within the leeway. */
export function isTokenExpired(token: UpstreamToken, now: Date): boolean {
  if (!token.accessToken) return true;
  return token.expiry !== null && token.expiry.getTime() - EXPIRY_LEEWAY_MS <= now.getTime();
}

/** Reads a token endpoint answer; an `error` member (GitHub answers 200 with one) or no access token throws. */
export function parseTokenResponse(connectorId: string, body: Record<string, unknown>, now: Date): UpstreamToken {
  const error = body.error;
  if (typeof error === 'string' && error) {
    throw codeExchangeError(connectorId, error, `${connectorId}: token endpoint refused the grant (${safeErrorCode(error)})`);
  }
  const accessToken = body.access_token;
  if (typeof accessToken !== 'string' || !accessToken) {
    throw new ConnectorError(connectorId, `${connectorId}: token endpoint answered without an access_token`);
  }
  const refreshToken = typeof body.refresh_token === 'string' ? body.refresh_token : '';
  const expiresIn = Number(body.expires_in);
  const expiry = Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null;
  return typeof body.id_token === 'string' && body.id_token ? { accessToken, refreshToken, expiry, idToken: body.id_token } : { accessToken, refreshToken, expiry };
}

/** Connector data for `Identity.connectorData`, in dex's JSON shape. */
export function encodeTokenData(token: UpstreamToken): Uint8Array {
  const expiry = token.expiry ? token.expiry.toISOString() : GO_ZERO_TIME;
  return new TextEncoder().encode(JSON.stringify({ accessToken: token.accessToken, refreshToken: token.refreshToken, expiry }));
}

/** Reads connector data written by `encodeTokenData` (or by dex); throws `ConnectorError` when there is none. */
export function decodeTokenData(connectorId: string, data: Uint8Array | null): UpstreamToken {
  if (!data || data.length === 0) throw new ConnectorError(connectorId, `${connectorId}: no upstream token in the connector data`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(data));
  } catch (err) {
    throw new ConnectorError(connectorId, `${connectorId}: connector data is not JSON`, { cause: err });
  }
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const accessToken = typeof o.accessToken === 'string' ? o.accessToken : '';
  const refreshToken = typeof o.refreshToken === 'string' ? o.refreshToken : '';
  if (!accessToken && !refreshToken) throw new ConnectorError(connectorId, `${connectorId}: no upstream token in the connector data`);
  const when = typeof o.expiry === 'string' ? new Date(o.expiry) : null;
  const expiry = when && !Number.isNaN(when.getTime()) && when.getUTCFullYear() > 1 ? when : null;
  return { accessToken, refreshToken, expiry };
}
