/**
 * Parses the token request body (RFC 6749 §3.2: `application/x-www-form-urlencoded`, POST). Every parameter may
 * appear at most once (§3.1); a repeated one, or a body that is not a form (JSON, text), is `invalid_request`.
 * A parameter sent without a value is treated as omitted.
 */

import { invalidRequest } from '../oauth2/oauth-error.js';

export interface TokenForm {
  /** The value of `name`, or '' when absent or empty. */
  get(name: string): string;
}

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** Reads the body fastify parsed (by `@fastify/formbody`) into a `TokenForm`. */
export function parseTokenForm(contentType: string | undefined, body: unknown): TokenForm {
  if (!FORM_TYPE.test(contentType ?? '')) {
    throw invalidRequest('The request body must be application/x-www-form-urlencoded.');
  }
  if (body === null || typeof body !== 'object') throw invalidRequest('The request body is missing or malformed.');
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (Array.isArray(value)) throw invalidRequest(`Parameter ${name} must not be repeated.`);
    if (typeof value !== 'string') throw invalidRequest(`Parameter ${name} is malformed.`);
    values.set(name, value);
  }
  return { get: (name) => values.get(name) ?? '' };
}
