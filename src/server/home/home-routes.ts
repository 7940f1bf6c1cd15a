/**
 * `GET <issuer>/`: with a live browser session, the user's home page (home-page.ts); without one (or with sessions
 * off) the landing page with a sign-in hint. `POST <issuer>/home/<action>`: the page's actions (home-actions.ts),
 * CSRF-checked (home-csrf.ts), answered with 303 back to the page. Not in the CORS scope: these are pages for
 * this issuer's own browser tabs, and they carry personal data (`Cache-Control: no-store`).
 */

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthSession } from '../../storage/types.js';
import { param, type RawParams } from '../http/params.js';
import { revokeApp, revokeDevice, signOut, type HomeActionDeps } from './home-actions.js';
import { homeCsrfToken, refuseHomePost } from './home-csrf.js';
import { homeView } from './home-data.js';
import { HOME_ACTIONS, homeMessage, homePage, type HomeAction } from './home-page.js';
import { landingPage } from './landing.js';
import { issuerPathOf } from '../http/issuer-path.js';

/** The part of the session service (src/server/sessions) the home page uses. */
export interface SessionAccess {
  readonly enabled: boolean;
  current(req: FastifyRequest, reply: FastifyReply): Promise<AuthSession | null>;
  clearCookie(reply: FastifyReply): void;
}

export interface HomeDeps extends HomeActionDeps {
  issuer: string;
  sessions: SessionAccess;
}

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

export function registerHome(app: FastifyInstance, deps: HomeDeps): void {
  const path = issuerPathOf(deps.issuer);
  const home = `${path}/`;
  const landing = landingPage(deps.issuer, { signInHint: deps.sessions.enabled });

  app.get('/', async (req, reply) => {
    const session = await deps.sessions.current(req, reply);
    if (session === null) return html(reply, 200, landing);
    const view = await homeView(deps.storage, session, deps.now());
    return html(reply, 200, homePage(view, { issuer: deps.issuer, actionBase: `${path}/home/`, csrf: homeCsrfToken(session) }));
  });

  app.post<{ Params: { action: string } }>('/home/:action', async (req, reply) => {
    const action = req.params.action as HomeAction;
    if (!HOME_ACTIONS.includes(action)) return html(reply, 404, homeMessage('Not found', 'There is no such action.', home));
    const session = await deps.sessions.current(req, reply);
    if (session === null) return html(reply, 401, homeMessage('Signed out', 'You are not signed in in this browser.', home));
    let fields: { csrf: string; id: string; clientId: string };
    try {
      const form = (req.body ?? {}) as RawParams;
      fields = { csrf: param(form, 'csrf'), id: param(form, 'id'), clientId: param(form, 'client_id') };
    } catch {
      return html(reply, 400, homeMessage('Bad request', 'The form was malformed.', home));
    }
    const refused = refuseHomePost(req, deps.issuer, session, fields.csrf);
    if (refused) {
      req.log.warn({ user_id: session.userId, reason: refused }, 'home: action refused');
      return html(reply, 403, homeMessage('Request refused', 'The form expired or was not sent by this page. Please try again.', home));
    }
    switch (action) {
      case 'sign-out':
      case 'sign-out-everywhere':
        await signOut(deps, session, action === 'sign-out-everywhere');
        deps.sessions.clearCookie(reply);
        break;
      case 'revoke-app':
        if (!(await revokeApp(deps, session, fields.clientId))) return html(reply, 404, homeMessage('Not found', 'That application has no access to revoke.', home));
        break;
      case 'revoke-device':
        if (!(await revokeDevice(deps, session, fields.id))) return html(reply, 404, homeMessage('Not found', 'That device is not one of yours.', home));
        break;
    }
    return reply.code(303).header('cache-control', 'no-store').redirect(home);
  });
}
