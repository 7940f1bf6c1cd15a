/**
 * The three pagination styles SaaS APIs use, for simulation routes:
 * - `linkPage`: `page`/`per_page` query, RFC 8288 `Link` header with `next`/`last`/`prev` (GitHub, GitLab);
 * - `offsetPage`: `page`/`limit` query, an empty page past the end (Gitea), plus GitLab's `X-Next-Page`/`X-Total`;
 * - `bodyPage`: `page`/`pagelen` query, `{ values, page, pagelen, size, next }` in the body (Bitbucket Cloud).
 */

import { json, type SimReply, type SimRequest } from './sim-http.js';

export interface PageOptions {
  pageParam?: string;
  sizeParam?: string;
  defaultSize: number;
  maxSize: number;
}

function window(req: SimRequest, total: number, o: PageOptions): { page: number; size: number; start: number; pages: number } {
  const page = Math.max(1, Number(req.query.get(o.pageParam ?? 'page') ?? 1) || 1);
  const asked = Number(req.query.get(o.sizeParam ?? 'per_page') ?? o.defaultSize) || o.defaultSize;
  const size = Math.min(Math.max(1, asked), o.maxSize);
  return { page, size, start: (page - 1) * size, pages: Math.max(1, Math.ceil(total / size)) };
}

function pageURL(req: SimRequest, o: PageOptions, page: number, size: number): string {
  const u = new URL(req.url);
  u.searchParams.set(o.pageParam ?? 'page', String(page));
  u.searchParams.set(o.sizeParam ?? 'per_page', String(size));
  return u.toString();
}

/** GitHub-style: a slice of `items` with a `Link` header (absolute URLs). */
export function linkPage<T>(req: SimRequest, items: readonly T[], o: PageOptions = { defaultSize: 30, maxSize: 100 }): SimReply {
  const w = window(req, items.length, o);
  const links: string[] = [];
  if (w.page < w.pages) links.push(`<${pageURL(req, o, w.page + 1, w.size)}>; rel="next"`, `<${pageURL(req, o, w.pages, w.size)}>; rel="last"`);
  if (w.page > 1) links.push(`<${pageURL(req, o, 1, w.size)}>; rel="first"`, `<${pageURL(req, o, w.page - 1, w.size)}>; rel="prev"`);
  const headers: Record<string, string> = links.length ? { link: links.join(', ') } : {};
  headers['x-total'] = String(items.length);
  if (w.page < w.pages) headers['x-next-page'] = String(w.page + 1);
  return json(items.slice(w.start, w.start + w.size), 200, headers);
}

/** Gitea-style: `page`/`limit`; past the end the page is empty. */
export function offsetPage<T>(req: SimRequest, items: readonly T[], o: PageOptions = { sizeParam: 'limit', defaultSize: 30, maxSize: 50 }): SimReply {
  const w = window(req, items.length, o);
  return json(items.slice(w.start, w.start + w.size), 200, { 'x-total-count': String(items.length) });
}

/** Bitbucket-style: the page wrapped in `{ values, page, pagelen, size, next }`. */
export function bodyPage<T>(req: SimRequest, items: readonly T[], o: PageOptions = { sizeParam: 'pagelen', defaultSize: 10, maxSize: 100 }): SimReply {
  const w = window(req, items.length, o);
  const body: Record<string, unknown> = { values: items.slice(w.start, w.start + w.size), page: w.page, pagelen: w.size, size: items.length };
  if (w.page < w.pages) body.next = pageURL(req, o, w.page + 1, w.size);
  return json(body);
}
