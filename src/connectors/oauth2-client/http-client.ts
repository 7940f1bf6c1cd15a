/**
 * A small JSON-over-HTTP client for connectors that call SaaS APIs. Every call has a deadline; the TLS trust can be
 * extended with a private CA (GitHub Enterprise `rootCA`, GitLab `rootCAData`); redirects are not followed.
 *
 * Failures become `ConnectorError` whose message names the connector, the method, the endpoint (origin + path, no
 * query) and the status — never the answer's body, which may echo tokens or internal detail. A 429 or a 403 with
 * `x-ratelimit-remaining: 0` says "rate limited" and the `Retry-After` value, for the log.
 */

import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ConnectorError } from '../../lib/errors.js';

export interface HttpClientOptions {
  /** Connector id, the prefix of every error message. */
  connectorId: string;
  /** Deadline of a whole call, connect to last byte (default 30 s, as dex's GitLab client). */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), added to the system roots as dex's `httpclient` does. */
  caPEM?: string[];
  /** Largest answer accepted (default 8 MiB). */
  maxBodyBytes?: number;
  /** Skip TLS certificate verification (OpenShift `insecureCA`); never the default. */
  insecureSkipVerify?: boolean;
}

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

const USER_AGENT = 'Ferry (dex-compatible OIDC broker)';

/** Where a call went, for messages: method, origin and path, without the query. */
export function endpointOf(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

function statusMessage(status: number, headers: IncomingHttpHeaders): string {
  const limited = status === 429 || (status === 403 && headers['x-ratelimit-remaining'] === '0');
  if (!limited) return `HTTP ${status}`;
  const after = headers['retry-after'];
  return `HTTP ${status}, rate limited by the upstream${after ? ` (retry after ${after} s)` : ''}`;
}

export class JsonHttpClient {
  readonly connectorId: string;
  private readonly timeoutMs: number;
  private readonly ca: string[] | undefined;
  private readonly maxBodyBytes: number;
  private readonly insecure: boolean;

  constructor(opts: HttpClientOptions) {
    this.insecure = opts.insecureSkipVerify === true;
    this.connectorId = opts.connectorId;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.ca = opts.caPEM?.length ? [...rootCertificates, ...opts.caPEM] : undefined;
    this.maxBodyBytes = opts.maxBodyBytes ?? 8 * 1024 * 1024;
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
    if (!ok) throw new ConnectorError(this.connectorId, `${this.connectorId}: ${endpointOf(method, url)}: ${statusMessage(res.status, res.headers)}`);
    return res;
  }

  private parse<T>(method: string, url: URL, res: HttpResponse<string>): T {
    if (res.body === '' && res.status !== 200) return undefined as T;
    try {
      return JSON.parse(res.body) as T;
    } catch {
      throw new ConnectorError(this.connectorId, `${this.connectorId}: ${endpointOf(method, url)}: HTTP ${res.status} with a body that is not JSON`);
    }
  }

  private exchange(method: string, url: URL, payload: string | undefined, headers: Record<string, string>): Promise<HttpResponse<string>> {
    const where = endpointOf(method, url);
    const fail = (what: string, cause?: unknown) => new ConnectorError(this.connectorId, `${this.connectorId}: ${where}: ${what}`, { cause });
    return new Promise((resolve, reject) => {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return reject(fail(`unsupported scheme ${url.protocol}`));
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const tls = url.protocol === 'https:' ? { ...(this.ca ? { ca: this.ca } : {}), ...(this.insecure ? { rejectUnauthorized: false } : {}) } : {};
      const req = send(url, { method, headers, ...tls });
      const timer = setTimeout(() => {
        done(fail(`no answer within ${this.timeoutMs} ms`));
        req.destroy();
      }, this.timeoutMs);
      let settled = false;
      const done = (err: Error | null, value?: HttpResponse<string>) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) reject(err instanceof ConnectorError ? err : fail('request failed', err));
        else resolve(value as HttpResponse<string>);
      };
      req.on('error', (err) => done(err));
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= this.maxBodyBytes) return void chunks.push(c);
          done(fail(`answer larger than ${this.maxBodyBytes} bytes`));
          req.destroy();
        });
        res.on('error', (err) => done(err));
        res.on('end', () => done(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.end(payload);
    });
  }
}
