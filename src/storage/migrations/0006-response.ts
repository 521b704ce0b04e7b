import { sql } from 'kysely';
import { createTable, defineMigration, oneOf } from '../migration.ts';

export const CONTACT_KINDS = [
  'email',
  'sms',
  'voice',
  'slack_dm',
  'telegram',
  'ntfy',
  'webhook',
  'push',
] as const;
export const CHANNEL_KINDS = [
  'email',
  'slack',
  'teams',
  'discord',
  'mattermost',
  'telegram',
  'ntfy',
  'webhook',
  'sms',
  'voice',
  'push',
] as const;
export const ESCALATION_STATES = ['active', 'stopped', 'exhausted'] as const;
export const DELIVERY_KINDS = ['page', 'status', 'test', 'handoff', 'verification', 'bundle'] as const;
export const DELIVERY_EVENTS = ['triggered', 'acknowledged', 'resolved', 'notice'] as const;
/**
 * pending → sending → sent | failed | unknown; pending → suppressed | bundled (settled by a pipeline stage).
 * `unknown` is a send whose outcome was lost (crash or deadline) on a channel that must not be re-sent.
 */
export const DELIVERY_STATUSES = [
  'pending',
  'sending',
  'sent',
  'failed',
  'unknown',
  'suppressed',
  'bundled',
] as const;
export const ATTEMPT_OUTCOMES = ['sent', 'failed_temporary', 'failed_permanent', 'unknown'] as const;

export const m0006 = defineMigration({
  id: '0006-response',
  async up(db, m) {
    const { t } = m;

    // A schedule's layers (rotation + restrictions + participants) are one JSON document: they are always read
    // and written together, and the final schedule is computed from all of them at once.
    await createTable(db, m, 'schedules')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id'))
      .addColumn('name', t.text, (c) => c.notNull().unique())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('time_zone', t.text, (c) => c.notNull())
      .addColumn('layers', t.json, (c) => c.notNull())
      .addColumn('version', t.int, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('schedules_team_idx').on('schedules').column('team_id').execute();

    // An override puts `user_id` on call for [starts_at, ends_at); `replaces_user_id` set = a swap of that
    // person's hours only, null = covers whoever would be on call.
    await createTable(db, m, 'schedule_overrides')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('schedule_id', t.id, (c) => c.notNull().references('schedules.id').onDelete('cascade'))
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
      .addColumn('replaces_user_id', t.id, (c) => c.references('users.id'))
      .addColumn('starts_at', t.epochMs, (c) => c.notNull())
      .addColumn('ends_at', t.epochMs, (c) => c.notNull())
      .addColumn('note', t.text, (c) => c.notNull())
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addCheckConstraint('schedule_overrides_range_ck', sql`ends_at > starts_at`)
      .execute();
    await db.schema
      .createIndex('schedule_overrides_range_idx')
      .on('schedule_overrides')
      .columns(['schedule_id', 'ends_at'])
      .execute();

    // Secret iCal URLs: the token is shown once and kept as its SHA-256. Exactly one of schedule/user is set.
    await createTable(db, m, 'ical_feeds')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('token_hash', t.text, (c) => c.notNull().unique())
      .addColumn('schedule_id', t.id, (c) => c.references('schedules.id').onDelete('cascade'))
      .addColumn('user_id', t.id, (c) => c.references('users.id'))
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('revoked_at', t.epochMs)
      .addCheckConstraint('ical_feeds_owner_ck', sql`(schedule_id is null) <> (user_id is null)`)
      .execute();

    // Steps are one JSON document for the same reason as layers; an incident pages from its own snapshot.
    await createTable(db, m, 'escalation_policies')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id'))
      .addColumn('name', t.text, (c) => c.notNull().unique())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('steps', t.json, (c) => c.notNull())
      .addColumn('repeat', t.int, (c) => c.notNull())
      .addColumn('version', t.int, (c) => c.notNull())
      .addColumn('declared', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('escalation_policies_team_idx')
      .on('escalation_policies')
      .column('team_id')
      .execute();

    // The runtime of one incident's escalation. `seq` is the fencing token: a step job whose seq is not the
    // current one does nothing, so acknowledging (which bumps seq) cancels every pending step at once.
    await createTable(db, m, 'escalations')
      .addColumn('incident_id', t.id, (c) => c.primaryKey().references('incidents.id').onDelete('cascade'))
      .addColumn('policy_id', t.id, (c) => c.notNull())
      .addColumn('policy_snapshot', t.json, (c) => c.notNull())
      .addColumn('step_index', t.int, (c) => c.notNull())
      .addColumn('round', t.int, (c) => c.notNull())
      .addColumn('seq', t.int, (c) => c.notNull())
      .addColumn('state', t.text, (c) => c.notNull().check(oneOf('state', ESCALATION_STATES)))
      // Round-robin position per step index: {"0": 2}.
      .addColumn('cursors', t.json, (c) => c.notNull())
      .addColumn('next_step_at', t.epochMs)
      .addColumn('started_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();

    // Shared destinations (a Slack channel, a Teams workflow, a webhook...): `config` holds what may be shown,
    // `secrets` the sealed part (webhook URLs with tokens, bot tokens, signing secrets).
    await createTable(db, m, 'channels')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id'))
      .addColumn('name', t.text, (c) => c.notNull().unique())
      .addColumn('kind', t.text, (c) => c.notNull().check(oneOf('kind', CHANNEL_KINDS)))
      .addColumn('config', t.json, (c) => c.notNull())
      .addColumn('secrets', t.text)
      .addColumn('declared', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();

    // A person's ways to be reached. Nothing is sent to an unverified method except its verification code.
    await createTable(db, m, 'contact_methods')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
      .addColumn('kind', t.text, (c) => c.notNull().check(oneOf('kind', CONTACT_KINDS)))
      .addColumn('name', t.text, (c) => c.notNull())
      // E-mail address, E.164 number, chat user id, ntfy topic URL, webhook URL, push endpoint.
      .addColumn('address', t.text, (c) => c.notNull())
      // Sealed extra secrets (web push keys, webhook signing secret).
      .addColumn('secrets', t.text)
      .addColumn('verified_at', t.epochMs)
      .addColumn('verification_hash', t.text)
      .addColumn('verification_expires_at', t.epochMs)
      .addColumn('verification_attempts', t.int, (c) => c.notNull())
      .addColumn('disabled_at', t.epochMs)
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contact_methods_user_idx').on('contact_methods').column('user_id').execute();
    await db.schema
      .createIndex('contact_methods_address_idx')
      .on('contact_methods')
      .columns(['kind', 'address'])
      .execute();

    await createTable(db, m, 'notification_rules')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('user_id', t.id, (c) => c.notNull().references('users.id'))
      .addColumn('contact_method_id', t.id, (c) =>
        c.notNull().references('contact_methods.id').onDelete('cascade'),
      )
      .addColumn('urgency', t.text, (c) => c.notNull().check(oneOf('urgency', ['high', 'low'])))
      .addColumn('delay_minutes', t.int, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('notification_rules_user_idx')
      .on('notification_rules')
      .columns(['user_id', 'urgency'])
      .execute();

    // Outbox and delivery log in one: a row is written in the transaction that decides to notify, and the
    // dispatcher moves it along. Its id is the idempotency id every re-send carries.
    await createTable(db, m, 'deliveries')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('incident_id', t.id, (c) => c.references('incidents.id').onDelete('cascade'))
      .addColumn('kind', t.text, (c) => c.notNull().check(oneOf('kind', DELIVERY_KINDS)))
      .addColumn('event', t.text, (c) => c.notNull().check(oneOf('event', DELIVERY_EVENTS)))
      .addColumn('user_id', t.id, (c) => c.references('users.id'))
      .addColumn('contact_method_id', t.id, (c) => c.references('contact_methods.id').onDelete('set null'))
      .addColumn('channel_id', t.id, (c) => c.references('channels.id').onDelete('set null'))
      .addColumn('channel_kind', t.text, (c) => c.notNull().check(oneOf('channel_kind', CHANNEL_KINDS)))
      // Throttling and ordering key: 'cm:<id>' or 'ch:<id>'.
      .addColumn('destination', t.text, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(oneOf('status', DELIVERY_STATUSES)))
      .addColumn('attempts', t.int, (c) => c.notNull())
      .addColumn('next_attempt_at', t.epochMs, (c) => c.notNull())
      .addColumn('send_deadline_at', t.epochMs)
      .addColumn('provider_message_id', t.text)
      .addColumn('dedup_key', t.text, (c) => c.notNull().unique())
      .addColumn('bundle_id', t.id)
      // What to say beyond the incident itself (test page text, verification code sealed, hand-off shift...).
      .addColumn('payload', t.text, (c) => c.notNull())
      .addColumn('reason', t.text)
      .addColumn('step', t.int)
      .addColumn('round', t.int)
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .addColumn('sent_at', t.epochMs)
      .execute();
    await db.schema
      .createIndex('deliveries_due_idx')
      .on('deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('deliveries_incident_idx')
      .on('deliveries')
      .columns(['incident_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('deliveries_destination_idx')
      .on('deliveries')
      .columns(['destination', 'sent_at'])
      .execute();
    await db.schema
      .createIndex('deliveries_provider_idx')
      .on('deliveries')
      .column('provider_message_id')
      .where(sql.ref('provider_message_id'), 'is not', null)
      .execute();

    await createTable(db, m, 'delivery_attempts')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('delivery_id', t.id, (c) => c.notNull().references('deliveries.id').onDelete('cascade'))
      .addColumn('attempt', t.int, (c) => c.notNull())
      .addColumn('started_at', t.epochMs, (c) => c.notNull())
      .addColumn('latency_ms', t.int, (c) => c.notNull())
      .addColumn('outcome', t.text, (c) => c.notNull().check(oneOf('outcome', ATTEMPT_OUTCOMES)))
      .addColumn('status_code', t.int)
      .addColumn('error', t.text)
      .addColumn('next_attempt_at', t.epochMs)
      .execute();
    await db.schema
      .createIndex('delivery_attempts_delivery_idx')
      .on('delivery_attempts')
      .column('delivery_id')
      .execute();

    // "Send a test page": the result the preparedness score reads.
    await createTable(db, m, 'paging_drills')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('user_id', t.id, (c) => c.references('users.id'))
      .addColumn('policy_id', t.id, (c) => c.references('escalation_policies.id').onDelete('cascade'))
      .addColumn('started_by', t.text, (c) => c.notNull())
      .addColumn('started_at', t.epochMs, (c) => c.notNull())
      .addColumn('finished_at', t.epochMs)
      .addColumn('outcome', t.text, (c) =>
        c.notNull().check(oneOf('outcome', ['running', 'passed', 'failed'])),
      )
      .addColumn('summary', t.json, (c) => c.notNull())
      .execute();
  },
});
