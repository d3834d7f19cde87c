// Lint rules that protect the determinism boundary: workflow, spec and analysis code runs in
// Temporal's workflow sandbox (or must be able to), so it may not import Node built-ins, the
// Kubernetes client, prom-client or activity implementations.
import tseslint from 'typescript-eslint';

const sandboxForbidden = {
  patterns: [
    { group: ['node:*'], message: 'Workflow-safe code cannot use Node built-ins.' },
    { group: ['@kubernetes/*', 'prom-client', '@temporalio/worker', '@temporalio/client', '@temporalio/activity'],
      message: 'Workflow-safe code cannot touch the cluster, metrics or the worker; use an activity.' },
    { group: ['**/activities/*', '**/activities/**', '!**/activities/types'],
      allowTypeImports: true, message: 'Import activity types only (import type).' },
  ],
  paths: ['fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'events', 'util', 'stream', 'process']
    .map((name) => ({ name, message: 'Workflow-safe code cannot use Node built-ins.' })),
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tools/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain Node scripts (benchmarks, set-up) load the compiled code with require().
    files: ['bench/**/*.js', 'scripts/**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/workflows/**/*.ts', 'src/spec/**/*.ts', 'src/analysis/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', sandboxForbidden] },
  },
);
