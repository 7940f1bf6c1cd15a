/**
 * The `github` factory. Endpoints are github.com's, or `https://<hostName>` (+ `/api/v3`) for GitHub Enterprise.
 * `createGithubFactory(endpoints)` replaces the github.com endpoints; it exists for tests against an API
 * simulation and is not reachable from YAML (dex has no such option either).
 */

import { openOAuth2Client } from '../oauth2-client/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseGithubConfig, type GithubConfig } from './config.js';
import { GithubConnector } from './connector.js';

export interface GithubEndpoints {
  authURL: string;
  tokenURL: string;
  apiURL: string;
  /** Deadline of each upstream call in ms (default 30 s). */
  timeoutMs?: number;
}

export const GITHUB_COM: GithubEndpoints = {
  authURL: 'https://github.com/login/oauth/authorize',
  tokenURL: 'https://github.com/login/oauth/access_token',
  apiURL: 'https://api.github.com',
};

function endpointsFor(config: GithubConfig, dotCom: GithubEndpoints): GithubEndpoints {
  if (!config.hostName) return dotCom;
  const base = `https://${config.hostName}`;
  return { authURL: `${base}/login/oauth/authorize`, tokenURL: `${base}/login/oauth/access_token`, apiURL: `${base}/api/v3`, timeoutMs: dotCom.timeoutMs };
}

export function createGithubFactory(dotCom: GithubEndpoints = GITHUB_COM): ConnectorFactory<GithubConfig> {
  return {
    type: 'github',
    parseConfig: parseGithubConfig,
    open(id, config, deps) {
      if (config.org) deps.logger.warn({ connector: id }, "github: legacy field 'org' in use; switch to 'orgs'");
      const e = endpointsFor(config, dotCom);
      const { http, oauth } = openOAuth2Client(id, config, e, deps);
      return new GithubConnector({ id, config, oauth, http, apiURL: e.apiURL, logger: deps.logger });
    },
  };
}

/** `type: github`. */
export const github: ConnectorFactory<GithubConfig> = createGithubFactory();
