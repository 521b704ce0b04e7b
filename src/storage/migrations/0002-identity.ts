import { sql } from 'kysely';
import { createTable, defineMigration, oneOf } from '../migration.ts';

const ROLES = ['admin', 'responder', 'observer', 'stakeholder'];

export const m0002 = defineMigration({
  id: '0002-identity',
  async up(db, m) {
    const { t } = m;
    await createTable(db, m, 'users')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('email', t.text, (c) => c.notNull().unique())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('time_zone', t.text, (c) => c.notNull())
      .addColumn('locale', t.text, (c) => c.notNull())
      .addColumn('role', t.text, (c) => c.notNull().check(oneOf('role', ROLES)))
      .addColumn('status', t.text, (c) => c.notNull().check(oneOf('status', ['active', 'deactivated'])))
      .addColumn('password_hash', t.text)
      .addColumn('sso_subject', t.text, (c) => c.unique())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .addColumn('last_login_at', t.epochMs)
      .addColumn('deactivated_at', t.epochMs)
      .execute();

    await createTable(db, m, 'teams')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull().unique())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();

    await createTable(db, m, 'team_members')
      .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id').onDelete('cascade'))
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('role', t.text, (c) => c.notNull().check(oneOf('role', ROLES)))
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'user_id'])
      .execute();
    await db.schema.createIndex('team_members_user_idx').on('team_members').column('user_id').execute();

    // Sessions are looked up by the SHA-256 of the cookie value: a database leak does not leak live sessions.
    await createTable(db, m, 'sessions')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('token_hash', t.text, (c) => c.notNull().unique())
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('csrf_token', t.text, (c) => c.notNull())
      .addColumn('method', t.text, (c) => c.notNull().check(oneOf('method', ['password', 'sso', 'setup'])))
      .addColumn('ip', t.text, (c) => c.notNull())
      .addColumn('user_agent', t.text, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('last_seen_at', t.epochMs, (c) => c.notNull())
      .addColumn('expires_at', t.epochMs, (c) => c.notNull())
      .addColumn('revoked_at', t.epochMs)
      .execute();
    await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

    await createTable(db, m, 'api_tokens')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('token_hash', t.text, (c) => c.notNull().unique())
      .addColumn('prefix', t.text, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('kind', t.text, (c) => c.notNull().check(oneOf('kind', ['personal', 'service'])))
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('team_id', t.id, (c) => c.references('teams.id').onDelete('cascade'))
      .addColumn('role', t.text, (c) => c.notNull().check(oneOf('role', ROLES)))
      .addColumn('scopes', t.json, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('expires_at', t.epochMs)
      .addColumn('last_used_at', t.epochMs)
      .addColumn('revoked_at', t.epochMs)
      .execute();
    await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

    await createTable(db, m, 'setup_tokens')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('token_hash', t.text, (c) => c.notNull().unique())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('expires_at', t.epochMs, (c) => c.notNull())
      .addColumn('used_at', t.epochMs)
      .execute();

    await createTable(db, m, 'audit_log')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('at', t.epochMs, (c) => c.notNull())
      .addColumn('actor_kind', t.text, (c) => c.notNull())
      .addColumn('actor_id', t.text)
      .addColumn('actor_label', t.text, (c) => c.notNull())
      .addColumn('action', t.text, (c) => c.notNull())
      .addColumn('outcome', t.text, (c) => c.notNull().check(oneOf('outcome', ['success', 'failure'])))
      .addColumn('object_type', t.text)
      .addColumn('object_id', t.text)
      .addColumn('team_id', t.id)
      .addColumn('before', t.json)
      .addColumn('after', t.json)
      .addColumn('detail', t.text)
      .addColumn('ip', t.text)
      .addColumn('request_id', t.text)
      .execute();
    await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
    await db.schema.createIndex('audit_log_team_idx').on('audit_log').columns(['team_id', 'at']).execute();
    await db.schema
      .createIndex('audit_log_object_idx')
      .on('audit_log')
      .columns(['object_type', 'object_id'])
      .execute();
    // Append-only, enforced by the database itself: no code path (nor a bug in one) can rewrite history.
    if (m.dialect === 'postgres') {
      await sql`create function siaga_audit_log_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is append-only'; end $$`.execute(db);
      await sql`create trigger audit_log_append_only before update or delete on audit_log
        for each statement execute function siaga_audit_log_append_only()`.execute(db);
    } else {
      await sql`create trigger audit_log_no_update before update on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      await sql`create trigger audit_log_no_delete before delete on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    }

    // Fixed-window counters for throttling (sign-in attempts now, ingestion keys later).
    await createTable(db, m, 'rate_limits')
      .addColumn('bucket', t.text, (c) => c.primaryKey())
      .addColumn('window_started_at', t.epochMs, (c) => c.notNull())
      .addColumn('count', t.int, (c) => c.notNull())
      .execute();
  },
});
