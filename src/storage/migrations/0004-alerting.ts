import { sql } from 'kysely';
import { createTable, defineMigration, oneOf } from '../migration.ts';

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export const URGENCIES = ['high', 'low'] as const;
export const ALERT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export const INTEGRATION_KINDS = ['alertmanager', 'pagerduty', 'webhook', 'email'] as const;
export const ALERT_SOURCES = [
  'alertmanager_api',
  'alertmanager_webhook',
  'pagerduty',
  'webhook',
  'email',
  'api',
] as const;

export const m0004 = defineMigration({
  id: '0004-alerting',
  async up(db, m) {
    const { t } = m;

    // The catalog's minimum: a service is owned by one team; the escalation policy arrives with stage 3.
    await createTable(db, m, 'services')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull().unique())
      .addColumn('description', t.text, (c) => c.notNull())
      .addColumn('team_id', t.id, (c) => c.notNull().references('teams.id'))
      .addColumn('escalation_policy_id', t.id)
      // {mode: 'labels', labels: [...]} | {mode: 'sender'} | {mode: 'alert'}
      .addColumn('grouping', t.json, (c) => c.notNull())
      .addColumn('auto_resolve', t.bool, (c) => c.notNull())
      .addColumn('urgency', t.text, (c) => c.notNull().check(oneOf('urgency', URGENCIES)))
      .addColumn('declared', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('services_team_idx').on('services').column('team_id').execute();

    // Integration keys are looked up by their SHA-256; the key itself is shown once, at creation or rotation.
    await createTable(db, m, 'integrations')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('kind', t.text, (c) => c.notNull().check(oneOf('kind', INTEGRATION_KINDS)))
      .addColumn('key_hash', t.text, (c) => c.notNull().unique())
      .addColumn('key_prefix', t.text, (c) => c.notNull())
      // Per-kind settings (generic webhook mapping, signature header names...); never secrets.
      .addColumn('config', t.json, (c) => c.notNull())
      // Sealed HMAC secret(s) for signed webhooks: JSON list, newest first (two during rotation).
      .addColumn('signing_secrets', t.text)
      .addColumn('declared', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .addColumn('last_event_at', t.epochMs)
      .execute();
    await db.schema.createIndex('integrations_service_idx').on('integrations').column('service_id').execute();

    // Ordered routing rules for alerts that arrive without an integration (Alertmanager API v2).
    await createTable(db, m, 'routes')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('position', t.int, (c) => c.notNull())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('matchers', t.json, (c) => c.notNull())
      .addColumn('service_id', t.id, (c) => c.references('services.id').onDelete('cascade'))
      .addColumn('continue', t.bool, (c) => c.notNull())
      .addColumn('is_default', t.bool, (c) => c.notNull())
      .addColumn('set_severity', t.text, (c) => c.check(oneOf('set_severity', SEVERITIES)))
      .addColumn('set_labels', t.json, (c) => c.notNull())
      .addColumn('declared', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();

    await createTable(db, m, 'counters')
      .addColumn('name', t.text, (c) => c.primaryKey())
      .addColumn('value', t.int, (c) => c.notNull())
      .execute();

    await createTable(db, m, 'incidents')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('number', t.int, (c) => c.notNull().unique())
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('title', t.text, (c) => c.notNull())
      .addColumn('severity', t.text, (c) => c.notNull().check(oneOf('severity', SEVERITIES)))
      .addColumn('urgency', t.text, (c) => c.notNull().check(oneOf('urgency', URGENCIES)))
      .addColumn('status', t.text, (c) => c.notNull().check(oneOf('status', ALERT_STATUSES)))
      .addColumn('group_key', t.text, (c) => c.notNull())
      .addColumn('alert_count', t.int, (c) => c.notNull())
      .addColumn('open_alert_count', t.int, (c) => c.notNull())
      .addColumn('opened_at', t.epochMs, (c) => c.notNull())
      .addColumn('acknowledged_at', t.epochMs)
      .addColumn('resolved_at', t.epochMs)
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .addColumn('version', t.int, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('incidents_open_group_uq')
      .on('incidents')
      .columns(['service_id', 'group_key'])
      .unique()
      .where(sql.ref('status'), '<>', 'resolved')
      .execute();
    await db.schema
      .createIndex('incidents_status_idx')
      .on('incidents')
      .columns(['status', 'opened_at'])
      .execute();

    // One row per open (service, fingerprint); a re-fire after a resolve is a new row (that history is what
    // flap detection counts). `service_key` is the service id, or '' while no route takes the alert.
    await createTable(db, m, 'alerts')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('service_key', t.text, (c) => c.notNull())
      .addColumn('service_id', t.id, (c) => c.references('services.id').onDelete('cascade'))
      .addColumn('integration_id', t.id, (c) => c.references('integrations.id').onDelete('set null'))
      .addColumn('fingerprint', t.text, (c) => c.notNull())
      .addColumn('source', t.text, (c) => c.notNull().check(oneOf('source', ALERT_SOURCES)))
      .addColumn('status', t.text, (c) => c.notNull().check(oneOf('status', ALERT_STATUSES)))
      .addColumn('summary', t.text, (c) => c.notNull())
      .addColumn('severity', t.text, (c) => c.notNull().check(oneOf('severity', SEVERITIES)))
      .addColumn('labels', t.json, (c) => c.notNull())
      .addColumn('annotations', t.json, (c) => c.notNull())
      .addColumn('generator_url', t.text)
      .addColumn('sender_group_key', t.text)
      .addColumn('starts_at', t.epochMs, (c) => c.notNull())
      // When the alert resolves by itself unless the sender repeats it (Alertmanager's resolve timeout).
      .addColumn('ends_at', t.epochMs)
      .addColumn('first_seen_at', t.epochMs, (c) => c.notNull())
      .addColumn('last_seen_at', t.epochMs, (c) => c.notNull())
      .addColumn('occurrences', t.int, (c) => c.notNull())
      .addColumn('incident_id', t.id, (c) => c.references('incidents.id').onDelete('set null'))
      // Why no incident was opened for it: 'silence:<id>', 'maintenance:<id>', 'inhibited:<rule>', 'flapping'.
      .addColumn('muted_by', t.text)
      .addColumn('acknowledged_at', t.epochMs)
      .addColumn('resolved_at', t.epochMs)
      .addColumn('raw', t.json)
      .addColumn('raw_expires_at', t.epochMs)
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('alerts_open_uq')
      .on('alerts')
      .columns(['service_key', 'fingerprint'])
      .unique()
      .where(sql.ref('status'), '<>', 'resolved')
      .execute();
    await db.schema
      .createIndex('alerts_history_idx')
      .on('alerts')
      .columns(['service_key', 'fingerprint', 'first_seen_at'])
      .execute();
    await db.schema.createIndex('alerts_incident_idx').on('alerts').column('incident_id').execute();
    await db.schema
      .createIndex('alerts_status_idx')
      .on('alerts')
      .columns(['status', 'last_seen_at'])
      .execute();
    await db.schema
      .createIndex('alerts_ends_idx')
      .on('alerts')
      .column('ends_at')
      .where(sql.ref('status'), '<>', 'resolved')
      .execute();
    await db.schema.createIndex('alerts_raw_idx').on('alerts').column('raw_expires_at').execute();

    // Append-only history of an incident; written in the same transaction as the change it records.
    await createTable(db, m, 'timeline_events')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('incident_id', t.id, (c) => c.notNull().references('incidents.id').onDelete('cascade'))
      .addColumn('at', t.epochMs, (c) => c.notNull())
      .addColumn('type', t.text, (c) => c.notNull())
      .addColumn('actor', t.json, (c) => c.notNull())
      .addColumn('data', t.json, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('timeline_incident_idx')
      .on('timeline_events')
      .columns(['incident_id', 'at'])
      .execute();

    // PagerDuty change events: context shown on the service's incidents.
    await createTable(db, m, 'change_events')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('service_id', t.id, (c) => c.notNull().references('services.id').onDelete('cascade'))
      .addColumn('integration_id', t.id, (c) => c.references('integrations.id').onDelete('set null'))
      .addColumn('summary', t.text, (c) => c.notNull())
      .addColumn('source', t.text)
      .addColumn('at', t.epochMs, (c) => c.notNull())
      .addColumn('links', t.json, (c) => c.notNull())
      .addColumn('details', t.json, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('change_events_service_idx')
      .on('change_events')
      .columns(['service_id', 'at'])
      .execute();

    // Alertmanager-compatible silences; the state (pending/active/expired) follows from the times.
    await createTable(db, m, 'silences')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('matchers', t.json, (c) => c.notNull())
      .addColumn('starts_at', t.epochMs, (c) => c.notNull())
      .addColumn('ends_at', t.epochMs, (c) => c.notNull())
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('comment', t.text, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('silences_ends_idx').on('silences').column('ends_at').execute();

    // One-off ({startsAt, endsAt}) or recurring ({weekly days, HH:MM start, minutes, IANA zone}) windows.
    await createTable(db, m, 'maintenance_windows')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('service_id', t.id, (c) => c.references('services.id').onDelete('cascade'))
      .addColumn('matchers', t.json, (c) => c.notNull())
      .addColumn('schedule', t.json, (c) => c.notNull())
      .addColumn('created_by', t.text, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();

    // Signed-webhook replay protection: a signature seen inside its window is refused the second time.
    await createTable(db, m, 'inbound_nonces')
      .addColumn('key', t.text, (c) => c.primaryKey())
      .addColumn('expires_at', t.epochMs, (c) => c.notNull())
      .execute();

    await createTable(db, m, 'inhibition_rules')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('source_matchers', t.json, (c) => c.notNull())
      .addColumn('target_matchers', t.json, (c) => c.notNull())
      .addColumn('equal', t.json, (c) => c.notNull())
      .addColumn('declared', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();
  },
});
