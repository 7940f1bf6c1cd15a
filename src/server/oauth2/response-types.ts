/**
 * Response types of the authorization endpoint (RFC 6749 §3.1.1, OAuth 2.0 Multiple Response Type Encoding).
 * A `response_type` value is a space-separated set of these words; order does not matter.
 */

export const RESPONSE_TYPES = {
  code: 'code',
  token: 'token',
  idToken: 'id_token',
} as const;

export type ResponseType = (typeof RESPONSE_TYPES)[keyof typeof RESPONSE_TYPES];

const ALL: ReadonlySet<string> = new Set(Object.values(RESPONSE_TYPES));

export function isResponseType(value: string): value is ResponseType {
  return ALL.has(value);
}

/** Response modes Ferry serves (OAuth 2.0 Multiple Response Types §2.1, Form Post Response Mode §2). */
export const RESPONSE_MODES = {
  query: 'query',
  fragment: 'fragment',
  formPost: 'form_post',
} as const;

export type ResponseMode = (typeof RESPONSE_MODES)[keyof typeof RESPONSE_MODES];

const MODES: ReadonlySet<string> = new Set(Object.values(RESPONSE_MODES));

export function isResponseMode(value: string): value is ResponseMode {
  return MODES.has(value);
}

/** True when the set hands a token to the browser (`token` or `id_token`), i.e. the implicit/hybrid flows. */
export function isTokenBearing(responseTypes: readonly string[]): boolean {
  return responseTypes.includes(RESPONSE_TYPES.token) || responseTypes.includes(RESPONSE_TYPES.idToken);
}
