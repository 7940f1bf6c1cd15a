/**
 * The device authorization grant's endpoints (RFC 8628; dex `server/device`). `device-routes.ts` mounts them and
 * draws the flow; the polling side is the `device_code` grant in `src/server/grants/device-code.ts`.
 */
export { isDeviceFlowEnabled, registerDeviceFlow } from './device-routes.js';
export { devicePkce, deviceRedirectURI, normalizeUserCode } from './device-binding.js';
