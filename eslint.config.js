import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sharedRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/switch-exhaustiveness-check': 'error',
  '@typescript-eslint/no-unused-vars': [
    'error',
    { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
  ],
  '@typescript-eslint/consistent-type-imports': 'error',
};

export default tseslint.config(
  {
    ignores: [
      '**/*.js',
      '**/*.mjs',
      'dist/**',
      'data/**',
      'node_modules/**',
      'coverage/**',
      'bin/**',
      'scripts/**',
      // Generated from the OpenAPI document by `npm run web:api-types`.
      'web/src/api/openapi.ts',
    ],
  },
  {
    files: ['**/*.ts'],
    ignores: ['web/**'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.tools.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    // Tests may read fixture files; the code under test stays pure.
    ignores: ['src/domain/**/*.test.ts', 'src/domain/**/fixtures/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fastify*', 'kysely*', 'pg', '@electric-sql/*'],
              message: 'domain/ is pure: no I/O or framework imports.',
            },
            {
              group: ['../modules/*', '../db/*', '../http/*', '../cli/*'],
              message: 'domain/ must not depend on outer layers.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web app: its own tsconfig (DOM, JSX), the same strictness.
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { project: './web/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      ...sharedRules,
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
);
