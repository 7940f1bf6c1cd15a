/**
 * The HTTP client of the upstream connectors (dex `pkg/httpclient`): the global `fetch`, unless `rootCAs` or
 * `insecureSkipVerify` ask for a TLS setup of their own, in which case requests go through `node:https` with those
 * CAs (added to Node's default ones, as Go adds them to the system pool). `rootCAs` entries are, as in dex, a
 * file path, PEM text, or base64-encoded PEM. Redirects are never followed (callers want the first answer).
 */

import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { rootCertificates } from 'node:tls';
import { ConfigError } from '../../lib/errors.js';

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Reads one `rootCAs` entry as PEM text. */
function readCA(entry: string, index: number): string {
  if (entry.includes('-----BEGIN')) return entry;
  if (existsSync(entry)) return readFileSync(entry, 'utf8');
  const decoded = Buffer.from(entry, 'base64').toString('utf8');
  if (decoded.includes('-----BEGIN')) return decoded;
  throw new ConfigError('neither a readable file, PEM text nor base64-encoded PEM', `rootCAs[${index}]`);
}

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return Buffer.from(body.toString());
  return Buffer.from(await new Response(body).arrayBuffer());
}

function tlsFetch(options: Pick<RequestOptions, 'ca' | 'rejectUnauthorized'>): Fetch {
  return async (input, init = {}) => {
    const url = new URL(input.toString());
    const body = await bodyBytes(init.body);
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    if (body) headers['content-length'] = String(body.length);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = send(url, { method: init.method ?? 'GET', headers, signal: init.signal ?? undefined, ...(url.protocol === 'https:' ? options : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) for (const one of [v ?? []].flat()) h.append(k, one);
          const status = res.statusCode ?? 502;
          const payload = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(new Response(payload, { status, headers: h }));
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
}

/** The fetch to use for a connector with these TLS options. */
export function connectorFetch(opts: { rootCAs: string[]; insecureSkipVerify: boolean }): Fetch {
  if (opts.rootCAs.length === 0 && !opts.insecureSkipVerify) return (url, init) => fetch(url, init);
  const ca = opts.rootCAs.length ? [...rootCertificates, ...opts.rootCAs.map(readCA)] : undefined;
  return tlsFetch({ ca, rejectUnauthorized: !opts.insecureSkipVerify });
}
