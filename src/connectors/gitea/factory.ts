/** The `gitea` factory: endpoints derive from `baseURL` (`/login/oauth/authorize`, `/login/oauth/access_token`, `/api/v1`). */

import { openOAuth2Client } from '../oauth2-client/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseGiteaConfig, type GiteaConfig } from './config.js';
import { GiteaConnector } from './connector.js';

/** `type: gitea`. */
export const gitea: ConnectorFactory<GiteaConfig> = {
  type: 'gitea',
  parseConfig: parseGiteaConfig,
  open(id, config, deps) {
    const { http, oauth } = openOAuth2Client(id, config, { authURL: `${config.baseURL}/login/oauth/authorize`, tokenURL: `${config.baseURL}/login/oauth/access_token` }, deps);
    return new GiteaConnector({ id, config, oauth, http });
  },
};
