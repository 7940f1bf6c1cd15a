/**
 * The device authorization grant's endpoints (RFC 8628; dex `server/device`). `device-routes.ts` draws the flow
 * (../routes.ts wires the handlers); the polling side is the `device_code` grant in `src/server/grants/device-code.ts`.
 */
export { isDeviceFlowEnabled, USER_CODE_TRIES } from './device-routes.js';
export { deviceCodeEndpoint } from './device-code.js';
export { devicePage, verifyUserCode } from './device-page.js';
export { deviceCallback } from './device-callback.js';
export { devicePkce, deviceRedirectURI, normalizeUserCode } from './device-binding.js';
