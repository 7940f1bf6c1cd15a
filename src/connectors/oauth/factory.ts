/** The `oauth` connector factory (registered in `src/config/registry.ts`). */

import { connectorFetch } from '../oidc/http-client.js';
import type { ConnectorFactory } from '../types.js';
import { checkRedirectURI } from '../upstream-urls.js';
import { parseOauthConfig, type OauthConfig } from './config.js';
import { OauthConnector } from './connector.js';
import { OauthUpstream } from './upstream.js';

export const oauth: ConnectorFactory<OauthConfig> = {
  type: 'oauth',
  parseConfig: parseOauthConfig,
  open(id, config, deps) {
    checkRedirectURI(config.redirectURI, deps.issuer);
    return new OauthConnector(id, config, new OauthUpstream(id, config, connectorFetch(config)));
  },
};
