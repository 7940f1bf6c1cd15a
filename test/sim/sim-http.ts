/**
 * Vocabulary of the API simulations: what a route handler receives and returns, faults, and recorded requests.
 * Handlers return a `SimReply`, built with `json()` or `status()`.
 */

import type { IncomingHttpHeaders } from 'node:http';

export interface SimRequest {
  method: string;
  /** Path without the query, e.g. `/api/v3/user/teams`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Values of `:name` segments of the route path. */
  params: Record<string, string>;
  /** Raw request body (form bodies are also in `form`). */
  body: string;
  form: URLSearchParams;
  /** Absolute URL of this request, for building pagination links. */
  url: URL;
}

export interface SimReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless `raw` is set. */
  body?: unknown;
  /** Sent verbatim (malformed JSON, form-encoded token answers). */
  raw?: string;
}

/** A JSON answer. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): SimReply => ({ status, body, headers });

/** An answer with no body (204, 404, 302 ...), or a JSON `{ message }` body when one is given. */
export const status = (code: number, message?: string): SimReply =>
  message === undefined ? { status: code } : { status: code, body: { message } };

/**
 * A fault injected with `sim.inject()`:
 * - `rate-limit`: 429 with `Retry-After` (and GitHub-style `x-ratelimit-remaining: 0`);
 * - `server-error`: 500 whose body carries `SIM_UPSTREAM_BODY`, so tests can assert it never leaks;
 * - `bad-gateway`: 502, an HTML body;
 * - `malformed-json`: 200 with a truncated JSON body;
 * - `unauthorized`: 401, as when the upstream revoked the token.
 */
export type Fault = 'rate-limit' | 'server-error' | 'bad-gateway' | 'malformed-json' | 'unauthorized';

/** A marker placed in every faulty upstream body; it must never reach an error message shown to anyone. */
export const SIM_UPSTREAM_BODY = 'sim-upstream-body-7f3a: internal stack trace and secrets';

export function faultReply(fault: Fault, retryAfter = 60): SimReply {
  switch (fault) {
    case 'rate-limit':
      return {
        status: 429,
        headers: { 'retry-after': String(retryAfter), 'x-ratelimit-remaining': '0' },
        body: { message: `API rate limit exceeded. ${SIM_UPSTREAM_BODY}` },
      };
    case 'server-error':
      return { status: 500, body: { message: SIM_UPSTREAM_BODY } };
    case 'bad-gateway':
      return { status: 502, headers: { 'content-type': 'text/html' }, raw: `<html><body>${SIM_UPSTREAM_BODY}</body></html>` };
    case 'malformed-json':
      return { status: 200, raw: `{"id": 1, "login": "${SIM_UPSTREAM_BODY}` };
    case 'unauthorized':
      return { status: 401, body: { message: `Bad credentials ${SIM_UPSTREAM_BODY}` } };
  }
}

/** One request as the simulation saw it (for asserting scopes, headers, paging). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  form: URLSearchParams;
  status: number;
}
