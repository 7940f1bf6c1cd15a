import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandEnv, expandEnvInTree } from './expand-env.js';

const env = { HOME: '/home/k', USER: 'kilgore', A_1: 'x', EMPTY: '' };

test('expandEnv follows Go os.ExpandEnv', () => {
  const cases: Array<[string, string]> = [
    ['$HOME/.kube', '/home/k/.kube'],
    ['${HOME}x', '/home/kx'],
    ['$USER$USER', 'kilgorekilgore'],
    ['$A_1-b', 'x-b'],
    ['$UNSET', ''],
    ['${UNSET}', ''],
    ['a$', 'a$'], // trailing dollar stays
    ['pa$$word', 'paword'], // `$$` names the variable "$", unset → empty
    ['$1abc', 'abc'], // `$1` is a one-character special name
    ['${}x', 'x'], // bad syntax is eaten
    ['${HOME', 'HOME'], // unclosed brace: only `${` is eaten
    ['cost: 5$ each', 'cost: 5$ each'], // `$` before a space is kept
    ['$%x', '$%x'],
    ['${EMPTY}z', 'z'],
    ['no dollars', 'no dollars'],
  ];
  for (const [input, want] of cases) assert.equal(expandEnv(input, env), want, input);
});

test('expandEnvInTree expands strings in maps, in lists and in maps inside lists only', () => {
  const tree = {
    host: '$USER',
    port: 5432,
    ok: true,
    nested: { dir: '${HOME}/d', list: ['$USER', 7] },
    servers: [{ url: 'http://$USER' }, '$HOME', ['$USER']],
  };
  const out = expandEnvInTree(tree, env);
  assert.deepEqual(out, {
    host: 'kilgore',
    port: 5432,
    ok: true,
    nested: { dir: '/home/k/d', list: ['kilgore', 7] },
    servers: [{ url: 'http://kilgore' }, '/home/k', ['$USER']],
  });
  assert.equal(tree.host, '$USER', 'input is not mutated');
});
