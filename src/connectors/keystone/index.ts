/**
 * `keystone`: username/password login against OpenStack Keystone v3, groups, refresh through an admin account.
 * config.ts (options, domain id or name) → factory.ts → connector.ts (login, refresh) → upstream.ts (API calls).
 */

export { keystone } from './factory.js';
export type { KeystoneConfig } from './config.js';
