/**
 * `microsoft`: log in with Microsoft Entra ID / personal accounts, groups from Microsoft Graph, refresh.
 * config.ts (options, tenant rules) → factory.ts (endpoints, client secret or assertion) → connector.ts (login,
 * callback, refresh, group rules) → graph.ts (Graph calls and paging).
 */

export { microsoft } from './factory.js';
export type { MicrosoftConfig } from './config.js';
