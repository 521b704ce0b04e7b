import { requireRole, roleFor } from '../identity/index.ts';
import type { Actor, Role } from '../platform/context.ts';
import { conflict, notFound } from '../platform/errors.ts';
import type { Ctx } from '../storage/index.ts';
import { findIntegrationRow } from './integrations.repo.ts';
import type { IntegrationRow, ServiceRow } from './model.ts';
import { findServiceRow } from './services.repo.ts';

/**
 * Services belong to a team and follow identity's team isolation: the team's members (any role) and global
 * admins see them; anyone else is told they do not exist (404, never 403). Changes need the admin role in the
 * team (or globally).
 */

/** Whether the actor sees every team's objects: the system, global admins, and global (team-less) service tokens. */
export function seesEveryTeam(actor: Actor): boolean {
  switch (actor.kind) {
    case 'system':
      return true;
    case 'anonymous':
    case 'integration':
      return false;
    case 'service':
      return actor.teamId === null && roleFor(actor, null) !== null;
    case 'user':
      return actor.role === 'admin' && roleFor(actor, null) !== null;
  }
}

/** The teams whose services the actor may list. */
export function visibleTeams(actor: Actor): 'all' | string[] {
  if (seesEveryTeam(actor)) return 'all';
  const candidates =
    actor.kind === 'user'
      ? [...actor.teams.keys()]
      : actor.kind === 'service' && actor.teamId
        ? [actor.teamId]
        : [];
  return candidates.filter((teamId) => roleFor(actor, teamId) !== null);
}

/** Creating a service in a team, or moving one there: admins of that team only; others do not see the team. */
export function requireTeamAdmin(ctx: Ctx, teamId: string): void {
  requireRole(ctx, 'admin', { teamId, entity: 'team', id: teamId });
}

/** The service, if the actor holds at least `min` in its team; 404 when they cannot see it at all. */
export async function serviceFor(ctx: Ctx, id: string, min: Role): Promise<ServiceRow> {
  const row = await findServiceRow(ctx.db, id);
  if (!row) throw notFound('service', id);
  requireRole(ctx, min, { teamId: row.team_id, entity: 'service', id });
  return row;
}

/** The integration and its service, under the same rule as the service. */
export async function integrationFor(
  ctx: Ctx,
  id: string,
  min: Role,
): Promise<{ row: IntegrationRow; service: ServiceRow }> {
  const row = await findIntegrationRow(ctx.db, id);
  const service = row && (await findServiceRow(ctx.db, row.service_id));
  if (!row || !service) throw notFound('integration', id);
  requireRole(ctx, min, { teamId: service.team_id, entity: 'integration', id });
  return { row, service };
}

/** Rows from the YAML config file change only there; an API edit would be undone at the next start anyway. */
export function refuseDeclared(row: { declared: boolean | number; name: string }, entity: string): void {
  if (row.declared)
    throw conflict(
      `${entity} ${row.name} is declared in the config file and managed there; change it in the file instead`,
      { declared: true },
    );
}
