// Lint: typescript-eslint recommended rules, plus the architecture: the core (domain, access,
// service) knows no platform, no runtime and no adapter; adapters import the core, never each
// other, the runtime or the composition root; only src/app.ts and src/main.ts wire parts together.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const platforms = ['discord.js', '@discordjs/*', 'grammy', '@grammyjs/*'];
const rule = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const noPlatform = { group: platforms, message: 'Only src/adapters/<platform> may import a chat platform.' };
const noAdapter = { group: ['**/adapters/**'], message: 'Only the composition root (src/app.ts) imports adapters.' };
const noRuntime = { group: ['**/runtime/**'], message: 'The core reaches the runtime through ports (src/core/domain/ports.ts); src/app.ts plugs them in.' };
const noRoot = { group: ['**/app.js', '**/main.js'], message: 'Nothing imports the composition root.' };
const adapterRule = (others, foreignLibraries) => rule([
  { group: [...others.map((o) => `**/adapters/${o}/**`), ...foreignLibraries], message: 'Adapters never import each other (or the other platforms).' },
  noRuntime,
  noRoot,
]);

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
  { files: ['src/core/**/*.ts', 'commands/**/*.ts'], rules: rule([noPlatform, noAdapter, noRuntime, noRoot]) },
  { files: ['src/runtime/**/*.ts', 'src/mj/**/*.ts', 'src/sim/**/*.ts'], rules: rule([noPlatform, noAdapter, noRoot]) },
  { files: ['src/adapters/telegram/**'], rules: adapterRule(['discord', 'console'], ['discord.js', '@discordjs/*']) },
  { files: ['src/adapters/discord/**'], rules: adapterRule(['telegram', 'console'], ['grammy', '@grammyjs/*']) },
  { files: ['src/adapters/console/**'], rules: adapterRule(['telegram', 'discord'], platforms) },
);
