/**
 * CSRF protection of the user-code form (`/device` → `POST /device/auth/verify_code`): the page sets a random
 * HttpOnly, SameSite=Lax cookie and the form carries a token derived from it; the POST must present both. Another
 * site can neither read the cookie nor compute the token, so it cannot make a signed-in browser submit a user code
 * (RFC 8628 §5.4-style phishing then at least needs the user to see and press the form).
 */

import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../lib/constant-time.js';

export const DEVICE_COOKIE = 'ferry_device';

function cookieValue(req: FastifyRequest): string {
  const v = req.cookies[DEVICE_COOKIE];
  return typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v) ? v : '';
}

const tokenFor = (cookie: string) => createHash('sha256').update(`ferry-device-csrf:${cookie}`).digest('base64url');

/** The form token for this browser, setting its cookie first when it has none. */
export function deviceCsrfToken(req: FastifyRequest, reply: FastifyReply, opts: { path: string; secure: boolean }): string {
  let value = cookieValue(req);
  if (!value) {
    value = randomBytes(32).toString('base64url');
    reply.setCookie(DEVICE_COOKIE, value, { path: opts.path || '/', httpOnly: true, sameSite: 'lax', secure: opts.secure });
  }
  return tokenFor(value);
}

/** True when `token` was issued to this browser (compared in constant time). */
export function isValidDeviceCsrf(req: FastifyRequest, token: string): boolean {
  const value = cookieValue(req);
  return value !== '' && token !== '' && constantTimeEqual(tokenFor(value), token);
}

/** Cookie tying a device callback to the browser that typed its user code. */
export const DEVICE_FLOW_COOKIE = 'ferry_device_flow';

const flowTokenFor = (cookie: string, userCode: string) =>
  createHash('sha256').update(`ferry-device-flow:${cookie}\0${userCode}`).digest('base64url');

/** After a user code was accepted: remembers, in this browser only, that it entered `userCode`. */
export function bindDeviceFlow(req: FastifyRequest, reply: FastifyReply, userCode: string, opts: { path: string; secure: boolean }): void {
  const value = cookieValue(req);
  if (!value) return;
  reply.setCookie(DEVICE_FLOW_COOKIE, flowTokenFor(value, userCode), { path: opts.path || '/', httpOnly: true, sameSite: 'lax', secure: opts.secure });
}

/** True when this browser entered `userCode` (the callback's `state`) through the form. */
export function isBoundDeviceFlow(req: FastifyRequest, userCode: string): boolean {
  const value = cookieValue(req);
  const bound = req.cookies[DEVICE_FLOW_COOKIE];
  return value !== '' && typeof bound === 'string' && constantTimeEqual(flowTokenFor(value, userCode), bound);
}
