/**
 * Back-channel logout (OpenID Connect Back-Channel Logout 1.0), a shared service: `createSessionEnder` is the one
 * way a browser session ends (logout, home page, gRPC API); it queues one notification per relying party in the
 * stored outbox, and `createDeliveryWorker`, run by every replica, delivers them with leases, retries and backoff
 * (docs/logout.md).
 */

export { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerOptions } from './delivery-worker.js';
export { createSessionEnder, type SessionEnder, type SessionEndReason } from './end-session.js';
export { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TYPE, mintLogoutToken } from './logout-token.js';
