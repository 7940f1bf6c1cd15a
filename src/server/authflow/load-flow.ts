/**
 * Loads the AuthRequest a flow step refers to and checks it is still usable by this browser.
 * Unknown, expired and foreign (started by another browser) requests get the same kind of error page.
 */

import type { FastifyRequest } from 'fastify';
import { NotFoundError } from '../../lib/errors.js';
import type { AuthRequest } from '../../storage/types.js';
import { isSameBrowser } from './browser-binding.js';
import type { ServerContext } from '../context.js';
import { pageError } from '../oauth2/oauth-error.js';

export const EXPIRED_MESSAGE = 'This login session has expired or is invalid. Please go back to the application and sign in again.';

export async function loadFlow(
  req: FastifyRequest,
  ctx: ServerContext,
  id: string,
  opts: { checkBrowser: boolean },
): Promise<AuthRequest> {
  if (!id) throw pageError(400, EXPIRED_MESSAGE, 'missing auth request id');
  const authReq = await ctx.storage.getAuthRequest(id).catch((err: unknown) => {
    if (err instanceof NotFoundError) throw pageError(400, EXPIRED_MESSAGE, 'auth request not found');
    throw err;
  });
  if (authReq.expiry.getTime() < ctx.now().getTime()) throw pageError(400, EXPIRED_MESSAGE, 'auth request expired');
  if (opts.checkBrowser && !isSameBrowser(req, authReq, ctx.cookies)) {
    throw pageError(403, 'This login was started in another browser. Please sign in again from the application.', 'browser binding mismatch');
  }
  return authReq;
}
