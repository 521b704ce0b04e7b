import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, startSiaga, type SiagaProcess } from './support.ts';

/** `npm start` from nothing: a fresh data directory (or an empty PostgreSQL database) to a ready server. */

afterEach(cleanup);

interface About {
  name: string;
  version: string;
  node: string;
  database: { dialect: string };
}

async function about(server: SiagaProcess): Promise<About> {
  const res = await fetch(`${server.url}/api/v1/about`, { signal: AbortSignal.timeout(2000) });
  expect(res.status).toBe(200);
  return (await res.json()) as About;
}

describe('cold start on SQLite', () => {
  it('creates the data directory, migrates, and is ready', async () => {
    const server = await startSiaga();
    await server.ready();
    expect(await about(server)).toMatchObject({
      name: 'siaga',
      node: process.version,
      database: { dialect: 'sqlite' },
    });
    const exit = await server.stop('SIGTERM');
    expect(exit, server.output()).toMatchObject({ code: 0, timedOut: false });
  });
});

// Registered only when a PostgreSQL server is available (TEST_DATABASE_URL), never skipped.
const adminUrl = process.env.TEST_DATABASE_URL;
if (adminUrl) {
  describe('cold start on PostgreSQL', () => {
    const name = `siaga_bb_${randomBytes(5).toString('hex')}`;
    let databaseUrl = '';

    async function admin(query: string): Promise<void> {
      const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
      await client.connect();
      try {
        await client.query(query);
      } finally {
        await client.end();
      }
    }

    beforeAll(async () => {
      await admin(`create database "${name}"`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
    });

    afterAll(async () => {
      await cleanup();
      await admin(`drop database if exists "${name}" with (force)`);
    });

    it('migrates an empty database and is ready, with two nodes starting on it at the same moment', async () => {
      // PostgreSQL is how several nodes share one database: no single-server lock, and migrations run once.
      const nodes = await Promise.all([
        startSiaga({ env: { DATABASE_URL: databaseUrl } }),
        startSiaga({ env: { DATABASE_URL: databaseUrl } }),
      ]);
      await Promise.all(nodes.map((n) => n.ready()));
      for (const node of nodes) expect((await about(node)).database.dialect).toBe('postgres');

      for (const node of nodes) {
        const exit = await node.stop('SIGTERM');
        expect(exit, node.output()).toMatchObject({ code: 0, timedOut: false });
      }
    });
  });
}
