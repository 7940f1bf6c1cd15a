/**
 * `openshift`: log in with an OpenShift cluster's OAuth server; groups from the user object; refresh.
 * config.ts (options, rootCA) → factory.ts (TLS trust) → connector.ts (discovery, login, refresh) →
 * token-data.ts (dex's connector-data shape).
 */

export { openshift } from './factory.js';
export type { OpenshiftConfig } from './config.js';
