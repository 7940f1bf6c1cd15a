/**
 * The Microsoft Graph v1.0 calls the connector makes with the user's access token (learn.microsoft.com/graph):
 * `GET /me` (selected fields), `POST /me/getMemberGroups` (group ids, following `@odata.nextLink`) and
 * `POST /directoryObjects/getByIds` (names, at most 1,000 ids a request — Graph's limit, dex #4833 — each answer
 * also paged by `@odata.nextLink`).
 */

import { ConnectorError } from '../../lib/errors.js';
import { type JsonHttpClient } from '../http/index.js';
import { collectPages } from '../oauth2-client/index.js';

export interface GraphUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mailNickname: string;
  onPremisesSamAccountName: string;
}

/** Graph's cap on ids per `getByIds` request. */
export const GET_BY_IDS_LIMIT = 1000;

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const SELECT = 'id,displayName,userPrincipalName,mailNickname,onPremisesSamAccountName';

export class GraphAPI {
  private readonly http: JsonHttpClient;
  private readonly graphURL: string;
  private readonly token: string;

  constructor(http: JsonHttpClient, graphURL: string, accessToken: string) {
    this.http = http;
    this.graphURL = graphURL;
    this.token = accessToken;
  }

  private get id(): string {
    return this.http.connectorId;
  }

  async me(): Promise<GraphUser> {
    const { body } = await this.http.getJSON<Record<string, unknown>>(`${this.graphURL}/v1.0/me?$select=${SELECT}`, { bearer: this.token });
    if (!str(body?.id)) throw new ConnectorError(this.id, `${this.id}: GET /v1.0/me: answer without an id`);
    return {
      id: str(body.id),
      displayName: str(body.displayName),
      userPrincipalName: str(body.userPrincipalName),
      mailNickname: str(body.mailNickname),
      onPremisesSamAccountName: str(body.onPremisesSamAccountName),
    };
  }

  /** POSTs `document` to `first`, then to each `@odata.nextLink`, collecting `value`. */
  private postPages<T>(first: string, document: unknown, map: (v: unknown) => T): Promise<T[]> {
    return collectPages(this.id, first, async (url) => {
      const { body } = await this.http.postJSON<Record<string, unknown>>(url, document, { bearer: this.token });
      if (!Array.isArray(body?.value)) throw new ConnectorError(this.id, `${this.id}: POST ${new URL(first).pathname}: answer without a value list`);
      const next = body['@odata.nextLink'];
      return { items: body.value.map(map), next: typeof next === 'string' && next ? next : null };
    });
  }

  /** The ids of every group the user is in (transitively), security groups only when asked. */
  memberGroupIds(securityEnabledOnly: boolean): Promise<string[]> {
    return this.postPages(`${this.graphURL}/v1.0/me/getMemberGroups`, { securityEnabledOnly }, str);
  }

  /** Display names of the groups `ids`, 1,000 ids a request. */
  async groupNames(ids: readonly string[]): Promise<string[]> {
    const names: string[] = [];
    for (let i = 0; i < ids.length; i += GET_BY_IDS_LIMIT) {
      const chunk = ids.slice(i, i + GET_BY_IDS_LIMIT);
      const groups = await this.postPages(`${this.graphURL}/v1.0/directoryObjects/getByIds`, { ids: chunk, types: ['group'] }, (g) =>
        str((g as Record<string, unknown> | null)?.displayName),
      );
      names.push(...groups);
    }
    return names;
  }
}
