import type { Ctx } from '../../storage/index.ts';
import type { AlertView, NamedAlertView } from './views.ts';

/** Adds service names and incident numbers to alert views, in two queries whatever the number of alerts. */
export async function withNames(ctx: Ctx, views: readonly AlertView[]): Promise<NamedAlertView[]> {
  const serviceIds = [...new Set(views.map((v) => v.serviceId).filter((id): id is string => id !== null))];
  const incidentIds = [...new Set(views.map((v) => v.incidentId).filter((id): id is string => id !== null))];
  const [services, incidents] = await Promise.all([
    serviceIds.length === 0
      ? []
      : ctx.db.selectFrom('services').select(['id', 'name']).where('id', 'in', serviceIds).execute(),
    incidentIds.length === 0
      ? []
      : ctx.db.selectFrom('incidents').select(['id', 'number']).where('id', 'in', incidentIds).execute(),
  ]);
  const names = new Map(services.map((s) => [s.id, s.name]));
  const numbers = new Map(incidents.map((i) => [i.id, i.number]));
  return views.map((v) => ({
    ...v,
    serviceName: v.serviceId === null ? null : (names.get(v.serviceId) ?? null),
    incidentNumber: v.incidentId === null ? null : (numbers.get(v.incidentId) ?? null),
  }));
}
