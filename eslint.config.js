import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Which folders of src/ each folder may import: the import direction drawn in docs/architecture.md. Anything else
 * under src/ is refused by `no-restricted-imports` (src/version.ts is free to all). `main` is the composition root
 * that wires every layer; `cli` sits on top of it.
 */
const BELOW_SERVER = {
  model: [],
  net: [],
  sandbox: [],
  config: ['net'],
  graph: ['model'],
  journey: ['model', 'graph'],
  store: ['model', 'graph'],
  queue: ['model'],
  llm: ['model', 'config'],
  ops: ['model', 'store', 'config'],
  auth: ['model', 'store', 'config'],
  knowledge: ['model', 'store', 'net', 'config'],
  assistant: ['model', 'store'],
  engine: ['model', 'graph', 'store', 'queue', 'sandbox', 'net', 'llm', 'ops', 'config', 'knowledge', 'assistant'],
  conversation: ['model', 'graph', 'journey', 'store', 'engine', 'llm', 'config', 'knowledge'],
  channels: ['model', 'store', 'engine', 'conversation', 'config'],
  triggers: ['model', 'store', 'engine'],
};
const MAY_IMPORT = {
  ...BELOW_SERVER,
  server: Object.keys(BELOW_SERVER),
  main: [...Object.keys(BELOW_SERVER), 'server'],
  cli: [...Object.keys(BELOW_SERVER), 'server', 'main'],
};

/** One block per folder: a relative import that climbs out (`../`) into a folder it may not import is an error. */
const importDirection = Object.entries(MAY_IMPORT).map(([folder, allowed]) => {
  const refused = Object.keys(MAY_IMPORT).filter((other) => other !== folder && !allowed.includes(other));
  const may = allowed.length > 0 ? `may import only ${allowed.join(', ')}` : 'imports no other folder of src/';
  return {
    files: [`src/${folder}/**`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${refused.join('|')})/`,
              message: `src/${folder}/ ${may} (docs/architecture.md, "Import direction").`,
            },
          ],
        },
      ],
    },
  };
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'dist/', 'web/dist/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  ...importDirection,
  {
    // The web app shares the server's pure code only: it is bundled for the browser.
    files: ['web/src/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!model/|graph/)',
              message: 'The web app imports only src/model/ and src/graph/ (pure code the browser can run).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js', '.ci/**/*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // The chat page's and the widget's scripts run in browsers as they are (no bundler).
    files: ['src/server/chat-page/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['document', 'fetch', 'sessionStorage', 'setInterval', 'URL'].map((name) => [name, 'readonly']),
      ),
    },
  },
);
