// Type-aware lint for the three runtimes, and the import boundaries of DESIGN §2 / STYLE rule 1.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'dist/',
      'test-artifacts/',
      '.bnlab-test/',
      '.scratch-*/',
      'main/trainer/backends/wasm/build/',
      '**/*.wasm.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Plain-JS Node programs: the CLI shim, the install check and the misbehaving trainers of the supervisor tests.
    files: ['bin/**/*.js', 'scripts/**/*.mjs', 'test/fixtures/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'main/ never imports electron (DESIGN §2)' }] },
      ],
    },
  },
  {
    files: ['renderer/**'],
    // The renderer runs in a browser page: window, document, timers are globals there.
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'renderer/ imports no Node built-ins',
          })),
          patterns: [
            {
              group: ['**/main/*', '!**/main/api', '!**/main/api/*'],
              message: 'renderer/ imports only main/api',
            },
            { group: ['electron'], message: 'renderer/ talks to window.lab, never electron' },
          ],
        },
      ],
    },
  },
);
