import pino, { type Logger } from 'pino';
import { buildApp, type App, type AppOverrides } from '../../src/app/build-app.ts';
import { loadConfig } from '../../src/platform/config/index.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';
import { testServices } from './services.ts';

export interface TestApp {
  readonly app: App;
  readonly tdb: TestDatabase;
  readonly clock: ReturnType<typeof testServices>['clock'];
  close(): Promise<void>;
}

/** The real app (same `buildApp` as production) on a fresh database of the current dialect and a manual clock. */
export async function createTestApp(
  opts: { migrated?: boolean; env?: Record<string, string>; overrides?: AppOverrides; logger?: Logger } = {},
): Promise<TestApp> {
  const tdb = await createTestDatabase({ migrated: opts.migrated ?? true });
  const s = testServices();
  const config = loadConfig({ env: { SIAGA_DATA_DIR: '/tmp/siaga-test-unused', ...opts.env }, cwd: '/' });
  const app = await buildApp(
    config,
    tdb.storage,
    opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    {
      clock: s.clock,
      ids: s.ids,
      random: s.random,
      settings: s.settings,
      secrets: s.secrets,
      ...opts.overrides,
    },
  );
  return {
    app,
    tdb,
    clock: s.clock,
    async close() {
      await app.http.close();
      await tdb.drop();
    },
  };
}
