import { appendAudit } from '../../identity/index.ts';
import { conflict, notFound, validationError } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { requireOwner } from './access.ts';
import { findContactMethodRow, listContactMethodRows } from './contact-methods.repo.ts';
import {
  MAX_DELAY_MINUTES,
  MAX_RULES_PER_USER,
  URGENCIES,
  type ContactMethodRow,
  type NotificationRuleRow,
  type Urgency,
} from './model.ts';
import { countRules, findRuleRow, listRuleRows, ruleExists } from './rules.repo.ts';
import { toRuleView, type NotificationRuleView, type NotificationRulesView } from './views.ts';

export interface CreateNotificationRuleInput {
  contactMethodId: string;
  urgency: Urgency;
  delayMinutes: number;
}

/** The audit log's picture of a rule (ids and numbers only). */
const ruleAudit = (rule: NotificationRuleRow) => ({
  contactMethodId: rule.contact_method_id,
  urgency: rule.urgency,
  delayMinutes: rule.delay_minutes,
});

/** Rules by urgency, each list soonest first, from rows already read. */
export function groupRules(
  rules: readonly NotificationRuleRow[],
  methods: readonly ContactMethodRow[],
): NotificationRulesView {
  const byId = new Map(methods.map((m) => [m.id, m]));
  const grouped: NotificationRulesView = { high: [], low: [] };
  for (const rule of rules) {
    const method = byId.get(rule.contact_method_id);
    if (method) grouped[rule.urgency].push(toRuleView(rule, method));
  }
  return grouped;
}

export async function listNotificationRules(ctx: Ctx, userId: string): Promise<NotificationRulesView> {
  await requireOwner(ctx, userId);
  return groupRules(await listRuleRows(ctx.db, userId), await listContactMethodRows(ctx.db, userId));
}

function checkRule(input: CreateNotificationRuleInput): void {
  if (!URGENCIES.includes(input.urgency))
    throw validationError('urgency is high or low', [{ pointer: '/urgency', detail: 'must be high or low' }]);
  if (
    !Number.isInteger(input.delayMinutes) ||
    input.delayMinutes < 0 ||
    input.delayMinutes > MAX_DELAY_MINUTES
  )
    throw validationError(`a delay is 0 to ${MAX_DELAY_MINUTES} minutes`, [
      { pointer: '/delayMinutes', detail: `must be a whole number from 0 to ${MAX_DELAY_MINUTES}` },
    ]);
}

async function insertRule(
  tx: Ctx,
  method: ContactMethodRow,
  urgency: Urgency,
  delayMinutes: number,
  detail?: string,
): Promise<NotificationRuleRow> {
  const rule: NotificationRuleRow = {
    id: tx.ids.next('nrule'),
    user_id: method.user_id,
    contact_method_id: method.id,
    urgency,
    delay_minutes: delayMinutes,
    created_at: tx.clock.now(),
  };
  await tx.db.insertInto('notification_rules').values(rule).execute();
  await appendAudit(tx, {
    action: 'notification_rule.created',
    object: { type: 'notification_rule', id: rule.id },
    after: ruleAudit(rule),
    ...(detail === undefined ? {} : { detail }),
  });
  return rule;
}

/** A rule on one of the person's own verified methods; the same method, urgency and delay twice is a 409. */
export async function createNotificationRule(
  ctx: Ctx,
  userId: string,
  input: CreateNotificationRuleInput,
): Promise<NotificationRuleView> {
  checkRule(input);
  return inTx(ctx, async (tx) => {
    await requireOwner(tx, userId);
    const method = await findContactMethodRow(tx.db, input.contactMethodId);
    if (!method || method.user_id !== userId)
      throw validationError(`contact method ${input.contactMethodId} is not one of this person's`, [
        { pointer: '/contactMethodId', detail: 'is not one of this person’s contact methods' },
      ]);
    if (method.verified_at === null)
      throw validationError(`contact method ${method.name} is not verified yet`, [
        { pointer: '/contactMethodId', detail: 'is not verified yet: enter the code sent to it first' },
      ]);
    if (await ruleExists(tx.db, input))
      throw conflict(
        `there is already a ${input.urgency}-urgency rule for ${method.name} at ${input.delayMinutes} minutes`,
        { contactMethodId: method.id, urgency: input.urgency, delayMinutes: input.delayMinutes },
      );
    if ((await countRules(tx.db, userId)) >= MAX_RULES_PER_USER)
      throw conflict(`a person has at most ${MAX_RULES_PER_USER} notification rules`);
    return toRuleView(await insertRule(tx, method, input.urgency, input.delayMinutes), method);
  });
}

export async function deleteNotificationRule(ctx: Ctx, userId: string, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    await requireOwner(tx, userId, { entity: 'notification rule', id });
    const rule = await findRuleRow(tx.db, id);
    if (!rule || rule.user_id !== userId) throw notFound('notification rule', id);
    await tx.db.deleteFrom('notification_rules').where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'notification_rule.deleted',
      object: { type: 'notification_rule', id },
      before: ruleAudit(rule),
    });
  });
}

/**
 * Someone who verifies a method and has no rules at all (typically their first method) would otherwise be
 * reachable by nobody: they get "page me here at once" for both urgencies, which they can change afterwards.
 */
export async function addDefaultRules(tx: Ctx, method: ContactMethodRow): Promise<void> {
  if ((await countRules(tx.db, method.user_id)) > 0) return;
  for (const urgency of URGENCIES)
    await insertRule(tx, method, urgency, 0, 'default rule for the first verified contact method');
}
