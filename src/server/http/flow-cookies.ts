/**
 * Names and attributes of the browser flow's cookies (the login binding and the device form's cookie).
 * With an https issuer at the root path the names carry the `__Host-` prefix (RFC 6265bis §4.1.3.2): the browser
 * then accepts them only with `Secure`, `Path=/` and no `Domain`, so a sibling subdomain cannot plant ("toss") a
 * cookie of its choosing. Under an issuer path (`/dex`) the prefix is impossible and plain names are used.
 */

import { issuerPathOf } from './issuer-path.js';

export interface FlowCookies {
  /** Cookie path: the issuer path, or `/`. */
  path: string;
  /** `Secure` attribute: true when the issuer is https. */
  secure: boolean;
  /** Name of the cookie that binds a login flow to its browser (authflow/browser-binding.ts). */
  flow: string;
  /** Name of the device user-code form's cookie (device/device-csrf.ts). */
  device: string;
  /** Name of the cookie that ties a device callback to the browser that typed its user code (device/device-csrf.ts). */
  deviceFlow: string;
  /** Name of the cookie that carries a shown logout confirmation to its POST (logout/confirmation.ts). */
  logoutConfirm: string;
}

export function flowCookies(issuer: string): FlowCookies {
  const path = issuerPathOf(issuer);
  const secure = new URL(issuer).protocol === 'https:';
  const prefix = secure && path === '' ? '__Host-' : '';
  return {
    path: path || '/',
    secure,
    flow: `${prefix}ferry_flow`,
    device: `${prefix}ferry_device`,
    deviceFlow: `${prefix}ferry_device_flow`,
    logoutConfirm: `${prefix}ferry_logout`,
  };
}
