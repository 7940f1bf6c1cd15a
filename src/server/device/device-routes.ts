/**
 * Mounts the device flow (RFC 8628) under the issuer path when the device_code grant is enabled:
 *
 *   POST /device/code                 device-code.ts     the device gets device_code + user_code
 *   GET  /device                      device-page.ts     the user types the user code …
 *   POST /device/auth/verify_code     device-page.ts     … which sends the browser into /auth
 *   GET  /device/callback             device-callback.ts /auth comes back; tokens stored for the device
 *   POST /token (device_code grant)   grants/device-code.ts  the device polls
 */

import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/types.js';
import type { FlowContext } from '../authflow/flow-context.js';
import { GRANT_TYPES, offeredTokenGrantTypes } from '../oauth2/grant-types.js';
import { deviceCallback, type DeviceCallbackDeps } from './device-callback.js';
import { registerDeviceCode } from './device-code.js';
import { devicePage, verifyUserCode } from './device-page.js';

/** How many user codes one client address may submit per minute. */
export const USER_CODE_TRIES = 30;

/** True when the server offers the device flow (and advertises `device_authorization_endpoint`). */
export function isDeviceFlowEnabled(config: Config): boolean {
  return offeredTokenGrantTypes(config.oauth2).includes(GRANT_TYPES.deviceCode);
}

export function registerDeviceFlow(app: FastifyInstance, deps: DeviceCallbackDeps, ctx: FlowContext): void {
  if (!isDeviceFlowEnabled(deps.config)) return;
  registerDeviceCode(app, ctx);
  app.get('/device', (req, reply) => devicePage(req, reply, ctx));
  // User codes are short (8 letters): each client address may try at most USER_CODE_TRIES a minute.
  void app.register(async (scope) => {
    await scope.register(rateLimit, { global: false });
    scope.post(
      '/device/auth/verify_code',
      { config: { rateLimit: { max: USER_CODE_TRIES, timeWindow: '1 minute' } } },
      (req, reply) => verifyUserCode(req, reply, ctx),
    );
  });
  const callback = deviceCallback(deps);
  app.get('/device/callback', (req, reply) => callback(req, reply, ctx));
}
