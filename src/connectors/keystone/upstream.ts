/**
 * The Keystone Identity API v3 calls (docs.openstack.org/api-ref/identity/v3): password authentication for an
 * unscoped token (`POST /v3/auth/tokens`, 201 with `X-Subject-Token`; 401 = wrong credentials), the user
 * (`GET /v3/users/{id}`, 404 = gone) and their groups (`GET /v3/users/{id}/groups`, following `links.next`).
 * Tokens travel in `X-Auth-Token` and are never logged.
 */

import { ConnectorError } from '../../lib/errors.js';
import { type JsonHttpClient } from '../http/index.js';
import { collectPages } from '../oauth2-client/index.js';
import type { KeystoneDomain } from './config.js';

export interface KeystoneUser {
  id: string;
  name: string;
  email: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const obj = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

export class KeystoneAPI {
  private readonly http: JsonHttpClient;
  private readonly host: string;
  private readonly domain: KeystoneDomain;

  constructor(http: JsonHttpClient, host: string, domain: KeystoneDomain) {
    this.http = http;
    this.host = host;
    this.domain = domain;
  }

  private get id(): string {
    return this.http.connectorId;
  }

  /** A token and the user id for `username`/`password` in the domain; `null` when Keystone says 401. */
  async authenticate(username: string, password: string): Promise<{ token: string; userId: string } | null> {
    const body = { auth: { identity: { methods: ['password'], password: { user: { name: username, domain: this.domain, password } } } } };
    const res = await this.http.postJSON<Record<string, unknown>>(`${this.host}/v3/auth/tokens`, body, { acceptStatus: [401] });
    if (res.status === 401) return null;
    const token = res.headers['x-subject-token'];
    const userId = str(obj(obj(res.body?.token).user).id);
    if (typeof token !== 'string' || !token || !userId) {
      throw new ConnectorError(this.id, `${this.id}: keystone: POST /v3/auth/tokens: answer without X-Subject-Token or user id`);
    }
    return { token, userId };
  }

  /** The user, or `null` when Keystone has none with that id. */
  async user(userId: string, token: string): Promise<KeystoneUser | null> {
    const url = `${this.host}/v3/users/${encodeURIComponent(userId)}`;
    const res = await this.http.getJSON<Record<string, unknown>>(url, { headers: { 'x-auth-token': token }, acceptStatus: [404] });
    if (res.status === 404) return null;
    const u = obj(res.body?.user);
    if (str(u.id) !== userId) throw new ConnectorError(this.id, `${this.id}: keystone: GET /v3/users/{id}: unexpected answer`);
    return { id: userId, name: str(u.name), email: str(u.email) };
  }

  /** Names of the groups the user is a member of. */
  groups(userId: string, token: string): Promise<string[]> {
    const first = `${this.host}/v3/users/${encodeURIComponent(userId)}/groups`;
    return collectPages(this.id, first, async (url) => {
      const { body } = await this.http.getJSON<Record<string, unknown>>(url, { headers: { 'x-auth-token': token } });
      if (!Array.isArray(body?.groups)) throw new ConnectorError(this.id, `${this.id}: keystone: GET /v3/users/{id}/groups: no group list`);
      const next = str(obj(body.links).next);
      return { items: body.groups.map((g) => str(obj(g).name)), next: next || null };
    });
  }
}
