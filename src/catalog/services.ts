import { appendAudit, appendTeamObjectUpdate, canSee, requireRole } from '../identity/index.ts';
import { AppError, conflict, validationError } from '../platform/errors.ts';
import { inTx, type Ctx } from '../storage/index.ts';
import { refuseDeclared, requireTeamAdmin, serviceFor, visibleTeams } from './access.ts';
import { checkGrouping } from './grouping.ts';
import { toIntegration, toService, type Grouping, type ServiceRow, type Urgency } from './model.ts';
import { listIntegrationRows } from './integrations.repo.ts';
import {
  countOpenIncidents,
  findPolicyTeamId,
  listServiceRows,
  serviceNameTaken,
  teamExists,
} from './services.repo.ts';
import { toServiceView, type ServiceView } from './views.ts';

export interface CreateServiceInput {
  name: string;
  teamId: string;
  description?: string;
  /** Who is paged when the service's incidents open; null pages nobody (the timeline says so). */
  escalationPolicyId?: string | null;
  grouping?: Grouping;
  autoResolve?: boolean;
  urgency?: Urgency;
}

/** Every field may change; moving a service to another team needs the admin role in both teams. */
export type UpdateServiceInput = Partial<CreateServiceInput>;

const view = (row: ServiceRow): ServiceView => toServiceView(toService(row));

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100)
    throw validationError('a service name has 1 to 100 characters', [
      { pointer: '/name', detail: 'must have 1 to 100 characters (not counting surrounding spaces)' },
    ]);
  return trimmed;
}

async function checkTeam(ctx: Ctx, teamId: string): Promise<void> {
  // Only those who see every team get this far for a team that does not exist (others got a 404 for it).
  if (!(await teamExists(ctx.db, teamId)))
    throw validationError(`team ${teamId} does not exist`, [{ pointer: '/teamId', detail: 'is not a team' }]);
}

/** A policy of a team the actor cannot see is reported exactly as one that does not exist. */
async function checkPolicy(ctx: Ctx, id: string | null): Promise<void> {
  if (id === null) return;
  const teamId = await findPolicyTeamId(ctx.db, id);
  if (teamId === undefined || !canSee(ctx, teamId))
    throw validationError(`escalation policy ${id} does not exist`, [
      { pointer: '/escalationPolicyId', detail: 'is not an escalation policy you can see' },
    ]);
}

async function checkNameFree(ctx: Ctx, name: string, exceptId?: string): Promise<void> {
  if (await serviceNameTaken(ctx.db, name, exceptId))
    throw conflict(`a service named ${name} already exists`, { name });
}

/** Services of the teams the actor belongs to (every team's, for global admins), by name. */
export async function listServices(ctx: Ctx, filter: { teamId?: string } = {}): Promise<ServiceView[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  if (filter.teamId !== undefined) {
    requireRole(ctx, 'stakeholder', { teamId: filter.teamId, entity: 'team', id: filter.teamId });
    return (await listServiceRows(ctx.db, [filter.teamId])).map(view);
  }
  return (await listServiceRows(ctx.db, visibleTeams(ctx.actor))).map(view);
}

export async function getService(ctx: Ctx, id: string): Promise<ServiceView> {
  return view(await serviceFor(ctx, id, 'stakeholder'));
}

/** Team admins create services in their team (global admins in any team). */
export async function createService(ctx: Ctx, input: CreateServiceInput): Promise<ServiceView> {
  requireTeamAdmin(ctx, input.teamId);
  const name = checkName(input.name);
  const grouping = checkGrouping(input.grouping);
  return inTx(
    ctx,
    async (tx) => {
      await checkTeam(tx, input.teamId);
      await checkNameFree(tx, name);
      const policyId = input.escalationPolicyId?.trim() || null;
      await checkPolicy(tx, policyId);
      const now = tx.clock.now();
      const row: ServiceRow = {
        id: tx.ids.next('svc'),
        name,
        description: input.description?.trim() ?? '',
        team_id: input.teamId,
        escalation_policy_id: policyId,
        grouping: JSON.stringify(grouping),
        auto_resolve: input.autoResolve ?? true,
        urgency: input.urgency ?? 'high',
        declared: false,
        created_at: now,
        updated_at: now,
      };
      await tx.db.insertInto('services').values(row).execute();
      const after = view(row);
      await appendAudit(tx, {
        action: 'service.created',
        object: { type: 'service', id: row.id },
        teamId: row.team_id,
        after,
      });
      return after;
    },
    // A concurrent create of the same name fails the insert; run again, the name check then answers 409.
    { retryOnUniqueViolation: true },
  );
}

export async function updateService(ctx: Ctx, id: string, patch: UpdateServiceInput): Promise<ServiceView> {
  const name = patch.name === undefined ? undefined : checkName(patch.name);
  const grouping = patch.grouping === undefined ? undefined : checkGrouping(patch.grouping);
  return inTx(
    ctx,
    async (tx) => {
      const before = await serviceFor(tx, id, 'admin');
      refuseDeclared(before, 'service');
      if (patch.teamId !== undefined && patch.teamId !== before.team_id) {
        requireTeamAdmin(tx, patch.teamId);
        await checkTeam(tx, patch.teamId);
      }
      if (name !== undefined && name !== before.name) await checkNameFree(tx, name, id);
      const policyId =
        patch.escalationPolicyId === undefined
          ? before.escalation_policy_id
          : patch.escalationPolicyId?.trim() || null;
      if (policyId !== before.escalation_policy_id) await checkPolicy(tx, policyId);
      const after: ServiceRow = {
        ...before,
        name: name ?? before.name,
        description: patch.description?.trim() ?? before.description,
        team_id: patch.teamId ?? before.team_id,
        escalation_policy_id: policyId,
        grouping: grouping ? JSON.stringify(grouping) : before.grouping,
        auto_resolve: patch.autoResolve ?? Boolean(before.auto_resolve),
        urgency: patch.urgency ?? before.urgency,
        updated_at: tx.clock.now(),
      };
      const { id: _id, created_at: _created, declared: _declared, ...changes } = after;
      await tx.db.updateTable('services').set(changes).where('id', '=', id).execute();
      const result = view(after);
      await appendTeamObjectUpdate(tx, {
        action: 'service.updated',
        object: { type: 'service', id },
        teamBefore: before.team_id,
        teamAfter: after.team_id,
        before: view(before),
        after: result,
      });
      return result;
    },
    // Likewise for a concurrent rename to the same name.
    { retryOnUniqueViolation: true },
  );
}

/**
 * Deletes a service and, with it (foreign-key cascades), its integrations, routes, alerts and resolved incidents.
 * Refused while an incident is open: the people working on it would lose it under their hands.
 */
export async function deleteService(ctx: Ctx, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const before = await serviceFor(tx, id, 'admin');
    refuseDeclared(before, 'service');
    const open = await countOpenIncidents(tx.db, id);
    if (open > 0)
      throw conflict(
        `service ${before.name} has ${open} open incident${open === 1 ? '' : 's'}; resolve ${open === 1 ? 'it' : 'them'} before deleting the service`,
        { openIncidents: open },
      );
    // The integrations go with it; say so in the log, one entry per integration (their keys stop working).
    for (const row of await listIntegrationRows(tx.db, id)) {
      const integration = toIntegration(row);
      await appendAudit(tx, {
        action: 'integration.deleted',
        object: { type: 'integration', id: row.id },
        teamId: before.team_id,
        before: {
          id: integration.id,
          name: integration.name,
          kind: integration.kind,
          keyPrefix: integration.keyPrefix,
        },
        detail: `service ${before.name} deleted`,
      });
    }
    await tx.db.deleteFrom('services').where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'service.deleted',
      object: { type: 'service', id },
      teamId: before.team_id,
      before: view(before),
    });
  });
}
