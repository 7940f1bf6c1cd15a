/**
 * A small HTML tokenizer state machine (after the WHATWG tokenizer, simplified as Go `html/template/transition.go`
 * is): it is fed the page as it is written and knows at every point whether the next character is text, inside a
 * tag, an attribute name or value (and which kind of attribute), a comment, or the content of `<script>`, `<style>`
 * or another raw-text element. HTML comments are removed from the output, as Go does.
 */

import { JsState } from './js-state.js';

export type AttrKind = 'plain' | 'url' | 'js' | 'css' | 'srcset' | 'html';

export type HtmlMode =
  | 'text' | 'lt' | 'bang' | 'bangDash' | 'comment' | 'decl' | 'tagName' | 'endTag' | 'tag' | 'attrName'
  | 'afterAttrName' | 'beforeValue' | 'attrValue' | 'raw';

const URL_ATTRS = new Set(['action', 'archive', 'background', 'cite', 'classid', 'codebase', 'data', 'formaction', 'href', 'icon', 'longdesc', 'manifest', 'poster', 'profile', 'src', 'usemap', 'xmlns']);
const RAW_ELEMENTS = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'noscript']);

/** What an attribute's value means, from its name (Go `html/template/attr.go` rules). */
export function attrKind(rawName: string): AttrKind {
  let name = rawName.toLowerCase();
  if (name.startsWith('data-')) name = name.slice(5);
  else if (name.includes(':')) {
    const [prefix, local] = name.split(':', 2) as [string, string];
    if (prefix === 'xmlns') return 'url';
    name = local;
  }
  if (URL_ATTRS.has(name)) return 'url';
  if (name === 'style') return 'css';
  if (name === 'srcset') return 'srcset';
  if (name === 'srcdoc') return 'html';
  if (name.startsWith('on')) return 'js';
  return /src|uri|url/.test(name) ? 'url' : 'plain';
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';

export class HtmlState {
  mode: HtmlMode = 'text';
  /** Current tag name (lowercase) while in a tag; the raw-text element while in `raw`. */
  tag = '';
  attr = '';
  kind: AttrKind = 'plain';
  /** `"`, `'` or '' (unquoted) while in an attribute value. */
  quote = '';
  /** The attribute value so far, as written. */
  value = '';
  js: JsState | null = null;
  /** Characters held back while it is not yet known whether `<!` starts a comment (comments are dropped). */
  pending = '';
  private rawEnd = '';

  /** Feeds one character; returns what to write (held characters are flushed or dropped as a group). */
  feed(c: string): string {
    switch (this.mode) {
      case 'text':
        if (c === '<') return this.hold('lt', c);
        return c;
      case 'lt':
        if (/[A-Za-z]/.test(c)) return this.flushTo('tagName', c, () => (this.tag = c.toLowerCase()));
        if (c === '/') return this.flushTo('endTag', c);
        if (c === '!') return this.hold('bang', c);
        if (c === '<') return this.flushTo('lt', '', () => (this.pending = '<'));
        return this.flushTo('text', c);
      case 'bang':
        if (c === '-') return this.hold('bangDash', c);
        return this.flushTo('decl', c);
      case 'bangDash':
        if (c === '-') {
          this.pending = '';
          this.mode = 'comment';
          this.value = '';
          return '';
        }
        return this.flushTo('decl', c);
      case 'comment':
        this.value = (this.value + c).slice(-3);
        if (this.value === '-->' || this.value === '--!>') this.mode = 'text';
        return '';
      case 'decl':
      case 'endTag':
        if (c === '>') this.mode = 'text';
        return c;
      case 'tagName':
        if (isSpace(c) || c === '/') this.mode = 'tag';
        else if (c === '>') this.enterContent();
        else this.tag += c.toLowerCase();
        return c;
      case 'tag':
      case 'afterAttrName':
        if (c === '>') this.enterContent();
        else if (c === '=' && this.mode === 'afterAttrName') this.mode = 'beforeValue';
        else if (!isSpace(c) && c !== '/') this.startAttr(c);
        return c;
      case 'attrName':
        if (isSpace(c)) this.mode = 'afterAttrName';
        else if (c === '=') this.mode = 'beforeValue';
        else if (c === '>') this.enterContent();
        else if (c === '/') this.mode = 'tag';
        else this.attr += c;
        return c;
      case 'beforeValue':
        if (isSpace(c)) return c;
        if (c === '>') return this.enterContent(), c;
        this.startValue(c === '"' || c === "'" ? c : '');
        if (!this.quote) this.valueChar(c);
        return c;
      case 'attrValue':
        if (this.quote ? c === this.quote : isSpace(c)) this.mode = 'tag';
        else if (!this.quote && c === '>') this.enterContent();
        else this.valueChar(c);
        return c;
      case 'raw':
        return this.rawChar(c);
    }
  }

  private hold(mode: HtmlMode, c: string): string {
    this.mode = mode;
    this.pending += c;
    return '';
  }

  private flushTo(mode: HtmlMode, c: string, then?: () => void): string {
    const out = this.pending + c;
    this.pending = '';
    this.mode = mode;
    then?.();
    return out;
  }

  /**
   * Writes out held characters as literal text (before a value, or at the end of the page). A `<` right before a
   * value is written as `&lt;`: a value must never become a tag name (`<{{.}}` with `script`).
   */
  flush(): string {
    const out = this.mode === 'lt' ? '&lt;' : this.pending;
    this.pending = '';
    if (this.mode === 'lt' || this.mode === 'bang' || this.mode === 'bangDash') this.mode = this.mode === 'lt' ? 'text' : 'decl';
    return out;
  }

  private startAttr(c: string): void {
    this.mode = 'attrName';
    this.attr = c;
  }

  private startValue(quote: string): void {
    this.mode = 'attrValue';
    this.quote = quote;
    this.value = '';
    this.kind = attrKind(this.attr);
    this.js = this.kind === 'js' ? new JsState() : null;
  }

  private valueChar(c: string): void {
    this.value += c;
    this.js?.feed(c);
  }

  private enterContent(): void {
    this.mode = 'text';
    if (RAW_ELEMENTS.has(this.tag)) {
      this.mode = 'raw';
      this.rawEnd = '';
      this.js = this.tag === 'script' ? new JsState() : null;
    }
  }

  private rawChar(c: string): string {
    const close = `</${this.tag}`;
    const seen = this.rawEnd + c.toLowerCase();
    if (seen.length <= close.length && close.startsWith(seen)) {
      this.rawEnd = seen;
      return c;
    }
    if (seen.length === close.length + 1 && seen.startsWith(close) && (isSpace(c) || c === '/' || c === '>')) {
      this.mode = c === '>' ? 'text' : 'endTag';
      this.rawEnd = '';
      this.js = null;
      return c;
    }
    this.settle();
    if (c === '<') this.rawEnd = '<';
    else this.js?.feed(c);
    return c;
  }

  /** Before a value in raw text: characters held as a possible end tag were script text after all. */
  settle(): void {
    for (const held of this.rawEnd) this.js?.feed(held);
    this.rawEnd = '';
  }
}
