import type { Ctx } from '../../storage/index.ts';
import { requireOwner } from './access.ts';
import { listContactMethodRows } from './contact-methods.repo.ts';
import { isActive } from './model.ts';
import { groupRules } from './rules.ts';
import { listRuleRows } from './rules.repo.ts';
import { contactMethodView, type NotificationSetupView, type SetupWarning } from './views.ts';

/**
 * Everything the profile page shows in one answer: methods, rules by urgency, and what is wrong with the set-up
 * from the point of view of someone being paged at 3 a.m. (a warning each, worst first).
 */
export async function getNotificationSetup(ctx: Ctx, userId: string): Promise<NotificationSetupView> {
  await requireOwner(ctx, userId);
  const methods = await listContactMethodRows(ctx.db, userId);
  const rules = await listRuleRows(ctx.db, userId);
  const active = methods.filter(isActive);
  const activeIds = new Set(active.map((m) => m.id));
  const warnings: SetupWarning[] = [];
  if (active.length === 0) {
    warnings.push({
      code: 'no_verified_method',
      message:
        methods.length === 0
          ? 'You have no contact method: a page cannot reach you. Add one and verify it.'
          : 'None of your contact methods is verified, enabled and working: a page cannot reach you.',
    });
  } else if (
    !rules.some((r) => r.urgency === 'high' && r.delay_minutes === 0 && activeIds.has(r.contact_method_id))
  ) {
    warnings.push({
      code: 'no_immediate_high_urgency_rule',
      message: 'No rule notifies you at once for high-urgency pages: add one at 0 minutes.',
    });
  }
  // The owner is told here (and on the method's card) that the server stopped paging it.
  for (const m of methods.filter((x) => x.expired_at !== null))
    warnings.push({
      code: 'method_expired',
      message:
        m.kind === 'push'
          ? `${m.name} stopped accepting notifications (its push subscription expired): pages no longer go there. Re-enable push from that browser, or delete it.`
          : `${m.name} no longer exists at the provider: pages no longer go there. Point it somewhere new, or delete it.`,
    });
  if (active.length === 1)
    warnings.push({
      code: 'single_method',
      message:
        'Only one contact method can reach you: if it fails (phone off, app logged out), nothing else will.',
    });
  const ruled = new Set(rules.map((r) => r.contact_method_id));
  for (const m of active.filter((x) => !ruled.has(x.id)))
    warnings.push({
      code: 'method_without_rule',
      message: `${m.name} is verified but no notification rule uses it: pages never reach it. Add a rule for it.`,
    });
  return { contactMethods: methods.map(contactMethodView), rules: groupRules(rules, methods), warnings };
}
