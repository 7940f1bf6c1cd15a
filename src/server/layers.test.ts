// The import rules between the folders of src/server (eslint.config.js `SERVER_LAYERS`) refuse what they promise
// to refuse: each case lints one import line as if it were written in that file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function refused(file: string, from: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import { a } from '${from}';\nexport const b = a;\n`, { filePath: file });
  assert.ok(result, file);
  assert.deepEqual(result.messages.filter((m) => m.fatal), [], `${file}: the snippet must parse`);
  return result.messages.some((m) => m.ruleId === 'no-restricted-imports');
}

const CASES: Array<[file: string, from: string, refuse: boolean]> = [
  // Feature folders never import one another.
  ['src/server/introspection/x.ts', '../revocation/revoke.js', true],
  ['src/server/discovery/x.ts', '../grants/grant-table.js', true],
  ['src/server/grants/x.ts', '../device/device-binding.js', true],
  ['src/server/home/x.ts', '../logout/finish.js', true],
  ['src/server/mfa/x.ts', '../authflow/flow-context.js', true],
  ['src/server/device/device-page.ts', '../grants/endpoint.js', true],
  ['src/server/device/device-page.ts', '../authflow/redirect-uri.js', true],
  // … except the named ones, and only where they are named.
  ['src/server/device/device-callback.ts', '../grants/endpoint.js', false],
  ['src/server/device/device-callback.ts', '../grants/grant-table.js', true],
  ['src/server/device/device-page.ts', '../authflow/authorize.js', true],
  ['src/server/device/device-callback.ts', '../authflow/callback.js', true],
  // Features use shared services.
  ['src/server/device/device-page.ts', '../responses/flow-errors.js', false],
  ['src/server/responses/x.ts', '../authflow/authorize.js', true],
  ['src/server/introspection/x.ts', '../tokens/access-tokens.js', false],
  ['src/server/device/x.ts', '../http/form-endpoint.js', false],
  ['src/server/mfa/x.ts', '../sessions/session-manager.js', false],
  // A shared service never imports a feature.
  ['src/server/sessions/x.ts', '../authflow/flow-context.js', true],
  // oauth2 is a leaf; http imports oauth2 alone; tokens imports oauth2 and http alone.
  ['src/server/oauth2/x.ts', '../http/params.js', true],
  ['src/server/oauth2/x.ts', '../context.js', true],
  ['src/server/oauth2/x.ts', '../../storage/storage.js', false],
  ['src/server/http/x.ts', '../oauth2/oauth-error.js', false],
  ['src/server/http/x.ts', '../tokens/claims.js', true],
  ['src/server/tokens/x.ts', '../oauth2/scopes.js', false],
  ['src/server/tokens/x.ts', '../http/params.js', false],
  ['src/server/tokens/x.ts', '../sessions/identity.js', true],
  ['src/server/tokens/x.ts', '../grants/grant.js', true],
];

test('the src/server import rules refuse cross-feature and upward imports and allow the rest', async () => {
  for (const [file, from, refuse] of CASES) {
    assert.equal(await refused(file, from), refuse, `${file} importing ${from} should be ${refuse ? 'refused' : 'allowed'}`);
  }
});
