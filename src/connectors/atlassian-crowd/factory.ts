/** The `atlassian-crowd` factory. */

import { JsonHttpClient } from '../http/index.js';
import type { ConnectorFactory } from '../types.js';
import { CROWD_PREFERRED_USERNAME_FIELDS, parseCrowdConfig, type CrowdConfig } from './config.js';
import { CrowdConnector } from './connector.js';
import { CrowdAPI } from './upstream.js';

/** `type: atlassian-crowd`. */
export const atlassianCrowd: ConnectorFactory<CrowdConfig> = {
  type: 'atlassian-crowd',
  parseConfig: parseCrowdConfig,
  open(id, config, deps) {
    const field = config.preferredUsernameField;
    if (field && !(CROWD_PREFERRED_USERNAME_FIELDS as readonly string[]).includes(field)) {
      deps.logger.warn({ connector: id, field }, 'crowd: unknown preferredUsernameField; preferred_username stays empty');
    }
    const api = new CrowdAPI(new JsonHttpClient({ connectorId: id }), config.baseURL, config.clientID, config.clientSecret);
    return new CrowdConnector({ id, config, api, logger: deps.logger });
  },
};
