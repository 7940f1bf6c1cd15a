/**
 * `atlassian-crowd`: username/password login against Atlassian Crowd, nested groups, refresh.
 * config.ts (options) → factory.ts → connector.ts (login, refresh, group rules) → upstream.ts (REST calls).
 */

export { atlassianCrowd } from './factory.js';
export type { CrowdConfig } from './config.js';
