/**
 * The device flow (RFC 8628), served under the issuer path when the device_code grant is enabled; the route
 * table (../routes.ts) wires these handlers:
 *
 *   POST /device/code                 device-code.ts     the device gets device_code + user_code
 *   GET  /device                      device-page.ts     the user types the user code …
 *   POST /device/auth/verify_code     device-page.ts     … which sends the browser into /auth
 *   GET  /device/callback             device-callback.ts /auth comes back; tokens stored for the device
 *   POST /token (device_code grant)   grants/device-code.ts  the device polls
 */

import type { Config } from '../../config/types.js';
import { GRANT_TYPES, offeredTokenGrantTypes } from '../oauth2/grant-types.js';

/** How many user codes one client address may submit per minute. */
export const USER_CODE_TRIES = 30;

/** True when the server offers the device flow (and advertises `device_authorization_endpoint`). */
export function isDeviceFlowEnabled(config: Config): boolean {
  return offeredTokenGrantTypes(config.oauth2).includes(GRANT_TYPES.deviceCode);
}
