/**
 * Logout at the upstream too (dex HEAD server/logout/logout.go tryUpstreamLogout): when the session's connector can
 * log out (`LogoutCallbackConnector`: the `oidc` connector with an `end_session_endpoint`), the verified logout
 * parameters are parked in the session's `logoutState` and the browser goes to the upstream, which sends it back
 * to `/logout/callback`. The session ends there, not here: ending it now would tell the relying parties while a
 * user who abandons the upstream page is still signed in to Ferry.
 */

import { isLogoutCallbackConnector } from '../../connectors/capabilities.js';
import type { AuthSession } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import type { LogoutParams } from './logout-context.js';

export const LOGOUT_CALLBACK_PATH = '/logout/callback';

/** The upstream logout URL to send the browser to, or null to end the session locally. */
export async function startUpstreamLogout(ctx: ServerContext, session: AuthSession, p: LogoutParams): Promise<string | null> {
  const resolved = await ctx.connectors.get(session.connectorId).catch(() => null);
  if (!resolved || !isLogoutCallbackConnector(resolved.connector)) return null;
  let url: string;
  try {
    url = await resolved.connector.logoutURL(`${ctx.config.issuer}${LOGOUT_CALLBACK_PATH}`);
  } catch (err) {
    ctx.logger.error({ connector_id: session.connectorId, err: (err as Error).message }, 'logout: upstream logout unavailable; ending the session here');
    return null;
  }
  if (!url) return null;
  await ctx.storage.updateAuthSession(session.id, (old) => ({
    ...old,
    logoutState: { postLogoutRedirectURI: p.postLogoutRedirectURI, state: p.state, clientId: p.clientId, connectorId: session.connectorId },
  }));
  return url;
}
