import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

/**
 * PostgreSQL test runs: every run gets a random id; each test creates a database `siaga_t_<run>_<n>` and drops
 * it afterwards, and this teardown drops whatever a crashed test left behind. Nothing outside the run's own
 * databases is touched.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  const runId = randomBytes(4).toString('hex');
  project.provide('pgRunId', runId);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.end();
  return async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`siaga_t_${runId}_%`],
    );
    for (const { datname } of rows) await c.query(`drop database if exists "${datname}" with (force)`);
    await c.end();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgRunId: string;
  }
}
