/**
 * The one protocol error class (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3; OIDC Core §3.1.2.6).
 * `description` is safe to send; `detail` goes to logs only. Serialized in exactly one place per channel:
 * JSON (`write-json-error.ts`), to the client's redirect URI (`responses/client-response.ts`), HTML page
 * (`server/templates`).
 */

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'access_denied'
  | 'server_error'
  | 'temporarily_unavailable'
  | 'request_not_supported'
  | 'request_uri_not_supported'
  | 'login_required'
  | 'interaction_required'
  | 'consent_required'
  | 'invalid_token'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'unsupported_token_type';

export interface OAuthErrorOptions {
  /** HTTP status; defaults by code (400, 401 for invalid_client, 500 for server_error, 503 for unavailable). */
  status?: number;
  /** For logs only; never sent. */
  detail?: string;
  /** False for failures of client_id or redirect_uri: the error must not be redirected to the client. */
  allowRedirect?: boolean;
  /** Seconds the client should wait (sent as `Retry-After`, RFC 9110 §10.2.3), for 429 answers. */
  retryAfter?: number;
  cause?: unknown;
}

const DEFAULT_STATUS: Partial<Record<OAuthErrorCode, number>> = {
  invalid_client: 401,
  server_error: 500,
  temporarily_unavailable: 503,
};

export class OAuthError extends Error {
  readonly code: OAuthErrorCode;
  readonly description: string;
  readonly detail: string;
  readonly status: number;
  readonly allowRedirect: boolean;
  readonly retryAfter: number | undefined;

  constructor(code: OAuthErrorCode, description: string, opts: OAuthErrorOptions = {}) {
    super(`${code}: ${description}${opts.detail ? ` (${opts.detail})` : ''}`, { cause: opts.cause });
    this.name = 'OAuthError';
    this.code = code;
    this.description = description;
    this.detail = opts.detail ?? '';
    this.status = opts.status ?? DEFAULT_STATUS[code] ?? 400;
    this.allowRedirect = opts.allowRedirect ?? true;
    this.retryAfter = opts.retryAfter;
  }

  /** Errors below 500 are safe to show as they are; anything else becomes a generic server_error. */
  get expose(): boolean {
    return this.status < 500;
  }
}

type Ctor = (description?: string, opts?: OAuthErrorOptions) => OAuthError;
const make =
  (code: OAuthErrorCode, fallback: string): Ctor =>
  (description = fallback, opts = {}) =>
    new OAuthError(code, description, opts);

export const invalidRequest = make('invalid_request', 'The request is missing a parameter or is malformed.');
export const invalidClient = make('invalid_client', 'Invalid client credentials.');
export const invalidGrant = make('invalid_grant', 'The grant is invalid, expired or was issued to another client.');
export const unauthorizedClient = make('unauthorized_client', 'The client is not allowed to use this grant.');
export const unsupportedGrantType = make('unsupported_grant_type', 'The grant type is not supported.');
export const unsupportedResponseType = make('unsupported_response_type', 'The response type is not supported.');
export const invalidScope = make('invalid_scope', 'The requested scope is invalid.');
export const accessDenied = make('access_denied', 'Access denied.');
export const serverError = make('server_error', 'An internal server error occurred.');
export const temporarilyUnavailable = make('temporarily_unavailable', 'The service is temporarily unavailable.');
export const requestNotSupported = make('request_not_supported', 'The request parameter is not supported.');
export const invalidToken = make('invalid_token', 'The access token is invalid.');

/** Turns anything thrown into an OAuthError that is safe to serialize (internals become server_error). */
export function toOAuthError(err: unknown): OAuthError {
  if (err instanceof OAuthError && err.expose) return err;
  if (err instanceof OAuthError) return new OAuthError(err.code === 'temporarily_unavailable' ? err.code : 'server_error', err.code === 'temporarily_unavailable' ? err.description : 'An internal server error occurred.', { status: err.status, cause: err });
  return serverError(undefined, { cause: err });
}

/** An error page with a status and a message that is safe to show (never a redirect to the client). */
export function pageError(status: number, message: string, detail?: string): OAuthError {
  return new OAuthError(status >= 500 ? 'server_error' : 'invalid_request', message, { status, allowRedirect: false, detail });
}
