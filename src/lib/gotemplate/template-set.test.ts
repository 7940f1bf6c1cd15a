/**
 * The template language, table-driven. Each expected output is what Go's html/template (Go 1.22+) writes for the
 * same template and data (structs as plain objects, maps as `Map`), worked out from the text/template and
 * html/template documentation; comments mark the Go rule a row pins down.
 */

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseTemplateSet, TemplateError, type FuncDef } from './index.js';
import { sprigFuncs } from './sprig.js';

const funcs: Record<string, FuncDef> = {
  ...sprigFuncs,
  issuer: { fn: () => 'Acme', min: 0, max: 0 },
  url: { fn: ([, a]) => `/dex/${String(a)}`, min: 2, max: 2 },
};

function render(source: string, data: unknown = {}, extra: { name: string; source: string }[] = []): string {
  return parseTemplateSet([{ name: 'page.html', source }, ...extra], funcs).render('page.html', data);
}

const data = {
  Name: 'Ada',
  Empty: '',
  Zero: 0,
  N: 3,
  T: true,
  F: false,
  Nil: null,
  List: ['a', 'b', 'c'],
  None: [] as string[],
  Conns: [
    { ID: 'ldap', Name: 'LDAP', Type: 'ldap' },
    { ID: 'gh', Name: 'GitHub', Type: 'github' },
  ],
  Inner: { Deep: { Value: 'v' } },
  M: new Map<string, unknown>([['b', 2], ['a', 1]]),
  Greet: (who: string) => `hi ${who}`,
  When: new Date(Date.UTC(2024, 2, 5, 19, 8, 9)),
};

const rows: [name: string, template: string, want: string][] = [
  ['plain text', 'hello', 'hello'],
  ['field', '{{.Name}}', 'Ada'],
  ['spaces inside delimiters', '{{ .Name }}', 'Ada'],
  ['chain', '{{.Inner.Deep.Value}}', 'v'],
  ['dot', '{{with .Inner.Deep}}{{.}}{{end}}', '{v}'],
  ['trim both sides', 'a  {{- .Name -}}  \n b', 'aAdab'],
  ['trim needs a space after the dash', '{{-3}}', '-3'],
  ['comment', 'a{{/* gone */}}b', 'ab'],
  ['trimmed comment', 'a {{- /* gone */ -}} b', 'ab'],
  ['string, raw string, char', '{{"q\\"x"}}|{{`r\\n`}}|{{\'a\'}}', 'q&#34;x|r\\n|97'],
  ['numbers', '{{1}} {{-2}} {{0x1F}} {{1.5}} {{1e3}} {{1_000}}', '1 -2 31 1.5 1000 1000'],
  ['bools', '{{true}} {{false}}', 'true false'],
  ['nil prints nothing in html/template', '[{{.Nil}}]', '[]'],
  ['slice prints as Go', '{{.List}}', '[a b c]'],
  ['struct prints its values', '{{index .Conns 0}}', '{ldap LDAP ldap}'],
  ['map prints sorted', '{{.M}}', 'map[a:1 b:2]'],
  ['map key', '{{.M.a}} [{{.M.missing}}]', '1 []'],
  ['method with argument', '{{.Greet "you"}}', 'hi you'],
  ['if/else', '{{if .T}}y{{else}}n{{end}}{{if .F}}y{{else}}n{{end}}', 'yn'],
  ['else if chain', '{{if .F}}1{{else if .Zero}}2{{else if .N}}3{{else}}4{{end}}', '3'],
  ['truth of empty values', '{{if .Empty}}x{{end}}{{if .None}}x{{end}}{{if .Nil}}x{{end}}{{if .Inner}}s{{end}}', 's'],
  ['if( pipeline ) as dex device.html writes it', '{{ if( .Name ) }}yes{{ end }}', 'yes'],
  ['range', '{{range .List}}[{{.}}]{{end}}', '[a][b][c]'],
  ['range with index and value', '{{range $i, $v := .List}}{{$i}}{{$v}};{{end}}', '0a;1b;2c;'],
  ['range one variable is the element', '{{range $c := .Conns}}{{$c.ID}} {{end}}', 'ldap gh '],
  ['range else', '{{range .None}}x{{else}}empty{{end}}', 'empty'],
  ['range over map in key order', '{{range $k, $v := .M}}{{$k}}={{$v}} {{end}}', 'a=1 b=2 '],
  ['range over int (Go 1.22)', '{{range 3}}{{.}}{{end}}', '012'],
  ['break and continue', '{{range $i, $v := .List}}{{if eq $i 1}}{{continue}}{{end}}{{$v}}{{if eq $v "c"}}{{break}}{{end}}{{end}}', 'ac'],
  ['$ is the root inside range', '{{range .List}}{{$.Name}}{{end}}', 'AdaAdaAda'],
  ['with/else', '{{with .Empty}}x{{else}}none{{end}}{{with .Name}}{{.}}{{end}}', 'noneAda'],
  ['else with (Go 1.23)', '{{with .Empty}}1{{else with .Name}}{{.}}{{else}}3{{end}}', 'Ada'],
  ['variables: declare, assign, scope', '{{$x := 1}}{{if true}}{{$x = 2}}{{$y := 5}}{{end}}{{$x}}', '2'],
  ['pipeline passes the last argument', '{{.Name | printf "%s!" | lower}}', 'ada!'],
  ['parenthesised pipeline and field of its result', '{{(index .Conns 1).Name}} {{len (slice .List 1)}}', 'GitHub 2'],
  ['and/or return an operand', '{{and 1 0 2}} {{or 0 "" "z"}} {{and 1 2}} {{or 0 ""}}', '0 z 2 '],
  ['and short-circuits', '{{if and .Nil .Nil.Missing}}x{{else}}safe{{end}}', 'safe'],
  ['not', '{{not 0}} {{not .Name}}', 'true false'],
  ['comparisons', '{{eq 1 1}} {{eq "a" "b" "a"}} {{ne 1 2}} {{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}', 'true true true true true true false'],
  ['len counts UTF-8 bytes of strings', '{{len "héllo"}} {{len .List}} {{len .M}}', '6 3 2'],
  ['index', '{{index .List 2}} {{index .M "b"}} {{index "abc" 1}}', 'c 2 98'],
  ['slice', '{{slice .List 1 2}} {{slice "hello" 1 3}} {{slice "hello" 3}}', '[b] el lo'],
  ['print adds spaces between non-strings only', '{{print 1 2 "a" "b" 3}}', '1 2ab3'],
  ['println', '{{println "a" 1}}', 'a 1\n'],
  ['printf verbs', '{{printf "%d|%5s|%-3s|%q|%v|%t|%x|%.2f|%03d|%%" 42 "ab" "c" "q" .List true 255 3.14159 7}}', '42|   ab|c  |&#34;q&#34;|[a b c]|true|ff|3.14|007|%'],
  ['printf missing and extra', '{{printf "%s %s" "a"}} {{printf "x" 1}}', 'a %!s(MISSING) x%!(EXTRA int=1)'],
  ['html builtin does not double-escape', '{{"<a>" | html}}', '&lt;a&gt;'],
  ['js builtin', '{{js "it\'s <b>"}}', 'it\\&#39;s \\u003Cb\\u003E'],
  ['urlquery', '{{urlquery "a b&c"}}', 'a&#43;b%26c'],
  ['define and template', '{{define "x"}}[{{.}}]{{end}}{{template "x" .Name}}{{template "x"}}', '[Ada][]'],
  ['block defines and runs', '{{block "b" .Name}}[{{.}}]{{end}}', '[Ada]'],
  ['template without data gets nil', '{{define "y"}}{{if .}}set{{else}}nil{{end}}{{end}}{{template "y"}}', 'nil'],
  ['sprig: default, lower, upper, trim, replace, join', '{{.Empty | default "d"}} {{upper "x"}} {{trim " y "}} {{replace "a" "b" "aa"}} {{join "," .List}}', 'd X y bb a,b,c'],
  ['sprig: hasPrefix, contains, dict, list, ternary', '{{hasPrefix "gi" "github"}} {{contains "ub" "github"}} {{(dict "k" "v").k}} {{list 1 2}} {{ternary "a" "b" false}}', 'true true v [1 2] b'],
  ['sprig: date in Go layout (UTC)', '{{date "2006-01-02 15:04:05 Mon Jan 03PM" .When}} {{date "January 2, 06" .When}}', '2024-03-05 19:08:09 Tue Mar 07PM March 5, 24'],
  ['dex functions', '{{issuer}} {{url "/dex/auth" "static/main.css"}}', 'Acme /dex/static/main.css'],
];

describe('Go template language', () => {
  for (const [name, template, want] of rows) {
    test(name, () => assert.equal(render(template, data), want));
  }

  test('sprig now | date, for footers like "© 2026"', () => {
    const year = String(new Date().getUTCFullYear());
    const out = render('© {{ now | date "2006" }}');
    assert.ok(out === `© ${year}` || out === `© ${Number(year) + 1}`, out);
  });

  test('templates from other files are visible, later non-empty definitions replace earlier ones', () => {
    const files = [
      { name: 'a.html', source: '{{define "p"}}old{{end}}' },
      { name: 'b.html', source: '{{define "p"}}new{{end}}{{define "q"}}   {{end}}' },
      { name: 'c.html', source: '{{define "q"}}kept{{end}}' },
    ];
    assert.equal(render('{{template "p"}} {{template "q"}}', {}, files), 'new kept');
    // An empty (white space only) redefinition does not replace a body.
    const reordered = [files[0]!, files[2]!, { name: 'd.html', source: '{{define "q"}}  {{end}}' }];
    assert.equal(render('{{template "q"}}', {}, reordered), 'kept');
  });
});

const parseErrors: [name: string, template: string, message: RegExp][] = [
  ['unknown function', 'a\n{{ frobnicate .X }}', /^page\.html:2: function "frobnicate" not defined$/],
  ['unclosed action', 'a\nb\n{{ .X ', /^page\.html:3: unclosed action$/],
  ['missing end', 'x\n{{ if .X }}\ny', /^page\.html:2: unexpected EOF: \{\{if\}\} has no \{\{end\}\}$/],
  ['stray end', '{{ end }}', /^page\.html:1: unexpected \{\{end\}\}$/],
  ['undefined variable', '{{ $x }}', /undefined variable "\$x"/],
  ['variable out of scope after end', '{{ if true }}{{ $y := 1 }}{{ end }}\n{{ $y }}', /^page\.html:2: undefined variable "\$y"$/],
  ['assignment to undeclared variable', '{{ $z = 1 }}', /undefined variable "\$z"/],
  ['break outside range', '{{ break }}', /outside \{\{range\}\}/],
  ['nil is not a command', '{{ nil }}', /nil is not a command/],
  ['wrong argument count', '{{ lower "a" "b" }}', /wrong number of args for lower: want 1 got 2/],
  ['argument to a non-function', '{{ "a" "b" }}', /can't give arguments to non-function/],
  ['unknown template', '{{ template "nope" }}', /no such template "nope"/],
  ['define inside a block', '{{ if true }}{{ define "x" }}{{ end }}{{ end }}', /define is allowed only at the top level/],
  ['unterminated string', '{{ "abc }}', /unterminated quoted string/],
  ['unclosed comment', '{{/* abc', /unclosed comment/],
  ['comment not at the delimiters', '{{ /* c */ }}', /unexpected "\/" in action/],
  ['bad number', '{{ 12ab }}', /bad number syntax/],
  ['unknown escape', '{{ "\\q" }}', /unknown escape sequence/],
  ['unclosed paren', '{{ (lower "a" }}', /unclosed left paren/],
];

describe('parse errors name file and line', () => {
  for (const [name, template, message] of parseErrors) {
    test(name, () => {
      assert.throws(() => parseTemplateSet([{ name: 'page.html', source: template }], funcs), (err: unknown) => {
        assert.ok(err instanceof TemplateError, String(err));
        assert.match(err.message, message);
        assert.equal(err.file, 'page.html');
        return true;
      });
    });
  }
});

describe('execution errors name file and line', () => {
  const cases: [string, unknown, RegExp][] = [
    ['x\n{{ .Missing }}', { A: 1 }, /^page\.html:2: can't evaluate field Missing in type struct$/],
    ['{{ .A.B }}', { A: null }, /nil pointer evaluating interface \{\}\.B/],
    ['{{ index .L 5 }}', { L: [1] }, /index out of range: 5/],
    ['{{ eq 1 "1" }}', {}, /incompatible types for comparison/],
    ['{{ range .S }}{{ end }}', { S: { a: 1 } }, /range can't iterate over/],
    ['{{ .S 1 }}', { S: 'x' }, /S has arguments but cannot be invoked as function/],
    ['{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {}, /exceeded maximum template depth/],
  ];
  for (const [template, value, message] of cases) {
    test(template, () => {
      assert.throws(() => render(template, value), (err: unknown) => err instanceof TemplateError && message.test(err.message));
    });
  }
});

describe('hostile template sources', () => {
  const pieces = ['{{', '}}', '{{-', '-}}', ' ', '.', '$', '$x', ':=', '=', '|', '(', ')', '"s"', '`r`', "'c'", '1', '-2', '/*', '*/',
    'if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'lower', 'printf',
    'and', 'len', 'index', '.Name', '.List', '<a href="', '">', '<script>', '</script>', '<!--', '-->', 'x', '\n'];
  test('any source either parses or fails with a TemplateError; any parsed template renders or fails with one', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const source = parts.join('');
        try {
          const set = parseTemplateSet([{ name: 'f.html', source }], funcs);
          set.render('f.html', data);
        } catch (err) {
          assert.ok(err instanceof TemplateError, `${source} -> ${String(err)}`);
          assert.match(err.message, /^f\.html:\d+: /);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
