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
);
