/**
 * `google`: log in with Google (OpenID Connect), `hd` checks, Workspace groups from the Admin SDK Directory API
 * with a service account, refresh. config.ts (options) → factory.ts (endpoints, key file) → connector.ts (login,
 * callback, refresh) → id-token.ts (discovery, ID token verification), directory.ts (groups),
 * service-account.ts (JWT bearer grant).
 */

export { createGoogleFactory, google, GOOGLE_COM, type GoogleEndpoints } from './factory.js';
export type { GoogleConfig } from './config.js';
