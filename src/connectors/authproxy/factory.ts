/** The `authproxy` connector factory, registered in `src/config/registry.ts` under dex's type name. */

import type { ConnectorFactory } from '../types.js';
import { parseAuthProxyConfig, type AuthProxyConfig } from './config.js';
import { AuthProxyConnector } from './connector.js';

export const authproxy: ConnectorFactory<AuthProxyConfig> = {
  type: 'authproxy',
  parseConfig: parseAuthProxyConfig,
  open(id, config, deps) {
    deps.logger.info({ user_header: config.userHeader }, 'authproxy: trusting identity headers on /callback/' + id + '; the reverse proxy must strip them from clients');
    return new AuthProxyConnector(id, config);
  },
};
