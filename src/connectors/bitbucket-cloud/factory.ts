/**
 * The `bitbucket-cloud` factory. Endpoints are bitbucket.org's; `createBitbucketCloudFactory(endpoints)` replaces
 * them for tests against an API simulation and is not reachable from YAML (dex has no such option either).
 */

import { openOAuth2Client } from '../oauth2-client/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseBitbucketCloudConfig, type BitbucketCloudConfig } from './config.js';
import { BitbucketCloudConnector } from './connector.js';

export interface BitbucketEndpoints {
  authURL: string;
  tokenURL: string;
  apiURL: string;
}

export const BITBUCKET_ORG: BitbucketEndpoints = {
  authURL: 'https://bitbucket.org/site/oauth2/authorize',
  tokenURL: 'https://bitbucket.org/site/oauth2/access_token',
  apiURL: 'https://api.bitbucket.org/2.0',
};

export function createBitbucketCloudFactory(e: BitbucketEndpoints = BITBUCKET_ORG): ConnectorFactory<BitbucketCloudConfig> {
  return {
    type: 'bitbucket-cloud',
    parseConfig: parseBitbucketCloudConfig,
    open(id, config, deps) {
      if (config.includeTeamGroups) {
        deps.logger.warn({ connector: id }, 'bitbucket: includeTeamGroups is deprecated and has no effect (the Bitbucket 1.0 API is gone)');
      }
      const { http, oauth } = openOAuth2Client(id, config, e, deps);
      return new BitbucketCloudConnector({ id, config, oauth, http, apiURL: e.apiURL, logger: deps.logger });
    },
  };
}

/** `type: bitbucket-cloud`. */
export const bitbucketCloud: ConnectorFactory<BitbucketCloudConfig> = createBitbucketCloudFactory();
