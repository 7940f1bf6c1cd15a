import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { escapeHtml } from './html-escape.js';

test('each of & < > " \' becomes its entity; everything else is left as it is', () => {
  assert.equal(escapeHtml(`a&b<c>d"e'f`), 'a&amp;b&lt;c&gt;d&quot;e&#39;f');
  assert.equal(escapeHtml('&amp;'), '&amp;amp;', 'an entity in the input is text, escaped again');
  assert.equal(escapeHtml('plain +/=?#é ✓'), 'plain +/=?#é ✓');
  assert.equal(escapeHtml(''), '');
});

test('no output can open a tag, end a quoted attribute or start an entity of its own', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      const out = escapeHtml(s);
      assert.doesNotMatch(out, /[<>"']/);
      assert.doesNotMatch(out, /&(?!amp;|lt;|gt;|quot;|#39;)/);
      const back = out.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
      assert.equal(back, s, 'decoding gives the input back');
    }),
  );
});
