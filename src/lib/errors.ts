/**
 * Ferry's internal error hierarchy. Every error Ferry throws on purpose is a `DexError` with a stable `code`,
 * so callers can `switch (err.code)` and TypeScript narrows to the subclass (see `AnyDexError`).
 *
 * Protocol errors sent to clients are NOT here: they are `OAuthError` in `src/server/oauth2/oauth-error.ts`.
 * Messages of these errors are for logs; never send them to a client.
 */

export type DexErrorCode =
  | 'ERR_NOT_FOUND'
  | 'ERR_ALREADY_EXISTS'
  | 'ERR_STORAGE'
  | 'ERR_READ_ONLY'
  | 'ERR_CONFIG'
  | 'ERR_CONNECTOR'
  | 'ERR_NOT_IN_REQUIRED_GROUPS'
  | 'ERR_USER_REFUSED'
  | 'ERR_ALREADY_ROTATED';

/** Base class: a stable machine code plus a message for logs. */
export abstract class DexError extends Error {
  abstract readonly code: DexErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A storage lookup, update or delete found nothing under that key. */
export class NotFoundError extends DexError {
  readonly code = 'ERR_NOT_FOUND' as const;
}

/** A storage create found an object already stored under that key. */
export class AlreadyExistsError extends DexError {
  readonly code = 'ERR_ALREADY_EXISTS' as const;
}

/** The storage backend failed (connection lost, constraint, driver error). The driver error is the `cause`. */
export class StorageError extends DexError {
  readonly code = 'ERR_STORAGE' as const;
}

/** A write to an object that comes from the static config (static clients, passwords, connectors). */
export class ReadOnlyError extends DexError {
  readonly code = 'ERR_READ_ONLY' as const;
}

/** One problem in the configuration, with the key path it concerns (e.g. `staticClients[1].redirectURIs[0]`). */
export interface ConfigIssue {
  path: string;
  message: string;
}

/** The configuration is invalid. Carries every problem found, each with its key path. */
export class ConfigError extends DexError {
  readonly code = 'ERR_CONFIG' as const;
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[] | string, path = '') {
    const list = typeof issues === 'string' ? [{ path, message: issues }] : issues;
    super(list.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('\n'));
    this.issues = list;
  }
}

/** An upstream identity provider failed or answered something unusable. The detail is for logs only. */
export class ConnectorError extends DexError {
  readonly code = 'ERR_CONNECTOR' as const;
  readonly connectorId: string;
  constructor(connectorId: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.connectorId = connectorId;
  }
}

/** The user authenticated upstream but is in none of the groups the connector requires (maps to HTTP 403). */
export class UserNotInRequiredGroupsError extends DexError {
  readonly code = 'ERR_NOT_IN_REQUIRED_GROUPS' as const;
  readonly connectorId: string;
  constructor(connectorId: string, message = 'user is not in any of the required groups') {
    super(message);
    this.connectorId = connectorId;
  }
}

/**
 * Why a login was refused because of the user's own data or the request, not because of upstream trouble:
 * - `access_denied`: the user (or the upstream, for this user) declined: `error=access_denied` and its kin;
 * - `no_verified_email`: the upstream account has no (verified) email address the connector can use;
 * - `not_allowed`: the account exists but may not log in here (another hosted domain, inactive);
 * - `invalid_response`: the response the browser brought back is invalid (bad signature, wrong audience, replay);
 * - `bad_callback`: the callback is malformed, forged or stale (state mismatch, no code, a code already used);
 * - `unauthenticated`: the request carries no authentication the connector can use (authproxy without its header).
 */
export type RefusalReason = 'access_denied' | 'no_verified_email' | 'not_allowed' | 'invalid_response' | 'bad_callback' | 'unauthenticated';

/**
 * A login refused for the user's or the request's own reasons (maps to a 4xx page, see
 * `src/server/responses/error-page.ts`); `ConnectorError` stays for upstream trouble (5xx). The message is for logs.
 */
export class UserRefusedError extends DexError {
  readonly code = 'ERR_USER_REFUSED' as const;
  readonly connectorId: string;
  readonly reason: RefusalReason;
  constructor(connectorId: string, reason: RefusalReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.connectorId = connectorId;
    this.reason = reason;
  }
}

/** Sentinel used inside key rotation: another replica rotated first. Logged at info, never as an error. */
export class AlreadyRotatedError extends DexError {
  readonly code = 'ERR_ALREADY_ROTATED' as const;
}

export type AnyDexError =
  | NotFoundError
  | AlreadyExistsError
  | StorageError
  | ReadOnlyError
  | ConfigError
  | ConnectorError
  | UserNotInRequiredGroupsError
  | UserRefusedError
  | AlreadyRotatedError;

/** True when `err` is one of Ferry's typed errors; narrows to the discriminated union. */
export function isDexError(err: unknown): err is AnyDexError {
  return err instanceof DexError;
}
