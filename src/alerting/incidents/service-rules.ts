import type { Ctx } from '../../storage/index.ts';
import type { Grouping } from './grouping.ts';
import type { ServiceRules } from './lifecycle.ts';

export async function loadServiceRules(ctx: Ctx, id: string): Promise<ServiceRules> {
  const row = await ctx.db
    .selectFrom('services')
    .select(['id', 'grouping', 'auto_resolve', 'urgency'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return {
    id: row.id,
    grouping: JSON.parse(row.grouping) as Grouping,
    autoResolve: Boolean(row.auto_resolve),
    urgency: row.urgency,
  };
}
