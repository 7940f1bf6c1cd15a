/**
 * The one decision whether a login may use a connector for a validated request (dex v2.45.1 `server/oauth2.go`
 * `parseAuthorizationRequest`, last rows; §4.5): the connector exists, the client may use it, it serves the implied
 * grant, `connector_id` (if given) names it, and `prompt=none` cannot be honoured by a connector's login page.
 * It works on the client's connectors read once by `validateAuthRequest` (`valid.connectors`), so a login request
 * lists the connectors once however many steps look at them.
 */

import { NotFoundError } from '../../lib/errors.js';
import type { ResolvedConnector, ServerContext } from '../context.js';
import { OAuthError, pageError } from '../oauth2/oauth-error.js';
import { connectorAllowsGrant, impliedGrant } from './connector-grants.js';
import type { ValidAuthRequest } from './validate-auth-request.js';

/** The connectors of `valid.connectors` that serve the request's implied grant (the login page's choice). */
export function usableConnectors(valid: ValidAuthRequest): ResolvedConnector[] {
  const grant = impliedGrant(valid.redirectURI, valid.params.responseTypes);
  return valid.connectors.filter((c) => connectorAllowsGrant(c, grant));
}

/** Why `connectorId` is not among the client's: it does not exist (404) or the client may not use it (403). */
async function refusal(ctx: ServerContext, connectorId: string): Promise<never> {
  await ctx.connectors.get(connectorId).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw pageError(404, 'Connector not found.');
    throw err;
  });
  throw pageError(403, 'This application may not use this login method.');
}

export async function usableConnector(
  valid: ValidAuthRequest,
  connectorId: string,
  ctx: ServerContext,
  opts: { sessionFirst?: boolean } = {},
): Promise<{ resolved: ResolvedConnector; allowed: ResolvedConnector[] }> {
  const resolved = valid.connectors.find((c) => c.id === connectorId) ?? (await refusal(ctx, connectorId));
  if (!connectorAllowsGrant(resolved, impliedGrant(valid.redirectURI, valid.params.responseTypes))) {
    throw pageError(400, 'This login method cannot be used for this kind of request.');
  }
  if (valid.params.connectorId && valid.params.connectorId !== connectorId) throw pageError(400, 'Bad connector ID.');
  // With sessions, the caller tries the browser's session first (session-login.ts answers `prompt=none` itself).
  if (valid.params.prompt.includes('none') && !opts.sessionFirst) throw new OAuthError('login_required', 'The user is not signed in.');
  return { resolved, allowed: valid.connectors };
}
