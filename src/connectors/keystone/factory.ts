/** The `keystone` factory. */

import { JsonHttpClient } from '../http/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseKeystoneConfig, type KeystoneConfig } from './config.js';
import { KeystoneConnector } from './connector.js';
import { KeystoneAPI } from './upstream.js';

/** `type: keystone`. */
export const keystone: ConnectorFactory<KeystoneConfig> = {
  type: 'keystone',
  parseConfig: parseKeystoneConfig,
  open(id, config, deps) {
    if (!config.keystoneUsername || !config.keystonePassword) {
      deps.logger.warn({ connector: id }, 'keystone: keystoneUsername/keystonePassword not set; refresh will fail');
    }
    const api = new KeystoneAPI(new JsonHttpClient({ connectorId: id }), config.keystoneHost, config.domain);
    return new KeystoneConnector({ id, config, api, logger: deps.logger });
  },
};
