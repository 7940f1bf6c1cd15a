/**
 * `gitlab`: log in with gitlab.com or a self-hosted GitLab; groups (direct or inherited, with roles); refresh;
 * token exchange. config.ts → factory.ts → connector.ts → upstream.ts (API calls) → groups.ts, permissions.ts.
 */

export { gitlab } from './factory.js';
export type { GitlabConfig } from './config.js';
