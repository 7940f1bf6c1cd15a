/**
 * The `google` factory. Endpoints come from discovery of `https://accounts.google.com` (as dex's go-oidc
 * provider does) and the Directory API is `https://admin.googleapis.com`. `createGoogleFactory(endpoints)`
 * replaces those two roots; it exists for tests against an API simulation and is not reachable from YAML.
 * The service account's token endpoint is the key file's own `token_uri`.
 */

import { ConfigError } from '../../lib/errors.js';
import { JsonHttpClient } from '../http/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseGoogleConfig, type GoogleConfig } from './config.js';
import { GoogleConnector } from './connector.js';
import { Directory } from './directory.js';
import { GoogleProvider } from './id-token.js';
import { readServiceAccountFile, ServiceAccount } from './service-account.js';

export interface GoogleEndpoints {
  issuer: string;
  directoryURL: string;
  timeoutMs?: number;
}

export const GOOGLE_COM: GoogleEndpoints = { issuer: 'https://accounts.google.com', directoryURL: 'https://admin.googleapis.com' };

export function createGoogleFactory(endpoints: GoogleEndpoints = GOOGLE_COM): ConnectorFactory<GoogleConfig> {
  return {
    type: 'google',
    parseConfig: parseGoogleConfig,
    open(id, config, deps) {
      const http = new JsonHttpClient({ connectorId: id, timeoutMs: endpoints.timeoutMs });
      if (config.usesAdminEmail) deps.logger.warn({ connector: id }, 'google: "adminEmail" is deprecated; use domainToAdminEmail."*"');
      let directory: Directory | null = null;
      if (Object.keys(config.domainToAdminEmail).length > 0) {
        // dex falls back to Application Default Credentials; Ferry reads the key file they name, if any.
        const file = config.serviceAccountFilePath || process.env.GOOGLE_APPLICATION_CREDENTIALS || '';
        if (!file) {
          throw new ConfigError('no service account key: set serviceAccountFilePath or GOOGLE_APPLICATION_CREDENTIALS (the GCE metadata server is not supported)', `connector ${id}: serviceAccountFilePath`);
        }
        const key = readServiceAccountFile(file, `connector ${id}: serviceAccountFilePath`);
        const account = new ServiceAccount(id, key, http, deps.now);
        directory = new Directory({ id, http, baseURL: endpoints.directoryURL.replace(/\/$/, ''), account, domainToAdminEmail: config.domainToAdminEmail, logger: deps.logger });
      } else if (config.groups.length > 0) {
        deps.logger.warn({ connector: id }, 'google: "groups" is set without domainToAdminEmail; membership cannot be read and is not enforced');
      }
      const provider = new GoogleProvider(id, endpoints.issuer, http, deps.now);
      return new GoogleConnector({ id, config, http, provider, directory, logger: deps.logger, now: deps.now });
    },
  };
}

/** `type: google`. */
export const google: ConnectorFactory<GoogleConfig> = createGoogleFactory();
