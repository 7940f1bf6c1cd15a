/** The `gitlab` factory: every endpoint derives from `baseURL` (`/oauth/authorize`, `/oauth/token`, `/api/v4`). */

import { JsonHttpClient, OAuth2Client } from '../oauth2-client/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseGitlabConfig, type GitlabConfig } from './config.js';
import { GitlabConnector } from './connector.js';

/** `type: gitlab`. */
export const gitlab: ConnectorFactory<GitlabConfig> = {
  type: 'gitlab',
  parseConfig: parseGitlabConfig,
  open(id, config, deps) {
    const http = new JsonHttpClient({ connectorId: id, caPEM: config.caPEM });
    const oauth = new OAuth2Client({
      connectorId: id,
      clientId: config.clientID,
      clientSecret: config.clientSecret,
      redirectURI: config.redirectURI,
      authURL: `${config.baseURL}/oauth/authorize`,
      tokenURL: `${config.baseURL}/oauth/token`,
      http,
      now: deps.now,
    });
    return new GitlabConnector({ id, config, oauth, http });
  },
};
