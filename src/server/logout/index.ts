/**
 * Logout (OpenID Connect RP-Initiated Logout 1.0; dex HEAD server/logout): `/logout`, the `end_session_endpoint`
 * (end-session-endpoint.ts: hint, confirmation, post-logout redirect), and `/logout/callback`, back from an
 * upstream's logout (logout-callback.ts). Ending a session and telling the relying parties is the shared service
 * `../backchannel` (end-session.ts, the outbox and its worker).
 */

export { registerLogout } from './logout-routes.js';
export type { LogoutContext, LogoutParams } from './logout-context.js';
