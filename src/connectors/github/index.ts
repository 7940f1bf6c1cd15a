/**
 * `github`: log in with GitHub or GitHub Enterprise (OAuth Apps and GitHub Apps), groups from orgs and teams.
 * config.ts (options) → factory.ts (endpoints, clients) → connector.ts (login, callback, refresh) → upstream.ts
 * (REST calls) → mapping.ts (email, team names) and groups.ts (org/team rules).
 */

export { github, createGithubFactory, GITHUB_COM, type GithubEndpoints } from './factory.js';
export type { GithubConfig } from './config.js';
