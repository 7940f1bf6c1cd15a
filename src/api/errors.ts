/**
 * The one place API failures become gRPC statuses. Messages sent are fixed, safe texts: a storage driver's or a
 * connector's message never reaches a client; the real error is logged with the RPC name.
 *
 * dex answers most failures with gRPC code Unknown and Go's error text; Ferry keeps dex's texts for validation
 * problems but uses the matching codes (InvalidArgument, NotFound, FailedPrecondition, Internal).
 */

import { Code, ConnectError } from '@connectrpc/connect';
import { ConfigError, isDexError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

/** A request the API refuses as malformed (dex's "no id supplied", bad bcrypt cost, ...). */
export const invalidArgument = (message: string): ConnectError => new ConnectError(message, Code.InvalidArgument);

/** Throws FailedPrecondition (dex's text) when the RPC's feature flag is off. */
export function requireFlag(enabled: boolean, flag: string): void {
  if (!enabled) throw new ConnectError(`${flag} feature flag is not enabled`, Code.FailedPrecondition);
}

/**
 * Longest message sent. Validation messages quote the offending value; a 200 kB value quoted into the
 * `grpc-message` trailer overflowed the HTTP/2 header frame and reset the whole connection (found by test/fuzz).
 */
export const MAX_MESSAGE = 400;

/** Maps anything thrown by an RPC to a `ConnectError` with a safe message of bounded length. */
export function toConnectError(err: unknown, rpc: string, logger: Logger): ConnectError {
  const out = mapError(err, rpc, logger);
  if (out.rawMessage.length <= MAX_MESSAGE) return out;
  return new ConnectError(`${out.rawMessage.slice(0, MAX_MESSAGE).replace(/[\ud800-\udbff]$/, '')}… (truncated)`, out.code);
}

/** Maps anything thrown by an RPC to a `ConnectError` with a safe message, logging what is not the caller's fault. */
function mapError(err: unknown, rpc: string, logger: Logger): ConnectError {
  if (err instanceof ConnectError) return err;
  if (err instanceof ConfigError) {
    // Problems in a connector config the caller sent: paths and reasons only, never values.
    return invalidArgument(`invalid connector config: ${err.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`);
  }
  if (isDexError(err)) {
    switch (err.code) {
      case 'ERR_NOT_FOUND':
        return new ConnectError('not found', Code.NotFound);
      case 'ERR_ALREADY_EXISTS':
        return new ConnectError('already exists', Code.AlreadyExists);
      case 'ERR_READ_ONLY':
        return new ConnectError('read-only: defined in the config file', Code.FailedPrecondition);
      default:
        break;
    }
  }
  logger.error({ rpc, err: err instanceof Error ? err.message : String(err) }, 'api: request failed');
  return new ConnectError(`${rpc}: internal error`, Code.Internal);
}

/**
 * Runs `fn`; when it throws the storage error `code`, answers `fallback` instead. This is how the `not_found` and
 * `already_exists` response flags are set, exactly where dex sets them.
 */
export async function recover<T, F>(
  fn: () => Promise<T>,
  code: 'ERR_NOT_FOUND' | 'ERR_ALREADY_EXISTS',
  fallback: F,
): Promise<T | F> {
  try {
    return await fn();
  } catch (err) {
    if (isDexError(err) && err.code === code) return fallback;
    throw err;
  }
}
