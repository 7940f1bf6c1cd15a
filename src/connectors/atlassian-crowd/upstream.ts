/**
 * The Crowd REST calls (Crowd Server "Usermanagement REST API", `/rest/usermanagement/1`), authenticated as the
 * application with HTTP Basic (`clientID`:`clientSecret`):
 *   POST /authentication?username=…  {"value": password}  → 200 the user, or 400 with a `reason`
 *   GET  /user?username=…                                   → 200 the user, 404 USER_NOT_FOUND
 *   GET  /user/group/nested?username=…&start-index&max-results  → the user's direct and nested groups, paged
 * A 401 means Crowd refused the application's credentials; a 403 that the application may not call from here.
 */

import { ConnectorError } from '../../lib/errors.js';
import type { JsonHttpClient } from '../http/index.js';

export interface CrowdUser {
  key: string;
  name: string;
  email: string;
  active: boolean;
}

/** Reasons of a refused authentication that mean "wrong credentials", not an upstream failure. */
const REFUSALS = new Set(['INVALID_USER_AUTHENTICATION', 'USER_NOT_FOUND', 'INACTIVE_ACCOUNT', 'EXPIRED_CREDENTIAL']);
const PAGE = 1000;

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export class CrowdAPI {
  readonly #basic: string;
  private readonly http: JsonHttpClient;
  private readonly root: string;

  constructor(http: JsonHttpClient, baseURL: string, appName: string, appPassword: string) {
    this.http = http;
    this.root = `${baseURL}/rest/usermanagement/1`;
    this.#basic = `Basic ${Buffer.from(`${appName}:${appPassword}`).toString('base64')}`;
  }

  private get id(): string {
    return this.http.connectorId;
  }

  private check(status: number, what: string): void {
    if (status === 401) throw new ConnectorError(this.id, `${this.id}: crowd: ${what}: the application credentials were refused (HTTP 401)`);
    if (status === 403) throw new ConnectorError(this.id, `${this.id}: crowd: ${what}: the application may not call Crowd from this address (HTTP 403)`);
  }

  /** One call; 401/403 are reported before the body is read (Crowd answers them in plain text). */
  private async call(method: 'GET' | 'POST', url: string, what: string, accept: number[], document?: unknown): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: this.#basic };
    if (document !== undefined) headers['content-type'] = 'application/json';
    const payload = document === undefined ? undefined : JSON.stringify(document);
    const res = await this.http.send(method, new URL(url), payload, headers, { acceptStatus: [401, 403, ...accept] });
    this.check(res.status, what);
    try {
      return { status: res.status, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : undefined };
    } catch {
      throw new ConnectorError(this.id, `${this.id}: crowd: ${what}: HTTP ${res.status} with a body that is not JSON`);
    }
  }

  private toUser(body: Record<string, unknown> | undefined, what: string): CrowdUser {
    const u = body ?? {};
    if (!str(u.name)) throw new ConnectorError(this.id, `${this.id}: crowd: ${what}: answer without a user name`);
    return { key: str(u.key), name: str(u.name), email: str(u.email), active: u.active !== false };
  }

  /** The user when `password` is right; `null` for a wrong password, an unknown, inactive or expired user. */
  async authenticate(username: string, password: string): Promise<{ user: CrowdUser | null; reason: string }> {
    const url = `${this.root}/authentication?${new URLSearchParams({ username })}`;
    const res = await this.call('POST', url, 'POST /authentication', [400], { value: password });
    if (res.status === 400) {
      const reason = str(res.body?.reason);
      if (REFUSALS.has(reason)) return { user: null, reason };
      throw new ConnectorError(this.id, `${this.id}: crowd: POST /authentication: HTTP 400 (${/^[A-Z_]{1,64}$/.test(reason) ? reason : 'no reason'})`);
    }
    return { user: this.toUser(res.body, 'POST /authentication'), reason: '' };
  }

  /** The user, or `null` when Crowd has none of that name. */
  async user(username: string): Promise<CrowdUser | null> {
    const url = `${this.root}/user?${new URLSearchParams({ username })}`;
    const res = await this.call('GET', url, 'GET /user', [404]);
    return res.status === 404 ? null : this.toUser(res.body, 'GET /user');
  }

  /** Names of the user's direct and nested groups, 1,000 a page. */
  async groups(username: string): Promise<string[]> {
    const names: string[] = [];
    for (let start = 0; start < 200 * PAGE; start += PAGE) {
      const q = new URLSearchParams({ username, 'start-index': String(start), 'max-results': String(PAGE) });
      const res = await this.call('GET', `${this.root}/user/group/nested?${q}`, 'GET /user/group/nested', []);
      if (!Array.isArray(res.body?.groups)) throw new ConnectorError(this.id, `${this.id}: crowd: GET /user/group/nested: no group list`);
      const page = res.body.groups.map((g) => str((g as Record<string, unknown> | null)?.name)).filter(Boolean);
      names.push(...page);
      if (res.body.groups.length < PAGE) return names;
    }
    throw new ConnectorError(this.id, `${this.id}: crowd: more than ${200 * PAGE} groups`);
  }
}
