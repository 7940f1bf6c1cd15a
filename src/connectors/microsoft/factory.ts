/**
 * The `microsoft` factory: authorize and token endpoints are `<apiURL>/<tenant>/oauth2/v2.0/{authorize,token}`,
 * Graph is `graphURL`. With `clientAssertion` the token requests carry the JWT read from that file (read anew
 * each time, so rotated federated tokens are picked up) instead of the client secret.
 */

import { readFileSync } from 'node:fs';
import { ConnectorError } from '../../lib/errors.js';
import { JsonHttpClient } from '../http/index.js';
import { OAuth2Client } from '../oauth2-client/index.js';
import type { ConnectorFactory } from '../types.js';
import { parseMicrosoftConfig, PREFERRED_USERNAME_FIELDS, type MicrosoftConfig } from './config.js';
import { MicrosoftConnector } from './connector.js';

function assertionReader(id: string, file: string): () => string {
  return () => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConnectorError(id, `${id}: microsoft: cannot read clientAssertion ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  };
}

/** `type: microsoft`. */
export const microsoft: ConnectorFactory<MicrosoftConfig> = {
  type: 'microsoft',
  parseConfig: parseMicrosoftConfig,
  open(id, config, deps) {
    const field = config.preferredUsernameField;
    if (field && !(PREFERRED_USERNAME_FIELDS as readonly string[]).includes(field)) {
      deps.logger.warn({ connector: id, field }, 'microsoft: unknown preferredUsernameField; preferred_username stays empty');
    }
    const http = new JsonHttpClient({ connectorId: id });
    const base = `${config.apiURL}/${encodeURIComponent(config.tenant)}/oauth2/v2.0`;
    const oauth = new OAuth2Client({
      connectorId: id,
      clientId: config.clientID,
      clientSecret: config.clientSecret,
      redirectURI: config.redirectURI,
      authURL: `${base}/authorize`,
      tokenURL: `${base}/token`,
      ...(config.clientAssertion ? { authStyle: 'assertion' as const, clientAssertion: assertionReader(id, config.clientAssertion) } : { authStyle: 'post' as const }),
      http,
      now: deps.now,
    });
    return new MicrosoftConnector({ id, config, oauth, http, logger: deps.logger });
  },
};
