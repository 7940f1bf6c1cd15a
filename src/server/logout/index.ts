/**
 * Logout (OpenID Connect RP-Initiated Logout 1.0; dex HEAD server/logout): `/logout`, the `end_session_endpoint`
 * (end-session-endpoint.ts: hint, confirmation, post-logout redirect), and `/logout/callback`, back from an
 * upstream's logout (logout-callback.ts); served only with sessions on (without a session there is nothing to
 * end), wired in ../routes.ts. Ending a session and telling the relying parties is the shared service
 * `../backchannel` (end-session.ts, the outbox and its worker).
 */

export { endSessionEndpoint } from './end-session-endpoint.js';
export { logoutCallback } from './logout-callback.js';
export { LOGOUT_CALLBACK_PATH } from './upstream-logout.js';
export type { LogoutParams } from './logout-context.js';
