/**
 * Tracks where in JavaScript source the next character falls (code, a string, a template literal, a regular
 * expression or a comment), so `escape.ts` can pick the escaper for a value inserted there. Fed the trusted template
 * text character by character; a simplified form of Go `html/template/js.go` (regexp versus division is decided by
 * the last significant character).
 */

export type JsMode = 'code' | 'dq' | 'sq' | 'tmpl' | 'regex' | 'regexClass' | 'lineComment' | 'blockComment';

/** Characters after which `/` starts a regular expression rather than a division. */
const REGEX_PRECEDER = '(,=:[!&|?{};+-*%<>~^';

export class JsState {
  mode: JsMode = 'code';
  private escaped = false;
  private slash = false;
  private star = false;
  private last = '';
  /** Brace depth per open `${` of template literals. */
  private readonly holes: number[] = [];

  feed(c: string): void {
    if (this.slash) {
      this.slash = false;
      if (c === '/') return void (this.mode = 'lineComment');
      if (c === '*') return void (this.mode = 'blockComment');
      if (this.last === '' || REGEX_PRECEDER.includes(this.last)) {
        this.mode = 'regex';
        this.regex(c);
        return;
      }
      this.last = '/';
    }
    switch (this.mode) {
      case 'code':
        return this.code(c);
      case 'dq':
      case 'sq':
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === (this.mode === 'dq' ? '"' : "'") || c === '\n') this.end('"');
        return;
      case 'tmpl':
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '`') this.end('`');
        else if (c === '{' && this.last === '$') {
          this.holes.push(0);
          this.mode = 'code';
          this.last = '{';
          return;
        }
        this.last = c;
        return;
      case 'regex':
      case 'regexClass':
        return this.regex(c);
      case 'lineComment':
        if (c === '\n' || c === '\u2028' || c === '\u2029') this.mode = 'code';
        return;
      case 'blockComment':
        if (this.star && c === '/') this.mode = 'code';
        this.star = c === '*';
        return;
    }
  }

  private end(last: string): void {
    this.mode = 'code';
    this.last = last;
  }

  private code(c: string): void {
    if (/\s/.test(c)) return;
    if (c === '"') this.mode = 'dq';
    else if (c === "'") this.mode = 'sq';
    else if (c === '`') this.mode = 'tmpl';
    else if (c === '/') return void (this.slash = true);
    else if (this.holes.length > 0 && (c === '{' || c === '}')) {
      const top = this.holes.length - 1;
      if (c === '{') this.holes[top]!++;
      else if (this.holes[top] === 0) {
        this.holes.pop();
        this.mode = 'tmpl';
        this.last = '';
        return;
      } else this.holes[top]!--;
    }
    this.last = c;
  }

  private regex(c: string): void {
    if (this.escaped) this.escaped = false;
    else if (c === '\\') this.escaped = true;
    else if (this.mode === 'regex' && c === '[') this.mode = 'regexClass';
    else if (this.mode === 'regexClass' && c === ']') this.mode = 'regex';
    else if (this.mode === 'regex' && (c === '/' || c === '\n')) this.end('x');
  }

  /** The mode a value inserted now would land in (a pending `/` after code means a regexp or division). */
  current(): JsMode {
    if (this.slash) return this.last === '' || REGEX_PRECEDER.includes(this.last) ? 'regex' : 'code';
    return this.mode;
  }
}
