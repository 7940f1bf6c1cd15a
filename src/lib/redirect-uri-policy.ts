/**
 * The one redirect-URI policy, shared by the config loader, the gRPC API and the authorization endpoint
 * (issue 12 item 5; docs/security.md). A redirect URI is checked as the raw string the client registered and sends:
 * never through WHATWG URL parsing, which rewrites `http://localhost:1\@evil.example/` into a different URL.
 *
 * - It must be an RFC 3986 URI (RFC 3986 §3 syntax: only its character set, valid `%XX` escapes, a scheme).
 * - Script-capable and local schemes are refused: `javascript:`, `data:`, `vbscript:`, `file:`, `blob:`, `about:`.
 * - `http`/`https` need a host and may not carry user info (`user@host` is how look-alike URIs are built).
 * - Loopback `http` (RFC 8252 §7.3: `127.0.0.0/8`, `[::1]`, `localhost`) may not carry a fragment
 *   (RFC 6749 §3.1.2).
 * - Plain `http` elsewhere and private-use schemes (RFC 8252 §7.1, e.g. `com.example.app:/cb`) stay allowed: dex
 *   accepts any registered URI by exact match (dex v2.45.1 server/oauth2.go validateRedirectURI), and configs that
 *   work with dex must keep loading.
 */

export const REFUSED_SCHEMES: readonly string[] = ['javascript', 'data', 'vbscript', 'file', 'blob', 'about'];

/** The parts of a URI, exactly as written (RFC 3986 §3); null when it is not a URI. */
export interface RawURI {
  scheme: string;
  /** Everything between `//` and the path; null without an authority. */
  authority: string | null;
  userinfo: boolean;
  /** Host as written (an IP literal keeps its brackets), lower-cased. */
  host: string;
  port: string;
  /** Path and query, as written. */
  rest: string;
  fragment: string | null;
}

const UNRESERVED_OR_RESERVED = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#@!$&'()*+,;=");
const HEX = new Set('0123456789ABCDEFabcdef');
const SCHEME_CHARS = new Set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-.');
const DIGITS = new Set('0123456789');

/** RFC 3986 characters only (brackets only around an IP literal host), every `%` followed by two hex digits. */
function validCharacters(s: string, allowBrackets: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (c === '%') {
      if (!HEX.has(s[i + 1] ?? '') || !HEX.has(s[i + 2] ?? '')) return false;
      i += 2;
    } else if (!UNRESERVED_OR_RESERVED.has(c) && !(allowBrackets && (c === '[' || c === ']'))) {
      return false;
    }
  }
  return true;
}

function splitAuthority(authority: string): { userinfo: boolean; host: string; port: string } | null {
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  let host = hostPort;
  let port = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0) return null;
    host = hostPort.slice(0, close + 1);
    const after = hostPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return null;
    port = after.slice(1);
    if (!validCharacters(host.slice(1, -1), false)) return null;
  } else {
    const colon = hostPort.indexOf(':');
    if (colon >= 0) [host, port] = [hostPort.slice(0, colon), hostPort.slice(colon + 1)];
    if (host.includes('[') || host.includes(']')) return null;
  }
  if ([...port].some((c) => !DIGITS.has(c))) return null;
  if (at >= 0 && !validCharacters(authority.slice(0, at), false)) return null;
  return { userinfo: at >= 0, host: host.toLowerCase(), port };
}

/** Parses `uri` by RFC 3986 §3 without normalising it; null when it is not an absolute URI. */
export function parseRawURI(uri: string): RawURI | null {
  const colon = uri.indexOf(':');
  if (colon < 1 || !/^[A-Za-z]/.test(uri) || [...uri.slice(0, colon)].some((c) => !SCHEME_CHARS.has(c))) return null;
  const scheme = uri.slice(0, colon).toLowerCase();
  let rest = uri.slice(colon + 1);
  const hash = rest.indexOf('#');
  const fragment = hash >= 0 ? rest.slice(hash + 1) : null;
  if (hash >= 0) rest = rest.slice(0, hash);
  if (fragment !== null && (fragment.includes('#') || !validCharacters(fragment, false))) return null;
  let authority: string | null = null;
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?]/);
    authority = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end);
    rest = rest.slice(2 + authority.length);
  }
  if (!validCharacters(rest, false)) return null;
  const parts = authority === null ? { userinfo: false, host: '', port: '' } : splitAuthority(authority);
  if (parts === null) return null;
  return { scheme, authority, ...parts, rest, fragment };
}

/** `localhost`, `[::1]` or an IPv4 address in 127.0.0.0/8 (RFC 8252 §7.3; RFC 6890). */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost' || host === '[::1]') return true;
  const octets = host.split('.');
  return octets.length === 4 && octets[0] === '127' && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
}

/** An `http` URI on a loopback host, without user info (the shape RFC 8252 §7.3 native apps use). */
export function isLoopbackHttp(u: RawURI | null): u is RawURI {
  return u !== null && u.scheme === 'http' && u.authority !== null && !u.userinfo && isLoopbackHost(u.host);
}

/** Why `uri` may not be a redirect URI, or null when it may. The message names no secret and fits a config error. */
export function redirectURIProblem(uri: string): string | null {
  const u = parseRawURI(uri);
  if (u === null) return 'not a valid absolute URI (RFC 3986): check for spaces, backslashes or bad % escapes';
  if (REFUSED_SCHEMES.includes(u.scheme)) return `the ${u.scheme}: scheme is not allowed for a redirect URI`;
  if (u.userinfo) return 'user info (user@host) is not allowed in a redirect URI';
  if ((u.scheme === 'http' || u.scheme === 'https') && (u.authority === null || u.host === '')) {
    return `an ${u.scheme} redirect URI needs a host`;
  }
  if (isLoopbackHttp(u) && u.fragment !== null) return 'a loopback redirect URI may not have a fragment';
  return null;
}

/**
 * The policy for a URI a client registers (config `redirectURIs`, the API): `redirectURIProblem`, plus paths on
 * Ferry itself (dex's `/device/callback` is registered that way), which must still be RFC 3986 characters.
 */
export function registeredRedirectURIProblem(uri: string): string | null {
  if (uri.startsWith('/') && !uri.startsWith('//')) {
    return parseRawURI(`path:${uri}`) === null ? 'not a valid URI path (RFC 3986): check for spaces, backslashes or bad % escapes' : null;
  }
  return redirectURIProblem(uri);
}
