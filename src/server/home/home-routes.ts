/**
 * `GET <issuer>/`: with a live browser session, the user's home page (home-page.ts); without one (or with sessions
 * off) the landing page with a sign-in hint. `POST <issuer>/home/<action>`: the page's actions (home-actions.ts),
 * CSRF-checked (home-csrf.ts), answered with 303 back to the page. Not in the CORS scope: these are pages for
 * this issuer's own browser tabs, and they carry personal data (`Cache-Control: no-store`).
 */

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context.js';
import { param, type RawParams } from '../http/params.js';
import { revokeApp, revokeDevice, signOut } from './home-actions.js';
import { homeCsrfToken, refuseHomePost } from './home-csrf.js';
import { homeView } from './home-data.js';
import { HOME_ACTIONS, homeMessage, homePage, type HomeAction } from './home-page.js';
import { landingPage } from './landing.js';

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(body);

/** The handlers of `GET /` (`page`) and `POST /home/:action` (`action`), wired in ../routes.ts. */
export function homeHandlers(deps: ServerContext) {
  const path = deps.issuerPath;
  const home = `${path}/`;
  const landing = landingPage(deps.issuer, { signInHint: deps.sessions.enabled });

  const page = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const session = await deps.sessions.current(req, reply);
    if (session === null) return html(reply, 200, landing);
    const view = await homeView(deps.storage, session, deps.now());
    return html(reply, 200, homePage(view, { issuer: deps.issuer, actionBase: `${path}/home/`, csrf: homeCsrfToken(session) }));
  };

  const act = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const action = (req.params as { action: string }).action as HomeAction;
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
  };

  return { page, action: act };
}
