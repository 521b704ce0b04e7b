import type { Db } from '../../storage/index.ts';
import { MAX_RULES_PER_USER, type ContactKind, type NotificationRuleRow, type Urgency } from './model.ts';

/** The queries behind the notification-rule verbs. */

/** A person's rules, soonest first. */
export async function listRuleRows(db: Db, userId: string): Promise<NotificationRuleRow[]> {
  return db
    .selectFrom('notification_rules')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('delay_minutes')
    .orderBy('created_at')
    .orderBy('id')
    .limit(MAX_RULES_PER_USER)
    .execute();
}

export async function findRuleRow(db: Db, id: string): Promise<NotificationRuleRow | undefined> {
  return db.selectFrom('notification_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countRules(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notification_rules')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function ruleExists(
  db: Db,
  rule: { contactMethodId: string; urgency: Urgency; delayMinutes: number },
): Promise<boolean> {
  const row = await db
    .selectFrom('notification_rules')
    .select('id')
    .where('contact_method_id', '=', rule.contactMethodId)
    .where('urgency', '=', rule.urgency)
    .where('delay_minutes', '=', rule.delayMinutes)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listRuleRowsOfMethod(db: Db, contactMethodId: string): Promise<NotificationRuleRow[]> {
  return db
    .selectFrom('notification_rules')
    .selectAll()
    .where('contact_method_id', '=', contactMethodId)
    .orderBy('id')
    .execute();
}

/**
 * The rules that page a person at `urgency`, with their method, for methods that are verified, switched on and not
 * expired: soonest first; at the same delay, in the order the methods were added.
 */
export async function planRows(
  db: Db,
  userId: string,
  urgency: Urgency,
): Promise<{ contact_method_id: string; kind: ContactKind; delay_minutes: number }[]> {
  return db
    .selectFrom('notification_rules as r')
    .innerJoin('contact_methods as m', 'm.id', 'r.contact_method_id')
    .select(['r.contact_method_id', 'm.kind', 'r.delay_minutes'])
    .where('r.user_id', '=', userId)
    .where('m.user_id', '=', userId)
    .where('r.urgency', '=', urgency)
    .where('m.verified_at', 'is not', null)
    .where('m.disabled_at', 'is', null)
    .where('m.expired_at', 'is', null)
    .orderBy('r.delay_minutes')
    .orderBy('m.created_at')
    .orderBy('m.id')
    .limit(MAX_RULES_PER_USER)
    .execute();
}
