import type { Db } from '../../storage/index.ts';
import type { RoutesTable } from '../../storage/schema.ts';
import type { Matcher } from '../matchers/index.ts';
import type { RouteRule } from './evaluate.ts';

export const toRouteRule = (r: RoutesTable): RouteRule => ({
  id: r.id,
  name: r.name,
  matchers: JSON.parse(r.matchers) as Matcher[],
  serviceId: r.service_id,
  continue: Boolean(r.continue),
  isDefault: Boolean(r.is_default),
  setSeverity: r.set_severity,
  setLabels: JSON.parse(r.set_labels) as Record<string, string>,
});

/** Every rule in evaluation order (the default route last). */
export async function loadRouteRules(db: Db): Promise<RouteRule[]> {
  const rows = await db
    .selectFrom('routes')
    .selectAll()
    .orderBy('is_default')
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(toRouteRule);
}
