import { appendAudit, appendTeamObjectUpdate, requireRole } from '../../identity/index.ts';
import { AppError, conflict, validationError, type FieldError } from '../../platform/errors.ts';
import { DAY, type EpochMs } from '../../platform/clock.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { requireTeamAdmin, scheduleFor, visibleTeams } from './access.ts';
import { toOverride, toSchedule, type Layer, type ScheduleRow, type ScheduleSpec } from './model.ts';
import { previewScheduleChange } from './preview.ts';
import { listScheduleRows, overrideRowsInRange, scheduleNameTaken, teamExists, usersByIds } from './repo.ts';
import { checkLayers, checkTimeZone, type LayerInput } from './validate.ts';
import { toPreviewView, toScheduleView, type SchedulePreviewView, type ScheduleView } from './views.ts';
import { refuseWhileTargeted } from '../policies/refuse-targeted.ts';

export interface CreateScheduleInput {
  teamId: string;
  name: string;
  description?: string;
  /** IANA zone the schedule is shown in. */
  timeZone: string;
  /** Lowest first; a layer without an id gets one. */
  layers?: readonly LayerInput[];
}

/** Every field may change. `version`, when given, must be the current one (optimistic concurrency). */
export interface UpdateScheduleInput {
  teamId?: string;
  name?: string;
  description?: string;
  timeZone?: string;
  layers?: readonly LayerInput[];
  version?: number;
}

/** How far ahead a preview looks. */
export const PREVIEW_DAYS = 90;

const view = (row: ScheduleRow): ScheduleView => toScheduleView(toSchedule(row));

interface CheckedFields {
  name?: string;
  description?: string;
  timeZone?: string;
  layers?: LayerInput[];
}

/** Checks the fields present in `input`, all at once, so one 400 lists every problem. */
function checkFields(input: UpdateScheduleInput): CheckedFields {
  const errors: FieldError[] = [];
  const out: CheckedFields = {};
  if (input.name !== undefined) {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (name.length >= 1 && name.length <= 100) out.name = name;
    else
      errors.push({
        pointer: '/name',
        detail: 'must have 1 to 100 characters (not counting surrounding spaces)',
      });
  }
  if (input.description !== undefined) {
    if (typeof input.description === 'string' && input.description.length <= 2000)
      out.description = input.description.trim();
    else errors.push({ pointer: '/description', detail: 'must be text of at most 2000 characters' });
  }
  if (input.timeZone !== undefined) {
    const tz = checkTimeZone(input.timeZone);
    if (tz.zone) out.timeZone = tz.zone;
    else errors.push({ pointer: '/timeZone', detail: tz.problem ?? 'is not a time zone' });
  }
  if (input.layers !== undefined) {
    const layers = checkLayers(input.layers);
    errors.push(...layers.errors);
    if (layers.value) out.layers = layers.value;
  }
  if (errors.length > 0)
    throw validationError(`the schedule is not valid: ${errors[0]!.pointer} ${errors[0]!.detail}`, errors);
  return out;
}

/** Participants must be active users: a rotation through a deactivated account pages nobody. */
async function checkParticipants(ctx: Ctx, layers: readonly LayerInput[]): Promise<void> {
  const users = await usersByIds(
    ctx.db,
    layers.flatMap((l) => l.participants),
  );
  const errors: FieldError[] = [];
  layers.forEach((l, i) =>
    l.participants.forEach((userId, j) => {
      const u = users.get(userId);
      if (!u || !u.active)
        errors.push({
          pointer: `/layers/${i}/participants/${j}`,
          detail: u ? `user ${userId} is deactivated` : `user ${userId} does not exist`,
        });
    }),
  );
  if (errors.length > 0)
    throw validationError(`a participant is not an active user: ${errors[0]!.detail}`, errors);
}

async function checkTeam(ctx: Ctx, teamId: string): Promise<void> {
  if (!(await teamExists(ctx.db, teamId)))
    throw validationError(`team ${teamId} does not exist`, [{ pointer: '/teamId', detail: 'is not a team' }]);
}

async function checkNameFree(ctx: Ctx, name: string, exceptId?: string): Promise<void> {
  if (await scheduleNameTaken(ctx.db, name, exceptId))
    throw conflict(`a schedule named ${name} already exists`, { name });
}

/** Keeps given layer ids (the UI tracks layers by them) and gives new layers one. */
const withIds = (ctx: Ctx, layers: readonly LayerInput[]): Layer[] =>
  layers.map((l) => ({ ...l, id: l.id ?? ctx.ids.next('layer') }));

/** Schedules of the teams the actor belongs to (every team's for global admins), by name. */
export async function listSchedules(ctx: Ctx, filter: { teamId?: string } = {}): Promise<ScheduleView[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  if (filter.teamId !== undefined) {
    requireRole(ctx, 'stakeholder', { teamId: filter.teamId, entity: 'team', id: filter.teamId });
    return (await listScheduleRows(ctx.db, [filter.teamId])).map(view);
  }
  return (await listScheduleRows(ctx.db, visibleTeams(ctx.actor))).map(view);
}

export async function getSchedule(ctx: Ctx, id: string): Promise<ScheduleView> {
  return view(await scheduleFor(ctx, id, 'stakeholder'));
}

/** Team admins create schedules in their team (global admins in any team). */
export async function createSchedule(ctx: Ctx, input: CreateScheduleInput): Promise<ScheduleView> {
  requireTeamAdmin(ctx, input.teamId);
  // Name and zone are required here: an empty value gets the same field error as a bad one.
  const fields = checkFields({
    ...input,
    name: input.name ?? '',
    timeZone: input.timeZone ?? '',
    layers: input.layers ?? [],
  });
  return inTx(
    ctx,
    async (tx) => {
      await checkTeam(tx, input.teamId);
      await checkNameFree(tx, fields.name!);
      await checkParticipants(tx, fields.layers!);
      const now = tx.clock.now();
      const row: ScheduleRow = {
        id: tx.ids.next('sched'),
        team_id: input.teamId,
        name: fields.name!,
        description: fields.description ?? '',
        time_zone: fields.timeZone!,
        layers: JSON.stringify(withIds(tx, fields.layers!)),
        version: 1,
        created_at: now,
        updated_at: now,
      };
      await tx.db.insertInto('schedules').values(row).execute();
      const after = view(row);
      await appendAudit(tx, {
        action: 'schedule.created',
        object: { type: 'schedule', id: row.id },
        teamId: row.team_id,
        after,
      });
      return after;
    },
    // A concurrent create of the same name fails the insert; the retry's name check then answers 409.
    { retryOnUniqueViolation: true },
  );
}

export async function updateSchedule(
  ctx: Ctx,
  id: string,
  patch: UpdateScheduleInput,
): Promise<ScheduleView> {
  const fields = checkFields(patch);
  return inTx(
    ctx,
    async (tx) => {
      const before = await scheduleFor(tx, id, 'admin');
      if (patch.version !== undefined && patch.version !== Number(before.version))
        throw conflict(
          `schedule ${before.name} changed since you read it (version ${before.version}, you sent ${patch.version}); reload and edit again`,
          { currentVersion: Number(before.version) },
        );
      if (patch.teamId !== undefined && patch.teamId !== before.team_id) {
        requireTeamAdmin(tx, patch.teamId);
        await checkTeam(tx, patch.teamId);
      }
      if (fields.name !== undefined && fields.name !== before.name) await checkNameFree(tx, fields.name, id);
      if (fields.layers) await checkParticipants(tx, fields.layers);
      const after: ScheduleRow = {
        ...before,
        team_id: patch.teamId ?? before.team_id,
        name: fields.name ?? before.name,
        description: fields.description ?? before.description,
        time_zone: fields.timeZone ?? before.time_zone,
        layers: fields.layers ? JSON.stringify(withIds(tx, fields.layers)) : before.layers,
        version: Number(before.version) + 1,
        updated_at: tx.clock.now(),
      };
      const { id: _id, created_at: _created, ...changes } = after;
      // The version in the WHERE makes a concurrent edit on another connection lose instead of being overwritten.
      const res = await tx.db
        .updateTable('schedules')
        .set(changes)
        .where('id', '=', id)
        .where('version', '=', before.version)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1)
        throw conflict(`schedule ${before.name} changed while you saved it; reload and edit again`);
      const result = view(after);
      await appendTeamObjectUpdate(tx, {
        action: 'schedule.updated',
        object: { type: 'schedule', id },
        teamBefore: before.team_id,
        teamAfter: after.team_id,
        before: view(before),
        after: result,
      });
      return result;
    },
    { retryOnUniqueViolation: true },
  );
}

/** Deletes a schedule with its overrides and iCal feeds (their URLs stop working); refused while a policy pages it. */
export async function deleteSchedule(ctx: Ctx, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const before = await scheduleFor(tx, id, 'admin');
    await refuseWhileTargeted(tx, { type: 'schedule', id }, `schedule ${before.name}`);
    await tx.db.deleteFrom('schedules').where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'schedule.deleted',
      object: { type: 'schedule', id },
      teamId: before.team_id,
      before: view(before),
    });
  });
}

/**
 * What an update would change over the next 90 days, without saving it: hours per person, gaps opened and
 * closed, DST transitions of every zone involved. Existing overrides apply to both sides.
 */
export async function previewScheduleUpdate(
  ctx: Ctx,
  id: string,
  patch: UpdateScheduleInput,
): Promise<SchedulePreviewView> {
  const fields = checkFields(patch);
  const row = await scheduleFor(ctx, id, 'stakeholder');
  if (fields.layers) await checkParticipants(ctx, fields.layers);
  const current = toSchedule(row);
  const from = ctx.clock.now();
  const to = (from + PREVIEW_DAYS * DAY) as EpochMs;
  const overrides = (await overrideRowsInRange(ctx.db, id, from, to)).map(toOverride);
  const proposed = fields.layers ? withIds(ctx, fields.layers) : current.layers;
  const before: ScheduleSpec = { layers: current.layers, overrides };
  const after: ScheduleSpec = { layers: proposed, overrides };
  const zones = [
    current.timeZone,
    fields.timeZone ?? current.timeZone,
    ...current.layers.map((l) => l.rotation.timeZone),
    ...proposed.map((l) => l.rotation.timeZone),
  ];
  const preview = previewScheduleChange(before, after, from, to, zones);
  const users = await usersByIds(
    ctx.db,
    preview.hoursByUser.map((h) => h.userId),
  );
  return toPreviewView(
    preview,
    [...users.values()].map((u) => ({ id: u.id, name: u.name })),
  );
}
