import { defineMigration } from '../migration.ts';

/**
 * A contact method can expire: the provider said the destination itself is gone (a push service answered 404 or
 * 410 for a browser's subscription), so nothing sent to it can arrive until its owner sets it up again. Unlike
 * `disabled_at`, which the owner sets and clears, the server sets `expired_at` (with a short reason for the owner)
 * and clears it when the method reaches somewhere new (a renewed or re-made subscription). An expired method is not
 * paged; both are null on every existing row.
 */
export const m0011 = defineMigration({
  id: '0011-contact-methods-expiry',
  async up(db, m) {
    await db.schema.alterTable('contact_methods').addColumn('expired_at', m.t.epochMs).execute();
    await db.schema.alterTable('contact_methods').addColumn('expired_reason', m.t.text).execute();
  },
});
