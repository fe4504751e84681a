import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['node_modules/', '.data/', 'test-results/', 'coverage/', 'dist/'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Numbers read naturally in messages and SQL placeholders; objects and nullish values do not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // An async method that implements a promise-returning interface needs no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/http/**/*.ts'],
    rules: {
      // The import rules keep the store's modules out of http/; this keeps the store out of reach
      // through the context too.
      'no-restricted-syntax': [
        'error',
        ...[
          "MemberExpression[property.name='store']",
          "MemberExpression[computed=true][property.value='store']",
          "ObjectPattern > Property[key.name='store']",
        ].map((selector) => ({ selector, message: 'Routes and pages reach data through a service, never the store.' })),
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Cleanup hooks guard against a setup that failed half-way, which the types cannot know of.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Vitest's asymmetric matchers (expect.stringContaining …) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
