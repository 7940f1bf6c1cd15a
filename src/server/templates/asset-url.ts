/**
 * URL helpers for the login pages. Pages are served under the issuer path (`/dex/auth/...`), so every asset link is
 * made absolute from that path instead of dex's request-relative `../static/...`: the result is the same for the
 * browser and does not depend on the request path.
 */

const schemePattern = /^([a-zA-Z][a-zA-Z0-9+.-]*):/;

/**
 * Maps an asset path from a template (`static/main.css`, `theme/logo.png`) to its URL under the issuer path
 * (`/dex/static/main.css`). Absolute URLs (`https://…`, `//cdn…`, `data:`) and absolute paths pass through.
 */
export function assetUrl(issuerPath: string, asset: string): string {
  if (asset === '' || asset.startsWith('/') || schemePattern.test(asset)) return asset;
  const base = issuerPath.replace(/\/+$/, '');
  const rel = asset.replace(/^(\.\/)+/, '');
  return `${base}/${rel}`;
}

/**
 * Defence in depth for links the server builds (connector URLs, back links, form actions): anything with a scheme
 * other than http(s) (`javascript:`, `data:`, …) becomes `#`. Browsers ignore tabs and newlines inside a scheme,
 * so they are removed before the check. HTML escaping still happens in the template.
 */
export function safeHref(value: string | undefined): string {
  if (!value) return '';
  // eslint-disable-next-line no-control-regex
  const squashed = value.replace(/[\u0000-\u0020]/g, '');
  const scheme = schemePattern.exec(squashed)?.[1];
  if (scheme !== undefined && !/^https?$/i.test(scheme)) return '#';
  return value;
}
