/**
 * CSRF protection of the user-code form (`/device` → `POST /device/auth/verify_code`): the page sets a random
 * HttpOnly, SameSite=Lax cookie and Ferry's form carries a token derived from it; the POST must come from this
 * issuer's page in a browser holding the cookie (http/check-form-post.ts), and the token, when sent, must
 * match. dex's device template posts only `user_code`. Another site can neither send the cookie nor pass the
 * Fetch Metadata / Origin check, so it cannot make a signed-in browser submit a user code (RFC 8628 §5.4-style
 * phishing then at least needs the user to see and press the form).
 */

import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../lib/constant-time.js';
import type { FlowCookies } from '../http/flow-cookies.js';

/** This browser's device cookie, or '' when it has none (or a malformed one). */
export function deviceCookie(req: FastifyRequest, cookies: FlowCookies): string {
  const v = req.cookies[cookies.device];
  return typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : '';
}

const tokenFor = (cookie: string) => createHash('sha256').update(`ferry-device-csrf:${cookie}`).digest('base64url');

/** The form token for this browser, setting its cookie first when it has none. */
export function deviceCsrfToken(req: FastifyRequest, reply: FastifyReply, cookies: FlowCookies): string {
  let value = deviceCookie(req, cookies);
  if (!value) {
    value = randomBytes(32).toString('base64url');
    reply.setCookie(cookies.device, value, { path: cookies.path, httpOnly: true, sameSite: 'lax', secure: cookies.secure });
  }
  return tokenFor(value);
}

/** True when `token` was issued to this browser (compared in constant time). */
export function isValidDeviceCsrf(req: FastifyRequest, cookies: FlowCookies, token: string): boolean {
  const value = deviceCookie(req, cookies);
  return value !== '' && token !== '' && constantTimeEqual(tokenFor(value), token);
}

const flowTokenFor = (cookie: string, userCode: string) =>
  createHash('sha256').update(`ferry-device-flow:${cookie}\0${userCode}`).digest('base64url');

/** After a user code was accepted: remembers, in this browser only, that it entered `userCode`. */
export function bindDeviceFlow(req: FastifyRequest, reply: FastifyReply, userCode: string, cookies: FlowCookies): void {
  const value = deviceCookie(req, cookies);
  if (!value) return;
  reply.setCookie(cookies.deviceFlow, flowTokenFor(value, userCode), { path: cookies.path, httpOnly: true, sameSite: 'lax', secure: cookies.secure });
}

/** True when this browser entered `userCode` (the callback's `state`) through the form. */
export function isBoundDeviceFlow(req: FastifyRequest, cookies: FlowCookies, userCode: string): boolean {
  const value = deviceCookie(req, cookies);
  const bound = req.cookies[cookies.deviceFlow];
  return value !== '' && typeof bound === 'string' && constantTimeEqual(flowTokenFor(value, userCode), bound);
}
