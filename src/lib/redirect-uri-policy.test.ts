import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isLoopbackHost, parseRawURI, redirectURIProblem, registeredRedirectURIProblem } from './redirect-uri-policy.js';

test('allowed: https, loopback and plain http (dex compatibility), private-use schemes, the OOB URN', () => {
  for (const uri of [
    'https://app.example.com/cb', 'https://app.example.com:8443/cb?x=1', 'https://[2001:db8::1]/cb',
    'http://127.0.0.1:8000/callback', 'http://localhost/cb', 'http://[::1]:9/cb', 'http://127.8.9.10/',
    'http://intranet.example/cb', 'com.example.app:/oauth2redirect', 'myapp://callback', 'urn:ietf:wg:oauth:2.0:oob',
    'https://app.example.com/cb#frag', 'https://app.example.com/a%20b',
  ]) assert.equal(redirectURIProblem(uri), null, uri);
});

test('refused: script and local schemes, in any case', () => {
  for (const uri of ['javascript:alert(1)', 'JavaScript://%0aalert(1)', 'data:text/html,x', 'vbscript:msgbox', 'file:///etc/passwd', 'blob:https://a.example/1', 'about:blank']) {
    assert.match(redirectURIProblem(uri) ?? '', /scheme is not allowed/, uri);
  }
});

test('refused: not RFC 3986 (backslash, space, bad escape, no scheme), user info, no host, loopback fragment', () => {
  const cases: [string, RegExp][] = [
    ['http://localhost:8080\\@evil.example/callback', /not a valid/],
    ['http://localhost:8080/\\evil', /not a valid/],
    ['https://app.example.com/a b', /not a valid/],
    ['https://app.example.com/%zz', /not a valid/],
    ['https://app.example.com/\u00e9', /not a valid/],
    ['//evil.example/cb', /not a valid/],
    ['https://app.example.com/cb#a#b', /not a valid/],
    ['https://user@app.example.com/cb', /user info/],
    ['http://localhost:1@evil.example/cb', /user info/],
    ['https:/app.example.com', /needs a host/],
    ['http://127.0.0.1:8000/cb#x', /fragment/],
    ['http://[::1/cb', /not a valid/],
    ['http://app.example.com:80a/cb', /not a valid/],
  ];
  for (const [uri, why] of cases) assert.match(redirectURIProblem(uri) ?? 'accepted', why, uri);
});

test('registered paths on Ferry (dex /device/callback) are allowed; a protocol-relative one is not', () => {
  assert.equal(registeredRedirectURIProblem('/device/callback'), null);
  assert.notEqual(registeredRedirectURIProblem('//evil.example/x'), null);
  assert.notEqual(registeredRedirectURIProblem('/a\\b'), null);
});

test('the raw parse keeps what WHATWG would rewrite', () => {
  const u = parseRawURI('http://LOCALHOST:80/a/../b?q#f');
  assert.deepEqual(u, { scheme: 'http', authority: 'LOCALHOST:80', userinfo: false, host: 'localhost', port: '80', rest: '/a/../b?q', fragment: 'f' });
  assert.ok(isLoopbackHost('127.255.0.1'));
  assert.ok(!isLoopbackHost('127.0.0.256'));
  assert.ok(!isLoopbackHost('127.0.0.1.evil.example'));
  assert.ok(!isLoopbackHost('localhost.evil.example'));
});

test('property: whatever is accepted has an allowed scheme and no backslash, blank or control character', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('https://a.example/', 'http://localhost:1', 'javascript:', 'x:', ''), (tail, head) => {
    const uri = head + tail;
    if (redirectURIProblem(uri) !== null) return;
    assert.ok([...uri].every((c) => c > ' ' && c < '\u007f' && c !== '\\'), JSON.stringify(uri));
    assert.ok(!['javascript', 'data', 'vbscript', 'file', 'blob', 'about'].includes(uri.slice(0, uri.indexOf(':')).toLowerCase()));
  }), { numRuns: 2000 });
});
