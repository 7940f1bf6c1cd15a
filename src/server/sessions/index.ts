/**
 * The browser-session service shared by the login flow, MFA, logout and the home page (docs/compatibility.md,
 * "Browser sessions"). It imports no feature folder.
 */

export { SessionManager, expiryReason, type SessionManagerDeps } from './session-manager.js';
export { STEP, authenticatorStep, continueURL, mfaURL, signStep, stepURL, verifyStep, type Step } from './step-mac.js';
export { decodeSessionCookie, encodeSessionCookie } from './session-cookie.js';
export { consentSatisfied, rememberConsent, scopesCovered } from './consent.js';
export { findSSOSource, sharesWith } from './sso.js';
export { recordIdentity } from './identity.js';
export { appliedFactors, authMethodClaims, loginMethodClaims, MFA_ACR } from './auth-methods.js';
