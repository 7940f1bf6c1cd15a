/**
 * Contextual auto-escaping under attack: every row injects a hostile value into one HTML context and pins the
 * escaped output (Go html/template's output where Go accepts the template). Then a property: no value can leave a
 * text node or a quoted attribute, whatever its characters.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseTemplateSet } from './index.js';

const render = (source: string, data: unknown) => parseTemplateSet([{ name: 't.html', source }]).render('t.html', data);

const attacks: [name: string, template: string, value: unknown, want: string][] = [
  ['script injection in text', '<p>{{.}}</p>', '<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
  ['entities and plus in text', '{{.}}', `&"'+\0`, '&amp;&#34;&#39;&#43;\uFFFD'],
  ['double-quoted attribute breakout', '<input value="{{.}}">', '" autofocus onfocus="alert(1)', '<input value="&#34; autofocus onfocus=&#34;alert(1)">'],
  ['single-quoted attribute breakout', "<input value='{{.}}'>", "' onfocus='alert(1)", "<input value='&#39; onfocus=&#39;alert(1)'>"],
  ['unquoted attribute breakout with space', '<input value={{.}}>', 'x onfocus=alert(1)', '<input value=x&#32;onfocus&#61;alert(1)>'],
  ['unquoted attribute with backticks', '<input value={{.}}>', '`x`\ty', '<input value=&#96;x&#96;&#9;y>'],
  ['empty unquoted value cannot swallow the next attribute', '<input value={{.}} disabled>', '', '<input value=ZgotmplZ disabled>'],
  ['javascript: URL in href', '<a href="{{.}}">x</a>', 'javascript:alert(1)', '<a href="#ZgotmplZ">x</a>'],
  ['mixed-case scheme with spaces', '<a href="{{.}}">x</a>', ' JaVaScRiPt:alert(1)', '<a href="#ZgotmplZ">x</a>'],
  ['tab inside the scheme', '<a href="{{.}}">x</a>', 'java\tscript:alert(1)', '<a href="#ZgotmplZ">x</a>'],
  ['data: URL in src', '<img src="{{.}}">', 'data:text/html,<script>alert(1)</script>', '<img src="#ZgotmplZ">'],
  ['vbscript: in form action', '<form action="{{.}}"></form>', 'vbscript:msgbox', '<form action="#ZgotmplZ"></form>'],
  ['data-* URL attribute', '<div data-href="{{.}}"></div>', 'javascript:x', '<div data-href="#ZgotmplZ"></div>'],
  ['scheme split over two values', '<a href="{{.A}}{{.B}}">x</a>', { A: 'javascript', B: ':alert(1)' }, '<a href="javascript#ZgotmplZ">x</a>'],
  ['safe URLs pass, normalized', '<a href="{{.}}">x</a>', 'https://a.example/p q?x=1&y="2"', '<a href="https://a.example/p%20q?x=1&amp;y=%222%22">x</a>'],
  ['mailto and relative URLs pass', '<a href="{{.A}}">{{.B}}</a><a href="{{.B}}">', { A: 'mailto:a@b.c', B: '/dex/auth?x=1' }, '<a href="mailto:a@b.c">/dex/auth?x=1</a><a href="/dex/auth?x=1">'],
  ['value in the query part is percent-encoded', '<a href="/cb?q={{.}}">x</a>', 'a&b=c"#', '<a href="/cb?q=a%26b%3dc%22%23">x</a>'.replace('%3d', '%3D')],
  ['unquoted URL attribute', '<a href={{.}}>x</a>', 'javascript:alert(1)', '<a href=#ZgotmplZ>x</a>'],
  ['srcset with a javascript: candidate', '<img srcset="{{.}}">', 'a.png 1x, javascript:alert(1) 2x', '<img srcset="#ZgotmplZ">'],
  ['</script> in JS context', '<script>var x = {{.}};</script>', '</script><script>alert(1)</script>', '<script>var x = "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e";</script>'],
  ['JS string breakout', "<script>var s = '{{.}}';</script>", "';alert(1);//", "<script>var s = '\\u0027;alert(1);\\/\\/';</script>"],
  ['JS double-quoted string with </script>', '<script>var s = "{{.}}";</script>', '</script>"', '<script>var s = "\\u003c\\/script\\u003e\\u0022";</script>'],
  ['JS template literal hole', '<script>var t = `a{{.}}`;</script>', '${alert(1)}`', '<script>var t = `a\\u0024\\u007balert(1)\\u007d\\u0060`;</script>'],
  ['JS numbers and structs are JSON', '<script>f({{.N}}, {{.O}})</script>', { N: 42, O: { A: ['<'] } }, '<script>f( 42 , {"A":["\\u003c"]})</script>'],
  ['JS regexp literal', '<script>var r = /^{{.}}$/;</script>', '.*(x)', '<script>var r = /^\\.\\*\\(x\\)$/;</script>'],
  ['JS line comment elides the value', '<script>// {{.}}\nvar a;</script>', '\nalert(1)', '<script>// \nvar a;</script>'],
  ['event handler attribute', '<button onclick="go({{.}})">', '1);alert(1', '<button onclick="go(&#34;1);alert(1&#34;)">'],
  ['event handler with a JS string', `<button onclick='go("{{.}}")'>`, `");alert(1);("`, `<button onclick='go("\\u0022);alert(1);(\\u0022")'>`],
  ['iframe srcdoc is escaped for the attribute and for the document inside', '<iframe srcdoc="{{.}}">', '<script>alert(1)</script>', '<iframe srcdoc="&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;">'],
  ['attribute name injection', '<div {{.}}>', 'onclick=alert(1)', '<div ZgotmplZ>'],
  ['event handler name is refused', '<div {{.}}=x>', 'onmouseover', '<div ZgotmplZ=x>'],
  ['plain attribute name is allowed', '<input {{.}}>', 'disabled', '<input disabled>'],
  ['style attribute', '<p style="color: {{.}}">', 'red; background: url(javascript:alert(1))', '<p style="color: ZgotmplZ">'],
  ['style attribute, plain value', '<p style="color: {{.}}">', '#ff0000', '<p style="color: #ff0000">'],
  ['style element', '<style>p { color: {{.}} }</style>', '</style><script>alert(1)</script>', '<style>p { color: ZgotmplZ }</style>'],
  ['a value never becomes a tag name', '<{{.}}>', 'script', '&lt;script>'],
  ['end tag name', '</{{.}}>', 'p', '</ZgotmplZ>'],
  ['RCDATA title', '<title>{{.}}</title>', '</title><script>alert(1)</script>', '<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>'],
  ['textarea', '<textarea>{{.}}</textarea>', '</textarea><b>', '<textarea>&lt;/textarea&gt;&lt;b&gt;</textarea>'],
  ['HTML comments are removed with what is inside', 'a<!-- {{.}} internal -->b', 'secret', 'ab'],
  ['comment-looking value stays text', '{{.}}', '<!-- x -->', '&lt;!-- x --&gt;'],
  ['script ends at </script> and text escaping resumes', '<script>var a = 1;</script><p>{{.}}</p>', '<i>', '<script>var a = 1;</script><p>&lt;i&gt;</p>'],
];

describe('escaping attacks', () => {
  for (const [name, template, value, want] of attacks) {
    test(name, () => assert.equal(render(template, value), want));
  }
});

describe('escaping properties', () => {
  test('no value leaves a text node or a double-quoted attribute', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = render('<p title="{{.}}">{{.}}</p>', s);
        assert.match(out, /^<p title="[^"<>]*">[^<>]*<\/p>$/);
      }),
      { numRuns: 500 },
    );
  });

  test('no value leaves a script string or closes the script', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = render('<script>var a = "{{.}}", b = {{.}};</script>', s);
        assert.match(out, /^<script>var a = "[^"<>\n\r\u2028\u2029]*", b = "[^"<>\n\r\u2028\u2029]*(?:\\"[^"<>\n\r\u2028\u2029]*)*";<\/script>$/);
      }),
      { numRuns: 500 },
    );
  });

  test('href values either keep a safe scheme or become #ZgotmplZ', () => {
    fc.assert(
      fc.property(fc.constantFrom('javascript', 'JAVASCRIPT', 'vbscript', 'data', 'jav&#x61;script', ' javascript'), fc.string(), (scheme, rest) => {
        const out = render('<a href="{{.}}">', `${scheme}:${rest}`);
        assert.equal(out, '<a href="#ZgotmplZ">');
      }),
    );
  });
});
