import { AppError, conflict, notFound } from '../platform/errors.ts';
import type { Role } from '../platform/context.ts';
import { inTx, type Ctx } from '../storage/index.ts';
import { appendAudit } from './audit.ts';
import { canSee, requireRole } from './authorize.ts';
import { findTeamById, findUserById, teamMembers } from './users.repo.ts';
import { toTeamView, type TeamView } from './views.ts';

async function viewOf(ctx: Ctx, teamId: string): Promise<TeamView> {
  const team = await findTeamById(ctx.db, teamId);
  if (!team) throw notFound('team', teamId);
  const members = (await teamMembers(ctx.db, teamId)).map((m) => ({
    userId: m.id,
    name: m.name,
    email: m.email,
    role: m.role,
    active: m.status === 'active',
  }));
  return toTeamView(team, members);
}

/** Teams the actor belongs to (all of them for global admins): another team's existence is not shown. */
export async function listTeams(ctx: Ctx): Promise<TeamView[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  const rows = await ctx.db.selectFrom('teams').select('id').orderBy('name').execute();
  const visible = rows.filter((r) => canSee(ctx, r.id));
  return Promise.all(visible.map((r) => viewOf(ctx, r.id)));
}

export async function getTeam(ctx: Ctx, id: string): Promise<TeamView> {
  requireRole(ctx, 'stakeholder', { teamId: id, entity: 'team', id });
  return viewOf(ctx, id);
}

export async function createTeam(ctx: Ctx, input: { name: string; description?: string }): Promise<TeamView> {
  requireRole(ctx, 'admin', { teamId: null });
  return inTx(ctx, async (tx) => {
    const name = input.name.trim();
    if (await tx.db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst()) {
      throw conflict(`a team named ${name} already exists`, { name });
    }
    const now = tx.clock.now();
    const row = {
      id: tx.ids.next('team'),
      name,
      description: input.description?.trim() ?? '',
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('teams').values(row).execute();
    const view = await viewOf(tx, row.id);
    await appendAudit(tx, {
      action: 'team.created',
      object: { type: 'team', id: row.id },
      teamId: row.id,
      after: view,
    });
    return view;
  });
}

export async function updateTeam(
  ctx: Ctx,
  id: string,
  patch: { name?: string; description?: string },
): Promise<TeamView> {
  requireRole(ctx, 'admin', { teamId: id, entity: 'team', id });
  return inTx(ctx, async (tx) => {
    const before = await findTeamById(tx.db, id);
    if (!before) throw notFound('team', id);
    const name = patch.name?.trim() ?? before.name;
    if (
      name !== before.name &&
      (await tx.db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirst())
    ) {
      throw conflict(`a team named ${name} already exists`, { name });
    }
    const beforeView = await viewOf(tx, id);
    const after = {
      ...before,
      name,
      description: patch.description?.trim() ?? before.description,
      updated_at: tx.clock.now(),
    };
    await tx.db
      .updateTable('teams')
      .set({ name: after.name, description: after.description, updated_at: after.updated_at })
      .where('id', '=', id)
      .execute();
    const afterView = await viewOf(tx, id);
    await appendAudit(tx, {
      action: 'team.updated',
      object: { type: 'team', id },
      teamId: id,
      before: beforeView,
      after: afterView,
    });
    return afterView;
  });
}

export async function deleteTeam(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'admin', { teamId: null });
  await inTx(ctx, async (tx) => {
    if (!(await findTeamById(tx.db, id))) throw notFound('team', id);
    const owned = await tx.db
      .selectFrom('services')
      .select('name')
      .where('team_id', '=', id)
      .limit(3)
      .execute();
    if (owned.length > 0)
      throw conflict(
        `the team still owns services (${owned.map((s) => s.name).join(', ')}); give them to another team or delete them first`,
        { services: owned.map((s) => s.name) },
      );
    const before = await viewOf(tx, id);
    // The team's service tokens go with it (foreign key cascade); say so in the log, one entry per token.
    const tokens = await tx.db
      .selectFrom('api_tokens')
      .select(['id', 'name'])
      .where('team_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    for (const t of tokens) {
      await appendAudit(tx, {
        action: 'token.revoked',
        object: { type: 'api_token', id: t.id },
        teamId: id,
        detail: `team ${before.name} deleted`,
      });
    }
    await tx.db.deleteFrom('teams').where('id', '=', id).execute();
    await appendAudit(tx, { action: 'team.deleted', object: { type: 'team', id }, teamId: id, before });
  });
}

/** Adds a member or changes their role in the team (team admins and global admins). */
export async function setTeamMember(ctx: Ctx, teamId: string, userId: string, role: Role): Promise<TeamView> {
  requireRole(ctx, 'admin', { teamId, entity: 'team', id: teamId });
  return inTx(ctx, async (tx) => {
    if (!(await findTeamById(tx.db, teamId))) throw notFound('team', teamId);
    const user = await findUserById(tx.db, userId);
    if (!user) throw notFound('user', userId);
    const before = await tx.db
      .selectFrom('team_members')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (before) {
      await tx.db
        .updateTable('team_members')
        .set({ role })
        .where('team_id', '=', teamId)
        .where('user_id', '=', userId)
        .execute();
    } else {
      await tx.db
        .insertInto('team_members')
        .values({ team_id: teamId, user_id: userId, role, created_at: tx.clock.now() })
        .execute();
    }
    await appendAudit(tx, {
      action: before ? 'team.member_role_changed' : 'team.member_added',
      object: { type: 'user', id: userId },
      teamId,
      before: before ? { role: before.role } : undefined,
      after: { role },
    });
    return viewOf(tx, teamId);
  });
}

export async function removeTeamMember(ctx: Ctx, teamId: string, userId: string): Promise<TeamView> {
  requireRole(ctx, 'admin', { teamId, entity: 'team', id: teamId });
  return inTx(ctx, async (tx) => {
    const before = await tx.db
      .selectFrom('team_members')
      .selectAll()
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!before) throw notFound('team member', userId);
    await tx.db
      .deleteFrom('team_members')
      .where('team_id', '=', teamId)
      .where('user_id', '=', userId)
      .execute();
    await appendAudit(tx, {
      action: 'team.member_removed',
      object: { type: 'user', id: userId },
      teamId,
      before: { role: before.role },
    });
    return viewOf(tx, teamId);
  });
}
