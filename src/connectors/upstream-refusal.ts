/**
 * Classifies an OAuth 2.0 error an upstream reported about a login: on the callback (RFC 6749 §4.1.2.1; OIDC Core
 * §3.1.2.6 adds the `*_required` codes) and from the token endpoint (RFC 6749 §5.2). What the user or the request
 * caused becomes a `UserRefusedError` (a 4xx page); everything else (the upstream failing, or a configuration the
 * upstream rejects: `invalid_client`, `unauthorized_client`, `invalid_scope`, ...) stays a `ConnectorError` (5xx).
 */

import { ConnectorError, UserRefusedError } from '../lib/errors.js';

const USER_DECLINED = new Set(['access_denied', 'login_required', 'consent_required', 'interaction_required', 'account_selection_required']);

/** The code as it may appear in a log line (never the upstream's free text). */
export function safeErrorCode(error: string): string {
  return /^[a-z_]{1,64}$/.test(error) ? error : 'unrecognised';
}

/** An `error` parameter on the callback. */
export function callbackError(connectorId: string, error: string, prefix: string): ConnectorError | UserRefusedError {
  const code = safeErrorCode(error);
  const message = `${prefix}: the provider answered error "${code}"`;
  return USER_DECLINED.has(code) ? new UserRefusedError(connectorId, 'access_denied', message) : new ConnectorError(connectorId, message);
}

/** Token endpoint codes for a grant that is stale, used or forged (GitHub says `bad_verification_code`). */
const BAD_GRANT = new Set(['invalid_grant', 'bad_verification_code', 'bad_refresh_token']);

/** An error from the token endpoint while redeeming a code or refresh token: a dead grant is the request's fault. */
export function codeExchangeError(connectorId: string, error: string, message: string, cause?: unknown): ConnectorError | UserRefusedError {
  return BAD_GRANT.has(safeErrorCode(error))
    ? new UserRefusedError(connectorId, 'bad_callback', message, { cause })
    : new ConnectorError(connectorId, message, { cause });
}
