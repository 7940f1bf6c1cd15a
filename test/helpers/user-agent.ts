/**
 * A small scripted browser for flow tests: a cookie jar, manual redirects, and form reading/submission.
 * It stops at the first redirect off Ferry's origin (the client's redirect URI) and returns that URL.
 */

export interface Page {
  url: string;
  status: number;
  html: string;
  headers: Headers;
}

export interface FormData {
  action: string;
  fields: Record<string, string>;
}

export class UserAgent {
  readonly jar = new Map<string, string>();
  private readonly origin: string;

  constructor(origin: string) {
    this.origin = new URL(origin).origin;
  }

  cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** One request, no redirect following; stores cookies. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.jar.size) headers.set('cookie', this.cookieHeader());
    const r = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of r.headers.getSetCookie()) {
      const [kv = ''] = c.split(';');
      const i = kv.indexOf('=');
      this.jar.set(kv.slice(0, i), kv.slice(i + 1));
    }
    return r;
  }

  /** Follows redirects on Ferry's origin; returns the page reached, or `{ redirect }` when leaving the origin. */
  async browse(url: string, init?: RequestInit): Promise<Page & { redirect?: URL }> {
    let next = url;
    let req = init;
    for (let i = 0; i < 10; i++) {
      if (new URL(next).origin !== this.origin) return { url: next, status: 0, html: '', headers: new Headers(), redirect: new URL(next) };
      const r = await this.request(next, req);
      req = undefined;
      const loc = r.headers.get('location');
      if (r.status >= 300 && r.status < 400 && loc) {
        next = new URL(loc, next).href;
        continue;
      }
      return { url: next, status: r.status, html: await r.text(), headers: r.headers };
    }
    throw new Error('too many redirects');
  }

  /** Submits `form` with `extra` fields merged in. */
  submit(form: FormData, extra: Record<string, string> = {}): Promise<Page & { redirect?: URL }> {
    return this.browse(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, ...extra }).toString(),
    });
  }
}

export const decodeEntities = (s: string) =>
  s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/&#x3D;/g, '=');

/** Reads the first form of a page (action resolved against the page URL, hidden/text inputs with values). */
export function readForm(page: Page, index = 0): FormData {
  const forms = [...page.html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
  const form = forms[index];
  if (!form) throw new Error(`no form #${index} on ${page.url} (status ${page.status})`);
  const action = decodeEntities(/action="([^"]*)"/.exec(form)?.[1] ?? page.url);
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input\b[^>]*>/g)) {
    const tag = m[0];
    const name = /name="([^"]*)"/.exec(tag)?.[1];
    if (!name) continue;
    fields[name] = decodeEntities(/value="([^"]*)"/.exec(tag)?.[1] ?? '');
  }
  return { action: new URL(action, page.url).href, fields };
}
