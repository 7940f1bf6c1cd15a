/**
 * The two kinds of connector data of the `oidc` connector:
 * - login state, returned by `loginURL`, kept on the AuthRequest by the server and handed back to
 *   `handleCallback`: the `state` and `nonce` sent upstream and the PKCE verifier (JSON, Ferry's own format);
 * - refresh data, kept with Ferry's refresh tokens: the upstream refresh token, in dex's exact format
 *   (`{"RefreshToken":"<base64>"}`, Go's encoding of a byte slice), so sessions stored by dex keep refreshing.
 */

export interface LoginState {
  state: string;
  nonce: string;
  /** PKCE code verifier; empty when PKCE is not used. */
  verifier: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function parseJSON(data: Uint8Array | null): Record<string, unknown> | null {
  if (!data || data.length === 0) return null;
  try {
    const v: unknown = JSON.parse(dec.decode(data));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function encodeLoginState(s: LoginState): Uint8Array {
  return enc.encode(JSON.stringify({ state: s.state, nonce: s.nonce, verifier: s.verifier }));
}

/** The login state, or `null` when the data is missing or not ours. */
export function decodeLoginState(data: Uint8Array | null): LoginState | null {
  const v = parseJSON(data);
  if (!v || typeof v.state !== 'string' || typeof v.nonce !== 'string' || typeof v.verifier !== 'string') return null;
  return { state: v.state, nonce: v.nonce, verifier: v.verifier };
}

export function encodeRefreshData(refreshToken: string): Uint8Array {
  return enc.encode(JSON.stringify({ RefreshToken: Buffer.from(refreshToken, 'utf8').toString('base64') }));
}

/** The upstream refresh token ('' when none was issued), or `null` when the data does not decode. */
export function decodeRefreshData(data: Uint8Array | null): string | null {
  const v = parseJSON(data);
  if (!v) return null;
  const key = Object.keys(v).find((k) => k.toLowerCase() === 'refreshtoken'); // Go matches JSON keys case-insensitively
  const raw = key === undefined ? undefined : v[key];
  if (raw === undefined || raw === null) return '';
  if (typeof raw !== 'string') return null;
  return Buffer.from(raw, 'base64').toString('utf8');
}
