/** Mounts `/logout` and `/logout/callback` when sessions are on (without a session there is nothing to end). */

import type { FastifyInstance } from 'fastify';
import { endSessionEndpoint } from './end-session-endpoint.js';
import type { LogoutContext } from './logout-context.js';
import { logoutCallback } from './logout-callback.js';
import { LOGOUT_CALLBACK_PATH } from './upstream-logout.js';

export function registerLogout(app: FastifyInstance, ctx: LogoutContext): void {
  if (!ctx.sessions.enabled) return;
  app.route({ url: '/logout', method: ['GET', 'POST'], handler: (req, reply) => endSessionEndpoint(req, reply, ctx) });
  app.route({ url: LOGOUT_CALLBACK_PATH, method: ['GET', 'POST'], handler: (req, reply) => logoutCallback(req, reply, ctx) });
}
