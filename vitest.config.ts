import { defineConfig } from 'vitest/config';

const dbTests = ['src/**/*.db.test.ts', 'test/e2e/**/*.test.ts'];

/**
 * Projects: `unit` (pure code), `db-sqlite` and `db-postgres` (the same storage and behavioural tests on each
 * database; PostgreSQL when TEST_DATABASE_URL is set), `blackbox` (the real server process), `ui` (Chromium), `compat` (real Prometheus, Alertmanager, amtool).
 */
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts', 'web/src/**/*.test.ts'],
          exclude: [...dbTests, '**/*.pg.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'db-sqlite',
          include: dbTests,
          exclude: ['**/*.pg.test.ts'],
          env: { TEST_DIALECT: 'sqlite' },
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              extends: true as const,
              test: {
                name: 'db-postgres',
                include: [...dbTests, 'src/**/*.pg.test.ts', 'test/e2e/**/*.pg.test.ts'],
                env: { TEST_DIALECT: 'postgres' },
                globalSetup: ['test/harness/pg-global-setup.ts'],
              },
            },
          ]
        : []),
      { extends: true, test: { name: 'blackbox', include: ['test/blackbox/**/*.test.ts'] } },
      { extends: true, test: { name: 'ui', include: ['test/ui/**/*.test.ts'] } },
      // Real Prometheus, Alertmanager and amtool (Debian packages) against a real Siaga, on loopback ports.
      { extends: true, test: { name: 'compat', include: ['test/compat/**/*.test.ts'] } },
    ],
  },
});
