/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1; dex v2.45.1 `server/handlers.go` `handleToken`): HTTP Basic with URL-unescaped id
 * and secret (`client_secret_basic`), or form `client_id`/`client_secret` (`client_secret_post`); a public client
 * authenticates with its id alone (`none`). Using Basic and a form secret at once is `invalid_request` (§2.3: one
 * method per request). Unknown client or wrong secret → 401 `invalid_client`.
 */

import { NotFoundError } from '../../lib/errors.js';
import type { Storage } from '../../storage/storage.js';
import type { Client } from '../../storage/types.js';
import { constantTimeEqual } from '../../lib/constant-time.js';
import { invalidClient, invalidRequest } from './oauth-error.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  method: ClientAuthMethod;
}

/** Standard base64 (the credentials of a Basic header); anchored, with disjoint classes: linear time. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * The base64 credentials of `Basic <credentials>` (scheme case-insensitive, spaces/tabs around the credentials), or
 * '' when malformed. Parsed by index, not by one regular expression: `[ \t]+…[ \t]*$` around an optional token is
 * ambiguous and backtracks quadratically on `Basic` + many spaces + one bad character (issue 12 item 2).
 */
function basicCredentials(authorization: string): string {
  if (authorization.slice(0, 5).toLowerCase() !== 'basic' || !isBlank(authorization[5])) return '';
  let start = 6;
  while (isBlank(authorization[start])) start++;
  let end = authorization.length;
  while (end > start && isBlank(authorization[end - 1])) end--;
  const token = authorization.slice(start, end);
  return BASE64.test(token) ? token : '';
}

/** Go's `url.QueryUnescape`: `+` is a space, `%XX` an escaped byte; a bad escape is an error. */
function queryUnescape(value: string, what: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    throw invalidRequest(`${what} improperly encoded`);
  }
}

/** True when the Authorization header uses the Basic scheme (then a 401 carries `WWW-Authenticate`). */
export function isBasicAuthorization(authorization: string | undefined): boolean {
  return authorization !== undefined && /^basic(\s|$)/i.test(authorization);
}

/**
 * Reads the credentials a token request presents. `form` holds the (already de-duplicated) form values, '' when
 * absent. Another scheme in `Authorization` (e.g. Bearer) is ignored, as dex does.
 */
export function readClientCredentials(
  authorization: string | undefined,
  form: { clientId: string; clientSecret: string },
): ClientCredentials {
  if (!isBasicAuthorization(authorization)) {
    return { ...form, method: form.clientSecret === '' ? 'none' : 'client_secret_post' };
  }
  const decoded = Buffer.from(basicCredentials(authorization ?? ''), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw invalidClient(undefined, { detail: 'malformed Basic authorization header' });
  const clientId = queryUnescape(decoded.slice(0, colon), 'client_id');
  const clientSecret = queryUnescape(decoded.slice(colon + 1), 'client_secret');
  if (form.clientSecret !== '') throw invalidRequest('Client authentication must use only one method.');
  if (form.clientId !== '' && form.clientId !== clientId) {
    throw invalidRequest('client_id in the request body does not match the Authorization header.');
  }
  return { clientId, clientSecret, method: 'client_secret_basic' };
}

/** Looks the client up and checks its secret in constant time. Storage failures propagate (→ server_error). */
export async function authenticateClient(storage: Storage, creds: ClientCredentials): Promise<Client> {
  if (creds.clientId === '') throw invalidClient(undefined, { detail: 'no client_id' });
  let client: Client;
  try {
    client = await storage.getClient(creds.clientId);
  } catch (err) {
    if (err instanceof NotFoundError) throw invalidClient(undefined, { detail: 'unknown client' });
    throw err;
  }
  if (creds.clientSecret === '') {
    if (client.public) return client;
    throw invalidClient(undefined, { detail: `missing client_secret for client ${client.id}` });
  }
  if (!constantTimeEqual(client.secret, creds.clientSecret)) {
    throw invalidClient(undefined, { detail: `invalid client_secret for client ${client.id}` });
  }
  return client;
}
