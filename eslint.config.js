// ESLint flat config for the whole monorepo. Deliberately not type-aware: linting stays fast and
// `tsc -p tsconfig.json --noEmit` (first step of `npm run lint`) already does the type checking.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['**/node_modules/', '**/dist/', '**/build/', 'data/', 'coverage/', 'test-results/']),

  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
    },
    rules: {
      // An underscore marks a binding that is unused on purpose (callback arity, destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  // Everything runs on Node.js except the browser bundle.
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    ignores: ['frontend/src/**'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['frontend/src/**/*.{js,mjs,ts,tsx}'],
    languageOptions: { globals: globals.browser },
  },

  // CommonJS files, should any appear (tool configs).
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // Tests read arbitrary JSON off sockets and HTTP; typing every frame there would add noise, not safety.
  {
    files: ['**/test/**/*.ts', '**/*.test.ts', 'e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
