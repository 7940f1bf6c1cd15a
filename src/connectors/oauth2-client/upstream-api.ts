/**
 * The base of each SaaS connector's REST client (`<connector>/upstream.ts`): the HTTP client, the API base URL and
 * the user's access token, and the one error for an answer of an unexpected shape (which names the endpoint, never
 * the body).
 */

import { ConnectorError } from '../../lib/errors.js';
import type { JsonHttpClient } from '../http/index.js';

export abstract class UpstreamAPI {
  protected readonly http: JsonHttpClient;
  protected readonly baseURL: string;
  protected readonly token: string;

  constructor(http: JsonHttpClient, baseURL: string, accessToken: string) {
    this.http = http;
    this.baseURL = baseURL;
    this.token = accessToken;
  }

  protected unexpected(path: string): ConnectorError {
    return new ConnectorError(this.http.connectorId, `${this.http.connectorId}: GET ${path}: unexpected answer shape`);
  }
}
