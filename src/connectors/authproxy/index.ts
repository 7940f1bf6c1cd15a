/**
 * The `authproxy` connector (dex `connector/authproxy`): identity from headers set by an authenticating reverse
 * proxy on `/callback/<connector id>`. config.ts (headers and defaults), connector.ts (login URL, header mapping),
 * factory.ts (the factory).
 */

export { authproxy } from './factory.js';
export { AuthProxyConnector } from './connector.js';
export { parseAuthProxyConfig, type AuthProxyConfig } from './config.js';
