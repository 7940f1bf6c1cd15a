/**
 * The one place that decides the status and the user's message of a browser-flow error page (dex v2.45.1
 * server/handlers.go renders a fixed set of messages; Ferry splits them by whose fault it is):
 * - a refusal caused by the user's data or the request (`UserRefusedError`, `UserNotInRequiredGroupsError`) is a
 *   4xx: one user's account, or a hostile POST, must not page anyone who watches 5xx rates;
 * - upstream trouble (`ConnectorError`: unreachable, timeouts, upstream 5xx, TLS, unusable answers) is a 502;
 * - storage trouble and `temporarily_unavailable` are a 503; anything else is Ferry's own 500.
 * Messages are fixed texts naming at most the connector's display name, never the upstream's words.
 */

import { ConnectorError, StorageError, UserNotInRequiredGroupsError, UserRefusedError, type RefusalReason } from '../../lib/errors.js';
import { OAuthError } from '../oauth2/oauth-error.js';

export interface ErrorPage {
  status: number;
  message: string;
}

const AGAIN = 'Please go back to the application and sign in again.';

export const REFUSAL_PAGES: Record<RefusalReason, (name: string) => ErrorPage> = {
  access_denied: (name) => ({ status: 403, message: `${name} did not allow this login.` }),
  no_verified_email: (name) => ({ status: 403, message: `Your ${name} account has no verified email address, which this login needs.` }),
  not_allowed: (name) => ({ status: 403, message: `Your ${name} account may not log in here.` }),
  invalid_response: (name) => ({ status: 400, message: `The login response from ${name} is invalid or was already used. ${AGAIN}` }),
  bad_callback: (name) => ({ status: 400, message: `The login response from ${name} is invalid or has expired. ${AGAIN}` }),
  unauthenticated: (name) => ({ status: 401, message: `${name} did not authenticate this request. ${AGAIN}` }),
};

export function errorPage(err: unknown, connectorName: string): ErrorPage {
  if (err instanceof OAuthError && err.expose) return { status: err.status, message: err.description };
  if (err instanceof UserRefusedError) return REFUSAL_PAGES[err.reason](connectorName);
  if (err instanceof UserNotInRequiredGroupsError) {
    return { status: 403, message: `You are not a member of any of the groups required to log in with ${connectorName}.` };
  }
  if (err instanceof ConnectorError) {
    return { status: 502, message: `Login with ${connectorName} failed: it returned an error or could not be reached. Please try again later.` };
  }
  if (err instanceof StorageError || (err instanceof OAuthError && err.code === 'temporarily_unavailable')) {
    return { status: 503, message: 'The service is temporarily unavailable. Please try again in a moment.' };
  }
  return { status: 500, message: 'Something went wrong on our side. Please try again.' };
}

/** The connector an error names, if any (for its display name on the page). */
export function connectorIdOf(err: unknown): string {
  return err instanceof ConnectorError || err instanceof UserNotInRequiredGroupsError || err instanceof UserRefusedError ? err.connectorId : '';
}
