/** The `oauth` connector factory (registered in `src/config/registry.ts`). */

import { JsonHttpClient, readRootCAs } from '../http/index.js';
import type { ConnectorFactory } from '../types.js';
import { checkRedirectURI } from '../upstream-urls.js';
import { parseOauthConfig, type OauthConfig } from './config.js';
import { OauthConnector } from './connector.js';
import { OauthUpstream, TIMEOUT_MS } from './upstream.js';

export const oauth: ConnectorFactory<OauthConfig> = {
  type: 'oauth',
  parseConfig: parseOauthConfig,
  open(id, config, deps) {
    checkRedirectURI(config.redirectURI, deps.issuer);
    const http = new JsonHttpClient({ connectorId: id, caPEM: readRootCAs(config.rootCAs), insecureSkipVerify: config.insecureSkipVerify, timeoutMs: TIMEOUT_MS });
    return new OauthConnector(id, config, new OauthUpstream(id, config, http.fetch));
  },
};
