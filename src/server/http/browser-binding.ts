/**
 * Binds a login flow to the browser that started it (dex advisory GHSA-vh7g-p26c-j2cw): a random cookie is set
 * when the AuthRequest is created, the AuthRequest stores its SHA-256, and every later step (password form,
 * callback, approval, issuing the code) must present the same cookie. A link to someone else's login flow is
 * useless: nobody but the starting browser can log in, approve or collect the code. Forms also carry a CSRF token
 * derived from the cookie and the request's HMAC key.
 */

import { createHash, createHmac } from 'node:crypto';
import { pooledRandomBytes } from '../../lib/random-pool.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthRequest } from '../../storage/types.js';
import { constantTimeEqual as safeEqual } from '../../lib/constant-time.js';
import type { FlowCookies } from './flow-cookies.js';

const sha256 = (v: string) => createHash('sha256').update(v).digest('base64url');

/** The browser's binding cookie value, or '' when it has none (or a malformed one). */
export function browserCookie(req: FastifyRequest, cookies: FlowCookies): string {
  const v = req.cookies[cookies.flow];
  return typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : '';
}

/**
 * Returns the hash to store on a new AuthRequest, setting the browser's binding cookie if it has none (the new
 * value is then also visible to `browserCookie` for the rest of this request).
 */
export function bindBrowser(req: FastifyRequest, reply: FastifyReply, cookies: FlowCookies): string {
  let value = browserCookie(req, cookies);
  if (!value) {
    value = pooledRandomBytes(32).toString('base64url');
    reply.setCookie(cookies.flow, value, { path: cookies.path, httpOnly: true, sameSite: 'lax', secure: cookies.secure });
    req.cookies[cookies.flow] = value;
  }
  return sha256(value);
}

/** True when this request comes from the browser that started `authReq`. */
export function isSameBrowser(req: FastifyRequest, authReq: AuthRequest, cookies: FlowCookies): boolean {
  const value = browserCookie(req, cookies);
  return value !== '' && authReq.browserBinding !== '' && safeEqual(sha256(value), authReq.browserBinding);
}

/** HMAC-SHA256 of `message` under the request's key, base64url (dex's approval `hmac` parameter). */
export function requestMac(authReq: AuthRequest, message: string): string {
  return createHmac('sha256', authReq.hmacKey).update(message).digest('base64url');
}

export function isValidMac(authReq: AuthRequest, message: string, mac: string): boolean {
  return safeEqual(requestMac(authReq, message), mac);
}

/** The CSRF token a form of this flow must post back: bound to the request and to the browser's cookie. */
export function csrfToken(req: FastifyRequest, authReq: AuthRequest, cookies: FlowCookies): string {
  return requestMac(authReq, `csrf:${browserCookie(req, cookies)}`);
}

export function isValidCsrf(req: FastifyRequest, authReq: AuthRequest, cookies: FlowCookies, token: string): boolean {
  return token !== '' && safeEqual(csrfToken(req, authReq, cookies), token);
}
