/**
 * The one HTTP client of the connectors. `transport.ts` sends every upstream call (deadline, private CAs or
 * `insecureSkipVerify`, size cap, errors that name the connector and endpoint but never carry the upstream's
 * text); `JsonHttpClient` reads JSON APIs on it (status checks, rate-limit messages, JSON parsing) and offers the
 * same transport as a WHATWG `fetch` for `openid-client`, `jose` and the `oauth` connector; `root-ca.ts` reads the
 * CA options (`rootCA`, `rootCAData`, `rootCAs`).
 *
 * @example
 * const http = new JsonHttpClient({ connectorId: id, caPEM: readRootCAs(config.rootCAs), timeoutMs: 15_000 });
 * const { body: user } = await http.getJSON<{ id: number }>('https://example.com/api/user', { bearer: token });
 * const res = await http.fetch('https://example.com/.well-known/openid-configuration');
 */

export { JsonHttpClient, type HttpClientOptions, type HttpResponse, type RequestOptions } from './json-http-client.js';
export type { Fetch } from './fetch.js';
export { endpointOf } from './transport.js';
export { pemCertificates, readRootCAFile, readRootCAs } from './root-ca.js';
