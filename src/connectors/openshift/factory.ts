/** The `openshift` factory: one HTTP client trusting `rootCA` (or, with `insecureCA`, anything) for the cluster. */

import { JsonHttpClient } from '../http/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseOpenshiftConfig, type OpenshiftConfig } from './config.js';
import { OpenshiftConnector } from './connector.js';

/** `type: openshift`. */
export const openshift: ConnectorFactory<OpenshiftConfig> = {
  type: 'openshift',
  parseConfig: parseOpenshiftConfig,
  open(id, config, deps) {
    if (config.insecureCA) deps.logger.warn({ connector: id }, 'openshift: insecureCA is set; TLS certificates of the cluster are not verified');
    const http = new JsonHttpClient({ connectorId: id, caPEM: config.caPEM, insecureSkipVerify: config.insecureCA });
    return new OpenshiftConnector({ id, config, http, now: deps.now });
  },
};
