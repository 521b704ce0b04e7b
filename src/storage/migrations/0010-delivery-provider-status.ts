import { defineMigration } from '../migration.ts';

/**
 * What the provider reported about a delivery after accepting it (Twilio's status callbacks): its latest status
 * (`sent`, `delivered`, `undelivered`, `no-answer`, …) and when that report arrived. Both stay null for channels
 * that report nothing after the send.
 */
export const m0010 = defineMigration({
  id: '0010-delivery-provider-status',
  async up(db, m) {
    const { t } = m;
    await db.schema.alterTable('deliveries').addColumn('provider_status', t.text).execute();
    await db.schema.alterTable('deliveries').addColumn('provider_status_at', t.epochMs).execute();
  },
});
