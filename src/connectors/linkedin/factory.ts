/**
 * The `linkedin` factory. Endpoints are LinkedIn's; `createLinkedinFactory(endpoints)` replaces them for tests
 * against an API simulation and is not reachable from YAML (dex has no such option either).
 * LinkedIn wants the client credentials as form fields at the token endpoint.
 */

import { openOAuth2Client } from '../oauth2-client/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseLinkedinConfig, type LinkedinConfig } from './config.js';
import { LinkedinConnector } from './connector.js';

export interface LinkedinEndpoints {
  authURL: string;
  tokenURL: string;
  apiURL: string;
}

export const LINKEDIN_COM: LinkedinEndpoints = {
  authURL: 'https://www.linkedin.com/oauth/v2/authorization',
  tokenURL: 'https://www.linkedin.com/oauth/v2/accessToken',
  apiURL: 'https://api.linkedin.com/v2',
};

export function createLinkedinFactory(e: LinkedinEndpoints = LINKEDIN_COM): ConnectorFactory<LinkedinConfig> {
  return {
    type: 'linkedin',
    parseConfig: parseLinkedinConfig,
    open(id, config, deps) {
      const { http, oauth } = openOAuth2Client(id, config, { ...e, authStyle: 'post' }, deps);
      return new LinkedinConnector({ id, oauth, http, apiURL: e.apiURL });
    },
  };
}

/** `type: linkedin`. */
export const linkedin: ConnectorFactory<LinkedinConfig> = createLinkedinFactory();
