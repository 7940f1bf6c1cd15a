/**
 * The checks every login step repeats before using a connector for a validated request (dex v2.45.1 `server/oauth2.go` `parseAuthorizationRequest`, last
 * rows; §4.5): the connector exists, the client may use it, it serves the implied grant, `connector_id` (if given)
 * names it, and `prompt=none` cannot be honoured by a connector's login page.
 */

import { NotFoundError } from '../../lib/errors.js';
import type { ResolvedConnector } from '../context.js';
import { OAuthError } from '../oauth2/oauth-error.js';
import { connectorAllowsGrant, impliedGrant } from './connector-grants.js';
import type { ServerContext } from '../context.js';
import { pageError } from './flow-errors.js';
import type { ValidAuthRequest } from './validate-auth-request.js';

export async function usableConnector(
  valid: ValidAuthRequest,
  connectorId: string,
  ctx: ServerContext,
  opts: { sessionFirst?: boolean } = {},
): Promise<{ resolved: ResolvedConnector; allowed: ResolvedConnector[] }> {
  const resolved = await ctx.connectors.get(connectorId).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw pageError(404, 'Connector not found.');
    throw err;
  });
  const allowed = await ctx.connectorsFor(valid.client);
  if (!allowed.some((c) => c.id === connectorId)) throw pageError(403, 'This application may not use this login method.');
  if (!connectorAllowsGrant(resolved, impliedGrant(valid.redirectURI, valid.params.responseTypes))) {
    throw pageError(400, 'This login method cannot be used for this kind of request.');
  }
  if (valid.params.connectorId && valid.params.connectorId !== connectorId) throw pageError(400, 'Bad connector ID.');
  // With sessions, the caller tries the browser's session first (session-login.ts answers `prompt=none` itself).
  if (valid.params.prompt.includes('none') && !opts.sessionFirst) throw new OAuthError('login_required', 'The user is not signed in.');
  return { resolved, allowed };
}
