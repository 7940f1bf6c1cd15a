/**
 * What every OAuth2 SaaS factory's `open` builds first: the connector's JSON HTTP client and its OAuth2 client,
 * from the dex-format `clientID`/`clientSecret`/`redirectURI` (and `caPEM`, where the connector has `rootCA`)
 * and the connector's endpoints. Each factory keeps its own endpoints and what it builds on top.
 */

import type { ConnectorDeps } from '../types.js';
import { JsonHttpClient } from '../http/index.js';
import { OAuth2Client, type OAuth2ClientOptions } from './oauth2-client.js';

export interface OAuth2AppConfig {
  clientID: string;
  clientSecret: string;
  redirectURI: string;
  /** Extra trusted CA certificates (the connector's `rootCA`), when it has that option. */
  caPEM?: string[];
}

export interface OAuth2Endpoints {
  authURL: string;
  tokenURL: string;
  /** Deadline of each upstream call in ms (the HTTP client's default when absent). */
  timeoutMs?: number;
  /** Client authentication at the token endpoint (HTTP Basic when absent). */
  authStyle?: OAuth2ClientOptions['authStyle'];
}

/** The HTTP client and the OAuth2 client for connector `id`. */
export function openOAuth2Client(id: string, config: OAuth2AppConfig, endpoints: OAuth2Endpoints, deps: Pick<ConnectorDeps, 'now'>): { http: JsonHttpClient; oauth: OAuth2Client } {
  const http = new JsonHttpClient({ connectorId: id, caPEM: config.caPEM, timeoutMs: endpoints.timeoutMs });
  const oauth = new OAuth2Client({
    connectorId: id,
    clientId: config.clientID,
    clientSecret: config.clientSecret,
    redirectURI: config.redirectURI,
    authURL: endpoints.authURL,
    tokenURL: endpoints.tokenURL,
    authStyle: endpoints.authStyle,
    http,
    now: deps.now,
  });
  return { http, oauth };
}
