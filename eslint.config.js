// Lint: typescript-eslint recommended rules, plus the architecture rule that the core never
// imports a chat platform (only src/adapters/* may).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platformImports = {
  patterns: [
    { group: ['discord.js', '@discordjs/*', 'grammy', '@grammyjs/*'], message: 'Only src/adapters/<platform> may import a chat platform.' },
    { group: ['**/adapters/**'], message: 'The core must not import an adapter.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'output/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  // The composition root (main.ts, frontends.ts) wires adapters to the core; nothing else in the core may.
  { files: ['src/**/*.ts', 'commands/**/*.ts'], ignores: ['src/adapters/**', 'src/main.ts', 'src/frontends.ts'], rules: { 'no-restricted-imports': ['error', platformImports] } },
  {
    files: ['src/adapters/telegram/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/adapters/discord/**', '**/adapters/console/**', 'discord.js', '@discordjs/*'], message: 'Adapters never import each other.' }] }] },
  },
  {
    files: ['src/adapters/discord/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/adapters/telegram/**', '**/adapters/console/**', 'grammy', '@grammyjs/*'], message: 'Adapters never import each other.' }] }] },
  },
);
