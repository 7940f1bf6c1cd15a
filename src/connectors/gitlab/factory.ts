/** The `gitlab` factory: every endpoint derives from `baseURL` (`/oauth/authorize`, `/oauth/token`, `/api/v4`). */

import { openOAuth2Client } from '../oauth2-client/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseGitlabConfig, type GitlabConfig } from './config.js';
import { GitlabConnector } from './connector.js';

/** `type: gitlab`. */
export const gitlab: ConnectorFactory<GitlabConfig> = {
  type: 'gitlab',
  parseConfig: parseGitlabConfig,
  open(id, config, deps) {
    const { http, oauth } = openOAuth2Client(id, config, { authURL: `${config.baseURL}/oauth/authorize`, tokenURL: `${config.baseURL}/oauth/token` }, deps);
    return new GitlabConnector({ id, config, oauth, http });
  },
};
