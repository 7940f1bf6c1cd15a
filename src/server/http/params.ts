/**
 * Reading OAuth parameters from a parsed query or form. RFC 6749 §3.1: parameters must not be repeated, and a
 * parameter sent without a value is treated as omitted.
 */

import { invalidRequest } from '../oauth2/oauth-error.js';

export type RawParams = Record<string, unknown> | undefined | null;

/** Longest value Ferry accepts for any single parameter (a redirect URI, a PKCE challenge, a state). */
export const MAX_PARAM_LENGTH = 4096;

/**
 * Returns the single value of `name`, or '' when absent/empty. A repeated or oversized parameter is an
 * `invalid_request` (the caller decides whether it may be redirected).
 */
export function param(params: RawParams, name: string, opts: { allowRedirect?: boolean; maxLength?: number } = {}): string {
  const v = params?.[name];
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) throw invalidRequest(`Parameter ${name} must not be repeated.`, opts);
  if (typeof v !== 'string') throw invalidRequest(`Parameter ${name} is malformed.`, opts);
  if (v.length > (opts.maxLength ?? MAX_PARAM_LENGTH)) throw invalidRequest(`Parameter ${name} is too long.`, opts);
  return v;
}

/** Splits a space-separated parameter (scope, response_type), tolerating extra whitespace. */
export function spaceList(value: string): string[] {
  return value.split(/\s+/).filter(Boolean);
}

/** Rebuilds a query string from parsed params, dropping `omit` keys (used to carry a request across redirects). */
export function toQuery(params: RawParams, omit: string[] = []): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params ?? {})) {
    if (omit.includes(k)) continue;
    for (const item of Array.isArray(v) ? v : [v]) if (typeof item === 'string') q.append(k, item);
  }
  return q.toString();
}
