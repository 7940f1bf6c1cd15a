/**
 * `gitea`: log in with gitea.com or a self-hosted Gitea; groups from orgs and teams; refresh.
 * config.ts → factory.ts → connector.ts → upstream.ts (API calls) → groups.ts (org/team rules).
 */

export { gitea } from './factory.js';
export type { GiteaConfig } from './config.js';
