/**
 * The `oidc` connector factory (registered in `src/config/registry.ts`). `open` checks that `redirectURI` is the
 * server's callback URL, loads `openid-client` (only configs that use an OIDC upstream pay for it) and discovers
 * the provider.
 */

import { JsonHttpClient, readRootCAs } from '../http/index.js';
import type { ConnectorFactory } from '../types.js';
import { checkRedirectURI } from '../upstream-urls.js';
import { parseOidcConfig, type OidcConfig } from './config.js';
import { OidcConnector } from './connector.js';
import { TIMEOUT_S } from './upstream.js';

export const oidc: ConnectorFactory<OidcConfig> = {
  type: 'oidc',
  parseConfig: parseOidcConfig,
  async open(id, config, deps) {
    checkRedirectURI(config.redirectURI, deps.issuer);
    const lib = await import('openid-client');
    const overrides = Object.values(config.providerDiscoveryOverrides).some(Boolean);
    if (overrides) deps.logger.warn('oidc: providerDiscoveryOverrides are set; make sure they point at the intended provider');
    const http = new JsonHttpClient({ connectorId: id, caPEM: readRootCAs(config.rootCAs), insecureSkipVerify: config.insecureSkipVerify, timeoutMs: TIMEOUT_S * 1000 });
    const conn = new OidcConnector(id, config, deps, lib, http.fetch);
    await conn.warmUp();
    return conn;
  },
};
