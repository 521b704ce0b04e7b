// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const wallClock = [
  {
    selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
    message: 'Read time from ctx.clock (src/platform/clock.ts), never Date.now().',
  },
  {
    selector: "NewExpression[callee.name='Date'][arguments.length=0]",
    message: 'new Date() reads the wall clock; use ctx.clock.now().',
  },
];
const timers = [
  {
    selector: 'CallExpression[callee.name=/^(setTimeout|setInterval)$/]',
    message: 'Domain delays are jobs with runAt, not timers (convention 4).',
  },
];

const RAW_SQL = {
  name: 'kysely',
  importNames: ['sql'],
  message: 'Raw SQL belongs in src/storage or src/jobs (and migrations).',
};
const NO_EDGES = {
  group: ['**/http/**', '**/cli/**', '**/app/**'],
  message: 'Domain and kernel code must not depend on the edges (http, cli, app).',
};
const stage = (...later) => ({
  group: later.map((m) => `**/${m}/**`),
  message: 'Earlier stages hand work forward through durable jobs, never by importing later stages.',
});

/** Which imports each part of src/ may not make: the stage order, the kernel/edge split, and raw SQL. */
function importBoundaries() {
  const groups = [
    {
      files: ['src/monitoring/**/*.ts'],
      patterns: [NO_EDGES, stage('alerting', 'response', 'postmortem')],
      sql: true,
    },
    { files: ['src/alerting/**/*.ts'], patterns: [NO_EDGES, stage('response', 'postmortem')], sql: true },
    { files: ['src/response/**/*.ts'], patterns: [NO_EDGES, stage('postmortem')], sql: true },
    {
      files: [
        'src/postmortem/**/*.ts',
        'src/catalog/**/*.ts',
        'src/identity/**/*.ts',
        'src/platform/**/*.ts',
      ],
      patterns: [NO_EDGES],
      sql: true,
    },
    { files: ['src/storage/**/*.ts', 'src/jobs/**/*.ts'], patterns: [NO_EDGES], sql: false },
    { files: ['src/http/**/*.ts', 'src/cli/**/*.ts', 'src/app/**/*.ts'], patterns: [], sql: true },
  ];
  return groups.map((g) => ({
    files: g.files,
    ignores: ['src/**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: g.sql ? [RAW_SQL] : [], patterns: g.patterns }] },
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/', 'web/dist/', 'data/', 'coverage/', '.bench/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'off', // Kysely<any> in migrations and generic job registries
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/require-await': 'off', // Fastify handlers and Kysely drivers are async by contract
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-exports': [
        'error',
        {
          restrictDefaultExports: {
            direct: true,
            named: true,
            defaultFrom: true,
            namedFrom: true,
            namespaceFrom: true,
          },
        },
      ],
    },
  },
  {
    // Domain and kernel code: time from the Clock, delays as jobs, SQL through Kysely's builder.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...wallClock, ...timers],
    },
  },
  {
    // The runtime edges own real timers: the job runner's sleep, shutdown deadlines, readiness timeouts, reconnects,
    // the idle heap compaction's sampling, outgoing requests' time limits.
    files: [
      'src/platform/net/deadline.ts',
      'src/jobs/runner.ts',
      'src/jobs/wake.ts',
      'src/app/server.ts',
      'src/app/readiness.ts',
      'src/app/idle-compaction.ts',
      'src/cli/**/*.ts',
    ],
    rules: { 'no-restricted-syntax': ['error', ...wallClock] },
  },
  {
    files: ['src/platform/clock.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  // Import boundaries. ESLint keeps only the last `no-restricted-imports` that matches a file, so each group of
  // files gets one rule with every restriction that applies to it.
  ...importBoundaries(),
  {
    files: ['web/**/*.{ts,tsx,js}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['web/vite.config.ts', 'vitest.config.ts', 'eslint.config.js', 'test/harness/pg-global-setup.ts'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
