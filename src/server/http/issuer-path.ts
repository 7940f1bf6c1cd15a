/**
 * The issuer URL's path without trailing slashes (`/dex`, or '' at the root): the prefix of every route, cookie
 * path and form action. Computed from the configured issuer only, never from request data.
 */
export function issuerPathOf(issuer: string): string {
  return new URL(issuer).pathname.replace(/\/+$/, '');
}
