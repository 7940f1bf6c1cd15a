/**
 * The generic `oauth` connector: OAuth 2.0 authorization code flow plus a userinfo JSON endpoint (dex
 * `connector/oauth`). No refresh tokens. Files: `config.ts` (keys, defaults), `upstream.ts` (token and userinfo
 * calls), `mapping.ts` (userinfo + JWT access token → Identity), `connector.ts`, `factory.ts`.
 */
export { oauth } from './factory.js';
export { OauthConnector } from './connector.js';
export { parseOauthConfig, type OauthConfig } from './config.js';
