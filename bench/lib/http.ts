/**
 * A tiny keep-alive HTTP/1.1 client for the benchmark's scripted workloads (refresh chains, login flows), plus a
 * cookie jar and an HTML form reader. Loopback only: every request goes to a URL the runner built itself.
 */

import http from 'node:http';

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface HttpRequest {
  method?: string;
  headers?: Record<string, string>;
  /** An urlencoded form body. */
  form?: Record<string, string>;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** One keep-alive agent per workload, sized to its concurrency. */
export const keepAliveAgent = (maxSockets: number): http.Agent =>
  new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });

export function request(agent: http.Agent, url: string, init: HttpRequest = {}): Promise<HttpResponse> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') return Promise.reject(new Error(`refusing non-loopback target ${target.host}`));
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  const headers: Record<string, string> = { ...init.headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`timeout: ${req.method} ${target.pathname}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** HTTP Basic client authentication as RFC 6749 §2.3.1 asks (form-urlencode, then base64). */
export const basicAuth = (id: string, secret: string): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** A per-browser cookie jar: name → value, ignoring path/domain (one origin per flow). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(res: HttpResponse): void {
    for (const line of res.headers['set-cookie'] ?? []) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq > 0) this.#cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface HtmlForm {
  action: string;
  method: string;
  /** Hidden and pre-filled inputs (name → value). */
  fields: Record<string, string>;
  /** Name of the password input, if any. */
  passwordField?: string;
  /** Name of the first text/email input, if any. */
  textField?: string;
  /** Named submit buttons as [name, value] pairs, e.g. approval=approve and approval=rejected. */
  buttons: [string, string][];
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

/** Decode the HTML character references template engines emit in attributes (handlebars writes `=` as `&#x3D;`). */
const decode = (s: string): string =>
  s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return String.fromCodePoint(code);
  });

const attr = (tag: string, name: string): string | undefined => {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return m ? decode(m[1] ?? m[2] ?? '') : undefined;
};

/** Every `<form>` in a page, with its inputs and named buttons; `action` resolved against the page URL. */
export function readForms(html: string, pageUrl: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const open = m[1] ?? '';
    const inner = m[2] ?? '';
    const form: HtmlForm = {
      action: new URL(attr(open, 'action') ?? pageUrl, pageUrl).href,
      method: (attr(open, 'method') ?? 'get').toUpperCase(),
      fields: {},
      buttons: [],
    };
    for (const input of inner.match(/<input\b[^>]*>/gi) ?? []) {
      const name = attr(input, 'name');
      if (!name) continue;
      const type = (attr(input, 'type') ?? 'text').toLowerCase();
      if (type === 'password') form.passwordField ??= name;
      else if ((type === 'text' || type === 'email') && !attr(input, 'value')) form.textField ??= name;
      else if (type === 'submit') form.buttons.push([name, attr(input, 'value') ?? '']);
      else form.fields[name] = attr(input, 'value') ?? '';
    }
    for (const button of inner.match(/<button\b[^>]*>/gi) ?? []) {
      const name = attr(button, 'name');
      if (name) form.buttons.push([name, attr(button, 'value') ?? '']);
    }
    forms.push(form);
  }
  return forms;
}
