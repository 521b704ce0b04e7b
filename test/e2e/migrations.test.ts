import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/storage/migrations/index.ts';
import { migrateToLatest, migrationStatus } from '../../src/storage/index.ts';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../harness/db.ts';

const MAIN = path.join(import.meta.dirname, '..', '..', 'src', 'main.ts');

/** The environment without any Siaga setting of the developer's shell. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('SIAGA_') && !['DATABASE_URL', 'HOST', 'PORT'].includes(k),
    ),
  );
}

describe(`migrations (${TEST_DIALECT})`, () => {
  let tdb: TestDatabase;
  afterEach(async () => tdb.drop());

  it('applies every migration to an empty database, once', async () => {
    tdb = await createTestDatabase({ migrated: false });
    const { db, dialect } = tdb.storage;
    expect((await migrationStatus(db, dialect)).pending).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrateToLatest(db, dialect)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrationStatus(db, dialect)).toEqual({
      applied: MIGRATIONS.map((m) => m.id),
      pending: [],
      unknown: [],
    });
    expect(await migrateToLatest(db, dialect)).toEqual([]);
  });

  it('lets several processes run `siaga migrate` at once without applying anything twice', async () => {
    tdb = await createTestDatabase({ migrated: false });
    const url = tdb.target.dialect === 'postgres' ? tdb.target.url : `sqlite:${tdb.target.file}`;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'siaga-migrate-'));
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const env = { ...cleanEnv(), DATABASE_URL: url, SIAGA_DATA_DIR: dataDir };
        const child = spawn(process.execPath, [MAIN, 'migrate'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const results = await Promise.all([run(), run(), run()]);
    rmSync(dataDir, { recursive: true, force: true });
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    const appliedLines = results.flatMap((r) => r.out.split('\n').filter((l) => l.startsWith('applied')));
    expect(appliedLines.sort()).toEqual(MIGRATIONS.map((m) => `applied  ${m.id}`));
    expect((await migrationStatus(tdb.storage.db, tdb.storage.dialect)).pending).toEqual([]);
  });

  it('0010 adds the provider status to deliveries already in the log', async () => {
    tdb = await createTestDatabase({ migrated: false });
    const { dialect } = tdb.storage;
    const db = tdb.storage.db as unknown as Kysely<any>;
    const before = MIGRATIONS.findIndex((m) => m.id === '0010-delivery-provider-status');
    await migrateToLatest(db, dialect, MIGRATIONS.slice(0, before));
    await db
      .insertInto('deliveries')
      .values({
        id: 'dlv_01OLD0000000000000000000',
        incident_id: null,
        kind: 'test',
        event: 'notice',
        user_id: null,
        contact_method_id: null,
        channel_id: null,
        channel_kind: 'sms',
        destination: 'cm:x',
        status: 'sent',
        attempts: 1,
        next_attempt_at: 0,
        send_deadline_at: null,
        provider_message_id: 'SM0',
        dedup_key: 'old',
        bundle_id: null,
        payload: '{}',
        reason: null,
        step: null,
        round: null,
        created_at: 0,
        updated_at: 0,
        sent_at: 0,
      })
      .execute();
    expect(await migrateToLatest(db, dialect)).toEqual(MIGRATIONS.slice(before).map((m) => m.id));
    const row = await db
      .selectFrom('deliveries')
      .select(['status', 'provider_message_id', 'provider_status', 'provider_status_at'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'sent',
      provider_message_id: 'SM0',
      provider_status: null,
      provider_status_at: null,
    });
  });

  it('refuses a database that a newer Siaga has migrated', async () => {
    tdb = await createTestDatabase();
    const db = tdb.storage.db as unknown as Kysely<any>;
    await db
      .insertInto('siaga_migrations')
      .values({ name: '9999-from-the-future', timestamp: new Date(0).toISOString() })
      .execute();
    await expect(migrateToLatest(tdb.storage.db, tdb.storage.dialect)).rejects.toThrow(
      'the database was migrated by a newer Siaga (unknown migrations: 9999-from-the-future); run that version or newer',
    );
  });

  it('keeps the portable column rules in every table', async () => {
    tdb = await createTestDatabase();
    const db = tdb.storage.db as unknown as Kysely<any>;
    const tables = (await db.introspection.getTables()).filter((t) => !t.name.startsWith('siaga_migrations'));
    expect(tables.map((t) => t.name).sort()).toEqual([
      'alerts',
      'api_tokens',
      'audit_log',
      'change_events',
      'channels',
      'contact_methods',
      'counters',
      'deliveries',
      'delivery_attempts',
      'escalation_policies',
      'escalations',
      'ical_feeds',
      'inbound_nonces',
      'incidents',
      'inhibition_rules',
      'integrations',
      'jobs',
      'leases',
      'maintenance_windows',
      'notification_rules',
      'paging_drills',
      'rate_limits',
      'routes',
      'schedule_overrides',
      'schedules',
      'services',
      'sessions',
      'setup_tokens',
      'silences',
      'sso_login_states',
      'sso_providers',
      'team_members',
      'teams',
      'timeline_events',
      'users',
    ]);
    const violations: string[] = [];
    const timeType = TEST_DIALECT === 'postgres' ? 'int8' : 'INTEGER';
    for (const table of tables) {
      for (const col of table.columns) {
        const where = `${table.name}.${col.name} (${col.dataType})`;
        if ((col.name.endsWith('_at') || col.name === 'at') && col.dataType !== timeType)
          violations.push(`${where}: times are epoch ms`);
        if ((col.name === 'id' || col.name.endsWith('_id')) && col.dataType.toLowerCase() !== 'text')
          violations.push(`${where}: ids are text`);
        if (col.hasDefaultValue && col.name.endsWith('_at'))
          violations.push(`${where}: times come from the application clock, never a default`);
        if (col.isAutoIncrementing) violations.push(`${where}: ids are generated by the application`);
      }
    }
    expect(violations).toEqual([]);
    if (TEST_DIALECT === 'sqlite') {
      const list = await sql<{
        name: string;
        strict: number;
      }>`select name, strict from pragma_table_list where schema = 'main'`.execute(db);
      const notStrict = list.rows
        .filter((r) => tables.some((t) => t.name === r.name) && r.strict !== 1)
        .map((r) => r.name);
      expect(notStrict).toEqual([]);
    }
  });

  it('rejects values of the wrong type on both databases', async () => {
    tdb = await createTestDatabase();
    const db = tdb.storage.db as unknown as Kysely<any>;
    await expect(
      db
        .insertInto('leases')
        .values({ name: 'x', owner: null, expires_at: 'tomorrow', acquired_at: null })
        .execute(),
    ).rejects.toThrow();
  });

  it('enforces the job state machine with CHECK constraints', async () => {
    tdb = await createTestDatabase();
    const db = tdb.storage.db as unknown as Kysely<any>;
    const row = {
      id: 'job_1',
      kind: 'k',
      payload: '{}',
      state: 'running',
      priority: 100,
      run_at: 0,
      attempts: 1,
      max_attempts: 3,
      lease_owner: null,
      lease_expires_at: null,
      dedup_key: null,
      last_error: null,
      created_at: 0,
      updated_at: 0,
      finished_at: null,
    };
    await expect(db.insertInto('jobs').values(row).execute()).rejects.toThrow(/check|constraint/i); // running without a lease
    await expect(
      db
        .insertInto('jobs')
        .values({ ...row, state: 'done' })
        .execute(),
    ).rejects.toThrow(/check|constraint/i); // done without finished_at
    await expect(
      db
        .insertInto('jobs')
        .values({ ...row, state: 'paused' })
        .execute(),
    ).rejects.toThrow(/check|constraint/i);
  });
  it('gives the open alerts of an older database a sweep check at their end (0009)', async () => {
    tdb = await createTestDatabase({ migrated: false });
    const db = tdb.storage.db as unknown as Kysely<any>;
    const upTo0008 = MIGRATIONS.slice(
      0,
      MIGRATIONS.findIndex((m) => m.id.startsWith('0009')),
    );
    await migrateToLatest(db, tdb.storage.dialect, upTo0008);
    const alertRow = (id: string, fingerprint: string, status: string, endsAt: number | null) => ({
      id,
      service_key: '',
      fingerprint,
      source: 'api',
      status,
      summary: id,
      severity: 'warning',
      labels: '{}',
      annotations: '{}',
      starts_at: 1,
      ends_at: endsAt,
      first_seen_at: 1,
      last_seen_at: 1,
      occurrences: 1,
      updated_at: 1,
    });
    await db
      .insertInto('alerts')
      .values([
        alertRow('alr_open', 'a', 'triggered', 5_000),
        alertRow('alr_acked', 'b', 'acknowledged', 7_000),
        alertRow('alr_no_end', 'c', 'triggered', null),
        alertRow('alr_resolved', 'd', 'resolved', 9_000),
      ])
      .execute();
    await migrateToLatest(db, tdb.storage.dialect);
    const rows = await db.selectFrom('alerts').select(['id', 'ends_check_at']).orderBy('id').execute();
    expect(rows.map((r) => [r.id, r.ends_check_at === null ? null : Number(r.ends_check_at)])).toEqual([
      ['alr_acked', 7_000],
      ['alr_no_end', null],
      ['alr_open', 5_000],
      ['alr_resolved', null],
    ]);
  });
});
