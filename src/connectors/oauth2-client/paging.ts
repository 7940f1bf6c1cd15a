/**
 * Walking paginated API lists. `collectPages` follows "next" URLs found by the caller (a `Link` header, a `next`
 * member, or a page counter) and refuses to send the bearer token to another origin, or to loop forever.
 */

import { ConnectorError } from '../../lib/errors.js';

/** Upper bound on pages per list (1,000 items at 100 a page is 10 pages; this leaves room and stops loops). */
export const MAX_PAGES = 200;

/** The `rel="next"` target of an RFC 8288 `Link` header, resolved against `base`; `null` when there is none. */
export function nextLink(header: string | string[] | undefined, base: string): string | null {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of value.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    const rel = /;\s*rel="?([^";]+)"?/i.exec(m[2] ?? '')?.[1] ?? '';
    if (rel.split(/\s+/).includes('next')) return new URL(m[1] ?? '', base).toString();
  }
  return null;
}

export interface Page<T> {
  items: T[];
  /** The next page's URL, or `null` on the last page. */
  next: string | null;
}

/** Fetches every page starting at `first`; all pages must stay on `first`'s origin. */
export async function collectPages<T>(connectorId: string, first: string, fetchPage: (url: string) => Promise<Page<T>>): Promise<T[]> {
  const origin = new URL(first).origin;
  const out: T[] = [];
  const seen = new Set<string>();
  let url: string | null = first;
  for (let n = 0; url !== null; n++) {
    if (n >= MAX_PAGES) throw new ConnectorError(connectorId, `${connectorId}: more than ${MAX_PAGES} pages at ${new URL(first).pathname}`);
    if (new URL(url).origin !== origin) throw new ConnectorError(connectorId, `${connectorId}: a page link points to another origin; not following it`);
    if (seen.has(url)) break;
    seen.add(url);
    const page: Page<T> = await fetchPage(url);
    out.push(...page.items);
    url = page.next;
  }
  return out;
}
