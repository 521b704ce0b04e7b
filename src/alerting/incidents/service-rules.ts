import type { Ctx } from '../../storage/index.ts';
import type { ServicesTable } from '../../storage/schema.ts';
import type { Grouping } from './grouping.ts';
import type { ServiceRules } from './lifecycle.ts';

export const SERVICE_RULE_COLUMNS = ['id', 'grouping', 'auto_resolve', 'urgency'] as const;

export const toServiceRules = (
  row: Pick<ServicesTable, (typeof SERVICE_RULE_COLUMNS)[number]>,
): ServiceRules => ({
  id: row.id,
  grouping: JSON.parse(row.grouping) as Grouping,
  autoResolve: Boolean(row.auto_resolve),
  urgency: row.urgency,
});

export async function loadServiceRules(ctx: Ctx, id: string): Promise<ServiceRules> {
  const row = await ctx.db
    .selectFrom('services')
    .select([...SERVICE_RULE_COLUMNS])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return toServiceRules(row);
}
