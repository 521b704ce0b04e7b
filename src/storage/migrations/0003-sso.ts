import { createTable, defineMigration, oneOf } from '../migration.ts';

const ROLES = ['admin', 'responder', 'observer', 'stakeholder'];

export const m0003 = defineMigration({
  id: '0003-sso',
  async up(db, m) {
    const { t } = m;
    // OpenID Connect providers, managed by global admins. The client secret is sealed (SecretBox, bound to the row).
    await createTable(db, m, 'sso_providers')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('slug', t.text, (c) => c.notNull().unique())
      .addColumn('display_name', t.text, (c) => c.notNull())
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('client_id', t.text, (c) => c.notNull())
      .addColumn('client_secret', t.text, (c) => c.notNull())
      .addColumn('scopes', t.text, (c) => c.notNull())
      .addColumn('groups_claim', t.text, (c) => c.notNull())
      .addColumn('role_mappings', t.json, (c) => c.notNull())
      .addColumn('team_mappings', t.json, (c) => c.notNull())
      .addColumn('default_role', t.text, (c) => c.check(oneOf('default_role', ROLES)))
      .addColumn('jit', t.bool, (c) => c.notNull())
      .addColumn('enabled', t.bool, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('updated_at', t.epochMs, (c) => c.notNull())
      .execute();

    // One row per sign-in in flight: found by the hash of `state`, deleted when used (once) or expired.
    await createTable(db, m, 'sso_login_states')
      .addColumn('id', t.id, (c) => c.primaryKey())
      .addColumn('provider_id', t.id, (c) => c.notNull().references('sso_providers.id').onDelete('cascade'))
      .addColumn('state_hash', t.text, (c) => c.notNull().unique())
      .addColumn('nonce', t.text, (c) => c.notNull())
      .addColumn('code_verifier', t.text, (c) => c.notNull())
      .addColumn('return_to', t.text, (c) => c.notNull())
      .addColumn('created_at', t.epochMs, (c) => c.notNull())
      .addColumn('expires_at', t.epochMs, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sso_login_states_expires_idx')
      .on('sso_login_states')
      .column('expires_at')
      .execute();
  },
});
