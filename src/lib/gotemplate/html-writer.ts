/**
 * The contextual auto-escaper's output: template text passes through the HTML state machine (comments dropped),
 * and each action's value is escaped for the context the state machine is in at that point, then fed through the
 * machine as well. Contexts where no value is safe (a tag name, an end tag, a declaration) get `ZgotmplZ`.
 *
 * Unlike Go, the context is tracked while the page is written rather than computed from the template beforehand:
 * the result is the same for every branch actually taken, and template text is trusted, so this is as safe.
 */

import { formatValue } from './format.js';
import type { Output } from './exec.js';
import {
  UNSAFE, escapeHtml, escapeJsRegexp, escapeJsString, escapeJsValue, escapeUnquotedAttr, escapeUrl, filterAttrName, filterCss, isSafeUrl,
} from './escape.js';
import { attrKind, HtmlState } from './html-state.js';
import type { JsState } from './js-state.js';

/** html/template prints nothing for nil and missing values; everything else as `fmt.Sprint`. */
const stringify = (v: unknown) => (v === null || v === undefined ? '' : formatValue(v));

export class HtmlWriter implements Output {
  private readonly state = new HtmlState();
  private out = '';

  text(s: string): void {
    let i = 0;
    while (i < s.length) {
      if (this.state.mode === 'text') {
        // Fast path: plain text up to the next '<' cannot change the state.
        const lt = s.indexOf('<', i);
        const end = lt === -1 ? s.length : lt;
        this.out += s.slice(i, end);
        i = end;
        if (i >= s.length) break;
      }
      const c = s.codePointAt(i)! > 0xffff ? s.slice(i, i + 2) : s[i]!;
      this.out += this.state.feed(c);
      i += c.length;
    }
  }

  value(v: unknown, escaper?: string): void {
    this.out += this.state.flush();
    this.state.settle();
    const escaped = this.escape(v, escaper);
    this.text(escaped);
  }

  /** The page, with any held-back characters written out. */
  result(): string {
    return this.out + this.state.flush();
  }

  private escape(v: unknown, escaper?: string): string {
    const s = this.state;
    switch (s.mode) {
      case 'text':
        return escapeHtml(stringify(v));
      case 'raw':
        if (s.tag === 'script') return escapeJs(v, s.js!);
        if (s.tag === 'style') return filterCss(stringify(v));
        return escapeHtml(stringify(v));
      case 'tag':
      case 'afterAttrName':
      case 'attrName': {
        const name = stringify(v);
        return filterAttrName(name, attrKind(s.mode === 'attrName' ? s.attr + name : name));
      }
      case 'beforeValue':
        return escapeUnquotedAttr(this.attrValue(v, escaper, attrKind(s.attr), '', null));
      case 'attrValue': {
        const raw = this.attrValue(v, escaper, s.kind, s.value, s.js);
        return s.quote ? escapeHtml(raw) : escapeUnquotedAttr(raw);
      }
      case 'comment':
        return '';
      default:
        return UNSAFE;
    }
  }

  /** The value for an attribute of `kind`, before HTML escaping; `before` is the value written so far. */
  private attrValue(v: unknown, escaper: string | undefined, kind: string, before: string, js: JsState | null): string {
    const s = stringify(v);
    switch (kind) {
      case 'url':
        return escapeUrlPart(s, before, escaper === 'urlquery');
      case 'srcset':
        return s.split(',').every((part) => isSafeUrl(part.trim())) ? escapeUrl(s, true).replace(/%20/g, ' ') : `#${UNSAFE}`;
      case 'js':
        return js ? escapeJs(v, js) : escapeJsValue(v);
      case 'css':
        return filterCss(s);
      case 'html':
        // srcdoc is a document: the browser decodes the attribute, then parses HTML, so escape for both.
        return escapeHtml(s);
      default:
        return s;
    }
  }
}

/** A value inside a URL attribute: at the start (or still within the scheme) it is filtered; in the query, escaped. */
function escapeUrlPart(s: string, before: string, alreadyEscaped: boolean): string {
  const decoded = before.replace(/&#0*58;|&colon;/gi, ':').replace(/&#x0*3a;/gi, ':');
  if (/[?#]/.test(decoded)) return escapeUrl(s, alreadyEscaped);
  if (!/[/:]/.test(decoded) && !isSafeUrl(decoded + s)) return `#${UNSAFE}`;
  return escapeUrl(s, true);
}

function escapeJs(v: unknown, js: JsState): string {
  switch (js.current()) {
    case 'code':
      return escapeJsValue(v);
    case 'dq':
    case 'sq':
    case 'tmpl':
      return escapeJsString(stringify(v));
    case 'regex':
    case 'regexClass':
      return escapeJsRegexp(stringify(v));
    default:
      return '';
  }
}
