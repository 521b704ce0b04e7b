import { canSee } from '../../identity/index.ts';
import type { Role } from '../../platform/context.ts';
import type { Ctx } from '../../storage/index.ts';

/** Which alerts an actor may see: those of services whose team they are in, and unrouted ones for global observers. */
export interface AlertScope {
  readonly serviceIds: ReadonlySet<string>;
  readonly unrouted: boolean;
  /** Service id → name, for every visible service (Alertmanager's receiver names). */
  readonly names: ReadonlyMap<string, string>;
  /** Service id → team id. */
  readonly teams: ReadonlyMap<string, string>;
}

export async function alertScope(ctx: Ctx, min: Role = 'stakeholder'): Promise<AlertScope> {
  const services = await ctx.db.selectFrom('services').select(['id', 'name', 'team_id']).execute();
  const actor = ctx.actor;
  const visible =
    actor.kind === 'integration'
      ? services.filter((s) => s.id === actor.serviceId)
      : services.filter((s) => canSee(ctx, s.team_id, min));
  return {
    serviceIds: new Set(visible.map((s) => s.id)),
    unrouted: actor.kind !== 'integration' && canSee(ctx, null, min === 'stakeholder' ? 'observer' : min),
    names: new Map(visible.map((s) => [s.id, s.name])),
    teams: new Map(visible.map((s) => [s.id, s.team_id])),
  };
}

export const inScope = (scope: AlertScope, serviceId: string | null): boolean =>
  serviceId === null ? scope.unrouted : scope.serviceIds.has(serviceId);
