// Lint rules: typescript-eslint's recommended set plus the house rules
// (named exports only, no enums, dependency direction between src/ folders).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layer = (from, forbidden, message) => ({
  files: [`src/${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

// src/server: the folders are features (one endpoint or page family each) and shared services. A feature imports
// shared services, never another feature; a shared service never imports a feature; the protocol vocabulary
// (oauth2/) and the HTTP plumbing (http/) are leaves; the token services (tokens/) sit on them alone.
const FEATURES = ['authflow', 'grants', 'device', 'introspection', 'revocation', 'userinfo', 'discovery', 'home', 'logout', 'mfa'];
const SHARED = ['sessions', 'backchannel', 'throttle', 'templates', 'connectors', 'responses', 'tokens', 'http', 'oauth2'];
const ROOT_MODULES = ['../context.js', '../routes.js', '../server.js', '../index.js', '../keys-endpoint.js'];
const folders = (names) => names.flatMap((n) => [`../${n}/*`, `**/server/${n}/*`]);
const except = (names, ...drop) => names.filter((n) => !drop.includes(n));

/**
 * `from` (a folder of src/server) may not import `forbidden` (folders of src/server, or module paths). Each
 * exception names the importing files, the imports they may still make, and why; it is the same rule with those
 * imports let through, for those files only.
 */
const serverLayer = (from, forbidden, message, exceptions = []) => {
  const group = [...folders(forbidden.filter((f) => !f.startsWith('../'))), ...forbidden.filter((f) => f.startsWith('../'))];
  const rule = (allow) => ({ 'no-restricted-imports': ['error', { patterns: [{ group: [...group, ...allow.map((a) => `!${a}`)], message }] }] });
  return [
    { files: [`src/server/${from}/**/*.ts`], rules: rule([]) },
    ...exceptions.map(({ files, allow }) => ({ files: files.map((f) => `src/server/${from}/${f}`), rules: rule(allow) })),
  ];
};

const SERVER_LAYERS = [
  ...serverLayer('oauth2', [...FEATURES, ...except(SHARED, 'oauth2'), ...ROOT_MODULES], 'src/server/oauth2 is a leaf: the protocol vocabulary imports no other server folder.'),
  // http/ is a leaf above oauth2/ only: a malformed parameter or form is an OAuth error (oauth-error.ts), and the
  // form endpoints authenticate clients and answer JSON errors as /token does (client-auth.ts, write-json-error.ts).
  ...serverLayer('http', [...FEATURES, ...except(SHARED, 'http', 'oauth2'), ...ROOT_MODULES], 'src/server/http is a leaf: it imports no server folder but oauth2.'),
  ...serverLayer('tokens', [...FEATURES, ...except(SHARED, 'tokens', 'oauth2', 'http'), ...ROOT_MODULES], 'src/server/tokens imports only oauth2 and http among server folders.'),
  ...except(SHARED, 'oauth2', 'http', 'tokens').flatMap((s) => serverLayer(s, FEATURES, 'A shared service of src/server never imports a feature folder.')),
  ...FEATURES.filter((f) => f !== 'device').flatMap((f) => serverLayer(f, except(FEATURES, f), 'Feature folders of src/server never import one another: share through a shared service (tokens, http, oauth2, sessions, …).')),
  ...serverLayer('device', except(FEATURES, 'device'), 'Feature folders of src/server never import one another: share through a shared service (tokens, http, oauth2, sessions, …).', [
    // The device callback redeems its code through the token endpoint's own authorization_code grant (`runGrant`),
    // so every check of /token runs for it too; dex does the same (dex master (ab64ed77) server/device/device.go
    // calls grants.ExchangeAuthCode).
    { files: ['device-callback.ts'], allow: ['../grants/endpoint.js', '../grants/authorization-code.js'] },
  ]),
];

export default tseslint.config(
  { ignores: ['eslint.config.js', 'src/api/gen/**', 'dist/**', 'node_modules/**', 'web/**', 'var/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a string-literal union and an `as const` object.' },
        { selector: 'ExportDefaultDeclaration', message: 'Named exports only.' },
      ],
    },
  },
  { files: ['**/*.mjs', 'scripts/**', 'bench/**', 'test/**'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', URLSearchParams: 'readonly', AbortController: 'readonly' } } },
  layer('lib', ['**/server/**', '**/storage/**', '**/connectors/**', '**/keys/**', '**/config/**'], 'src/lib is a leaf: it imports nothing from the rest of src.'),
  layer('storage', ['**/server/**', '**/connectors/**', '**/config/**'], 'storage must not import server, connectors or config.'),
  layer('connectors', ['**/server/**', '**/config/registry*'], 'connectors must not import server.'),
  layer('keys', ['**/server/**', '**/connectors/**'], 'keys must not import server or connectors.'),
  ...SERVER_LAYERS,
);
