/**
 * The SAML 2.0 connector (dex `connector/saml`). Flow: `connector.ts`; XML safety: `xml.ts`, `verify-response.ts`,
 * `signature.ts`; SSO profile rules: `validate-assertion.ts`; attributes → identity: `mapping.ts`.
 */

export { saml } from './factory.js';
export { SamlConnector } from './connector.js';
export type { SamlConfig } from './config.js';
