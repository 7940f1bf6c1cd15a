/**
 * The one way connectors send an HTTP request upstream (dex's counterpart is `pkg/httpclient`): `node:http(s)`
 * with a deadline for the whole call (connect to last byte), the system roots plus a connector's private CAs (or,
 * only when configured, no verification at all), a cap on the answer's size, and no redirect following here (the
 * fetch adapter follows them when its caller asks). A failure is a `ConnectorError` whose message names the
 * connector and the endpoint (origin + path, never the query or anything the upstream sent).
 */

import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ConnectorError } from '../../lib/errors.js';

export interface TransportOptions {
  /** Connector id, the prefix of every error message. */
  connectorId: string;
  /** Deadline of a whole call, connect to last byte (default 30 s, as dex's GitLab client). */
  timeoutMs?: number;
  /** Extra trusted CA certificates (PEM), added to the system roots as dex's `httpclient` does. */
  caPEM?: string[];
  /** Largest answer accepted (default 8 MiB). */
  maxBodyBytes?: number;
  /** Skip TLS certificate verification (OpenShift `insecureCA`, oidc `insecureSkipVerify`); never the default. */
  insecureSkipVerify?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The `User-Agent` of every upstream call (unless the caller sets its own). */
export const USER_AGENT = 'Ferry (dex-compatible OIDC broker)';

/** Where a call went, for messages: method, origin and path, without the query. */
export function endpointOf(method: string, url: URL): string {
  return `${method} ${url.origin}${url.pathname}`;
}

export class Transport {
  readonly connectorId: string;
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  private readonly ca: string[] | undefined;
  private readonly insecure: boolean;

  constructor(opts: TransportOptions) {
    this.connectorId = opts.connectorId;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxBodyBytes = opts.maxBodyBytes ?? 8 * 1024 * 1024;
    this.ca = opts.caPEM?.length ? [...rootCertificates, ...opts.caPEM] : undefined;
    this.insecure = opts.insecureSkipVerify === true;
  }

  /** A `ConnectorError` about a call to `url`: `<connector>: <METHOD origin/path>: <what>`. */
  error(method: string, url: URL, what: string, cause?: unknown): ConnectorError {
    return new ConnectorError(this.connectorId, `${this.connectorId}: ${endpointOf(method, url)}: ${what}`, cause === undefined ? undefined : { cause });
  }

  /** Sends one request and reads the whole answer; `signal` aborts it early (the caller's own deadline). */
  send(method: string, url: URL, payload: Buffer | string | undefined, headers: Record<string, string>, signal?: AbortSignal): Promise<RawResponse> {
    const fail = (what: string, cause?: unknown) => this.error(method, url, what, cause);
    return new Promise((resolve, reject) => {
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return reject(fail(`unsupported scheme ${url.protocol}`));
      if (signal?.aborted) return reject(fail('aborted by the caller'));
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const tls = url.protocol === 'https:' ? { ...(this.ca ? { ca: this.ca } : {}), ...(this.insecure ? { rejectUnauthorized: false } : {}) } : {};
      const req = send(url, { method, headers, ...tls });
      let settled = false;
      const done = (err: Error | null, value?: RawResponse) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err instanceof ConnectorError ? err : fail('request failed', err));
        else resolve(value as RawResponse);
      };
      const stop = (what: string) => {
        done(fail(what));
        req.destroy();
      };
      const timer = setTimeout(() => stop(`no answer within ${this.timeoutMs} ms`), this.timeoutMs);
      const onAbort = () => stop('aborted by the caller');
      signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (err) => done(err));
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= this.maxBodyBytes) return void chunks.push(c);
          stop(`answer larger than ${this.maxBodyBytes} bytes`);
        });
        res.on('error', (err) => done(err));
        res.on('end', () => done(null, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.end(payload);
    });
  }
}
