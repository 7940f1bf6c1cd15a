/**
 * A WHATWG `fetch` over the connectors' one transport (`transport.ts`), for the libraries that take a fetch
 * (`openid-client`, `jose`'s remote JWKS) and the `oauth` connector: every status is handed back as a `Response`;
 * a network failure, the deadline, the size cap or the caller's abort rejects with a `TypeError` (as fetch does)
 * whose message names the connector and the endpoint only. Redirects follow fetch's rules when `redirect` is
 * `'follow'` (its default): at most 20, 303 (and 301/302 after a POST) turn into a body-less GET, and the
 * credentials headers are dropped when the origin changes.
 */

import { type Transport, USER_AGENT } from './transport.js';

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const MAX_REDIRECTS = 20;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([204, 205, 304]);
const CREDENTIALS = ['authorization', 'cookie', 'proxy-authorization'];

async function bodyBytes(body: RequestInit['body']): Promise<Buffer | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return Buffer.from(body.toString());
  return Buffer.from(await new Response(body).arrayBuffer());
}

function toResponse(status: number, headers: Record<string, string | string[] | undefined>, body: Buffer): Response {
  const h = new Headers();
  for (const [k, v] of Object.entries(headers)) for (const one of [v ?? []].flat()) h.append(k, one);
  const code = status >= 200 && status <= 599 ? status : 502;
  return new Response(NULL_BODY.has(code) ? null : new Uint8Array(body), { status: code, headers: h });
}

/** The fetch of `transport`. */
export function fetchOver(transport: Transport): Fetch {
  return async (input, init = {}) => {
    let url = new URL(input.toString());
    let method = (init.method ?? 'GET').toUpperCase();
    let body = await bodyBytes(init.body);
    const headers: Record<string, string> = { 'user-agent': USER_AGENT };
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    for (let hop = 0; ; hop++) {
      if (body) headers['content-length'] = String(body.length);
      const res = await transport.send(method, url, body, headers, init.signal ?? undefined).catch((err: Error) => {
        throw new TypeError(err.message, { cause: err });
      });
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || !location || (init.redirect ?? 'follow') === 'manual') return toResponse(res.status, res.headers, res.body);
      if (init.redirect === 'error') throw new TypeError(`${transport.connectorId}: redirected while redirects are refused`);
      if (hop === MAX_REDIRECTS) throw transport.error(method, url, 'too many redirects');
      const next = new URL(location, url);
      if (next.origin !== url.origin) for (const k of CREDENTIALS) delete headers[k];
      if (res.status === 303 ? method !== 'HEAD' : (res.status === 301 || res.status === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        for (const k of ['content-length', 'content-type', 'content-encoding', 'content-language', 'content-location']) delete headers[k];
      }
      url = next;
    }
  };
}
