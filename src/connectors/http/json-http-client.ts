/**
 * `JsonHttpClient`: JSON calls to an upstream API over the connectors' transport (`transport.ts`: deadline, private CAs,
 * size cap; redirects are not followed), and the same transport as `fetch`. A status outside 2xx (and the
 * `acceptStatus` the caller expects) is a `ConnectorError` naming the connector, the method, the endpoint (origin +
 * path, no query) and the status — never the answer's body, which may echo tokens or internal detail. A 429 or a 403
 * with `x-ratelimit-remaining: 0` says "rate limited" and the `Retry-After` value, for the log.
 */

import type { IncomingHttpHeaders } from 'node:http';
import { fetchOver, type Fetch } from './fetch.js';
import { Transport, type TransportOptions, USER_AGENT } from './transport.js';

export type HttpClientOptions = TransportOptions;

export interface RequestOptions {
  /** An access token sent as `Authorization: Bearer …`. */
  bearer?: string;
  headers?: Record<string, string>;
  /** Statuses handed back to the caller instead of thrown, besides 2xx (e.g. 404 for a membership check). */
  acceptStatus?: number[];
}

export interface HttpResponse<T> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

function statusMessage(status: number, headers: IncomingHttpHeaders): string {
  const limited = status === 429 || (status === 403 && headers['x-ratelimit-remaining'] === '0');
  if (!limited) return `HTTP ${status}`;
  const after = headers['retry-after'];
  return `HTTP ${status}, rate limited by the upstream${after ? ` (retry after ${after} s)` : ''}`;
}

export class JsonHttpClient {
  readonly connectorId: string;
  private readonly transport: Transport;
  /**
   * The same client as a WHATWG `fetch` (for `openid-client`, `jose` and the `oauth` connector): same deadline, trust
   * and size cap; any status is handed back; redirects are followed only when the caller asks (`redirect: 'follow'`,
   * fetch's default).
   */
  readonly fetch: Fetch;

  constructor(opts: HttpClientOptions) {
    this.connectorId = opts.connectorId;
    this.transport = new Transport(opts);
    this.fetch = fetchOver(this.transport);
  }

  /** GET `url` and parse the answer as JSON. */
  async getJSON<T>(url: string, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    const res = await this.send('GET', new URL(url), undefined, { accept: 'application/json', ...opts.headers }, opts);
    return { ...res, body: this.parse<T>('GET', new URL(url), res) };
  }

  /** POST a form (token endpoints). JSON answers are parsed; form-encoded ones become an object of strings. */
  async postForm(url: string, form: URLSearchParams, opts: RequestOptions = {}): Promise<HttpResponse<Record<string, unknown>>> {
    const target = new URL(url);
    const headers = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...opts.headers };
    const res = await this.send('POST', target, form.toString(), headers, opts);
    const type = String(res.headers['content-type'] ?? '');
    if (/x-www-form-urlencoded|text\/plain/.test(type)) return { ...res, body: Object.fromEntries(new URLSearchParams(res.body)) };
    return { ...res, body: this.parse<Record<string, unknown>>('POST', target, res) };
  }

  /** POST a JSON document (Graph, Keystone, Crowd) and parse the answer as JSON (`undefined` for an empty body). */
  async postJSON<T>(url: string, document: unknown, opts: RequestOptions = {}): Promise<HttpResponse<T>> {
    const target = new URL(url);
    const headers = { accept: 'application/json', 'content-type': 'application/json', ...opts.headers };
    const res = await this.send('POST', target, JSON.stringify(document), headers, opts);
    return { ...res, body: res.body === '' ? (undefined as T) : this.parse<T>('POST', target, res) };
  }

  /** Any method; the answer body as text. Throws `ConnectorError` on network failure, timeout or a refused status. */
  async send(
    method: string,
    url: URL,
    payload: string | undefined,
    headers: Record<string, string>,
    opts: RequestOptions = {},
  ): Promise<HttpResponse<string>> {
    const all: Record<string, string> = { 'user-agent': USER_AGENT, ...headers };
    if (opts.bearer !== undefined) all.authorization = `Bearer ${opts.bearer}`;
    if (payload !== undefined) all['content-length'] = String(Buffer.byteLength(payload));
    const res = await this.exchange(method, url, payload, all);
    const ok = (res.status >= 200 && res.status < 300) || (opts.acceptStatus ?? []).includes(res.status);
    if (!ok) throw this.transport.error(method, url, statusMessage(res.status, res.headers));
    return res;
  }

  private parse<T>(method: string, url: URL, res: HttpResponse<string>): T {
    if (res.body === '' && res.status !== 200) return undefined as T;
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw this.transport.error(method, url, `HTTP ${res.status} with a body that is not JSON`);
    }
  }

  private async exchange(method: string, url: URL, payload: string | undefined, headers: Record<string, string>): Promise<HttpResponse<string>> {
    const res = await this.transport.send(method, url, payload, headers);
    return { ...res, body: res.body.toString('utf8') };
  }
}
