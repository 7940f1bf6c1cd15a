/**
 * The password form's brute-force step: one connector login run through the throttle (per account and per client
 * address, stored so every replica sees it). Kept apart from password-login.ts so the form handler stays about
 * the form. Refused attempts become a 429 error page with `Retry-After`; the connector is not asked at all.
 */

import type { FastifyRequest } from 'fastify';
import type { Identity, PasswordConnector } from '../../connectors/types.js';
import { connectorScopes } from '../oauth2/scopes.js';
import { tooManyAttemptsPage } from '../throttle/too-many-attempts.js';
import type { ServerContext } from '../context.js';

/** Checks the credentials through the throttle; returns the identity, or null for wrong ones. Throws the 429. */
export async function throttledPasswordLogin(
  req: FastifyRequest,
  ctx: ServerContext,
  login: { connectorId: string; conn: PasswordConnector; scopes: string[]; username: string; password: string },
): Promise<Identity | null> {
  const attempt = {
    scope: 'password',
    address: ctx.guard.addressOf(req),
    account: `${login.connectorId}\0${login.username.toLowerCase()}`,
    requestId: String(req.id),
  };
  const outcome = await ctx.guard.run(attempt, async () => {
    const { identity, valid } = await login.conn.login(connectorScopes(login.scopes), login.username, login.password);
    return valid && identity ? identity : null;
  });
  if (outcome.refused) throw tooManyAttemptsPage(outcome.retryAfter);
  return outcome.value;
}
