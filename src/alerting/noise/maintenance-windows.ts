import {
  actorLabel,
  appendAudit,
  appendTeamObjectUpdate,
  canSee,
  requireRole,
} from '../../identity/index.ts';
import { DAY, toIso, type EpochMs } from '../../platform/clock.ts';
import type { Role } from '../../platform/context.ts';
import { AppError, notFound, validationError, type FieldError } from '../../platform/errors.ts';
import { inTx, type Ctx, type Db } from '../../storage/index.ts';
import type { MaintenanceWindowsTable } from '../../storage/schema.ts';
import { checkMatcherList, checkRuleName } from '../matcher-input.ts';
import { matchesEverything, type Matcher, type MatcherInput } from '../matchers/index.ts';
import {
  isInMaintenance,
  occurrences,
  validateMaintenanceSchedule,
  type MaintenanceSchedule,
} from './maintenance.ts';

/**
 * Maintenance windows: planned times when new alerts of a service (or of alerts matching labels) open no
 * incident. A window on a service belongs to the service's team, whose responders manage it; a window that
 * picks alerts by labels only can reach every team's alerts, so it takes the global responder role.
 */

export interface MaintenanceWindowView {
  readonly id: string;
  readonly name: string;
  readonly serviceId: string | null;
  readonly serviceName: string | null;
  readonly matchers: Matcher[];
  readonly schedule: MaintenanceSchedule;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Whether the window mutes new openings right now. */
  readonly active: boolean;
  /** The next occurrences within 30 days (the running one first), at most 5. */
  readonly next: { startsAt: string; endsAt: string }[];
}

export interface MaintenanceWindowInput {
  readonly name: string;
  readonly serviceId: string | null;
  readonly matchers: readonly MatcherInput[];
  /** Checked by `validateMaintenanceSchedule`, so it may arrive unchecked from the edge. */
  readonly schedule: unknown;
}

const NEXT_DAYS = 30;
const NEXT_LIMIT = 5;
/** Every ingest transaction reads every window; a bound keeps that cheap. */
const MAX_LISTED = 1000;

type Row = MaintenanceWindowsTable & { service_name: string | null; team_id: string | null };

function toView(r: Row, now: EpochMs): MaintenanceWindowView {
  const schedule = JSON.parse(r.schedule) as MaintenanceSchedule;
  return {
    id: r.id,
    name: r.name,
    serviceId: r.service_id,
    serviceName: r.service_name,
    matchers: JSON.parse(r.matchers) as Matcher[],
    schedule,
    createdBy: r.created_by,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    active: isInMaintenance(schedule, now),
    next: occurrences(schedule, now, now + NEXT_DAYS * DAY, NEXT_LIMIT).map((o) => ({
      startsAt: toIso(o.startsAt),
      endsAt: toIso(o.endsAt),
    })),
  };
}

const rowsQuery = (db: Db) =>
  db
    .selectFrom('maintenance_windows')
    .leftJoin('services', 'services.id', 'maintenance_windows.service_id')
    .selectAll('maintenance_windows')
    .select(['services.name as service_name', 'services.team_id as team_id']);

async function findRow(db: Db, id: string): Promise<Row | undefined> {
  return rowsQuery(db).where('maintenance_windows.id', '=', id).executeTakeFirst();
}

/** Windows on a service follow its team's visibility; label-only windows are global objects. */
const visible = (ctx: Ctx, r: Pick<Row, 'service_id' | 'team_id'>, min: Role): boolean =>
  canSee(ctx, r.service_id === null ? null : r.team_id, min);

/** The window if the actor may see it (404 otherwise, even for a window that exists), checked for `min`. */
async function windowFor(ctx: Ctx, id: string, min: Role): Promise<Row> {
  const row = await findRow(ctx.db, id);
  if (!row || !visible(ctx, row, 'stakeholder')) throw notFound('maintenance window', id);
  requireRole(ctx, min, { teamId: row.service_id === null ? null : row.team_id });
  return row;
}

/** Windows the actor may see: those of their teams' services, and label-only ones for global observers. */
export async function listMaintenanceWindows(ctx: Ctx): Promise<MaintenanceWindowView[]> {
  if (ctx.actor.kind === 'anonymous') throw new AppError('unauthorized', 'sign in first');
  const now = ctx.clock.now();
  const rows = await rowsQuery(ctx.db)
    .orderBy('maintenance_windows.created_at')
    .orderBy('maintenance_windows.id')
    .limit(MAX_LISTED)
    .execute();
  return rows.filter((r) => visible(ctx, r, 'observer')).map((r) => toView(r, now));
}

export async function getMaintenanceWindow(ctx: Ctx, id: string): Promise<MaintenanceWindowView> {
  return toView(await windowFor(ctx, id, 'observer'), ctx.clock.now());
}

// ---------------------------------------------------------------------------------------------------------------
// Validation and permissions

interface Checked {
  readonly name: string;
  readonly serviceId: string | null;
  readonly matchers: Matcher[];
  readonly schedule: MaintenanceSchedule;
}

/** Every problem at once. A window muting every alert of every service is refused: that has to be a decision. */
function checkWindow(input: MaintenanceWindowInput, now: EpochMs, scheduleChanged: boolean): Checked {
  const errors: FieldError[] = [];
  const name = checkRuleName(input.name, errors);
  const checked = checkMatcherList(input.matchers, '/matchers', errors);
  if (input.serviceId === null && input.matchers.length === 0)
    errors.push({
      pointer: '/matchers',
      detail: 'a window needs a service or at least one matcher; a window over every alert is refused',
    });
  else if (input.serviceId === null && checked.valid && matchesEverything(checked.matchers))
    errors.push({
      pointer: '/matchers',
      detail: 'these matchers match every alert (even one without labels); add one that requires a label',
    });
  const scheduleErrors = validateMaintenanceSchedule(input.schedule, '/schedule');
  errors.push(...scheduleErrors);
  if (scheduleErrors.length === 0 && scheduleChanged)
    errors.push(...pastProblems(input.schedule as MaintenanceSchedule, now));
  if (errors.length > 0) throw validationError(`invalid maintenance window: ${errors[0]!.detail}`, errors);
  return {
    name,
    serviceId: input.serviceId,
    matchers: checked.matchers,
    schedule: input.schedule as MaintenanceSchedule,
  };
}

/** A new schedule that is already over would never mute anything: most likely a mistyped date. */
function pastProblems(s: MaintenanceSchedule, now: EpochMs): FieldError[] {
  if (s.kind === 'once' && s.endsAt <= now)
    return [{ pointer: '/schedule/endsAt', detail: 'is in the past' }];
  if (s.kind === 'weekly' && s.until !== undefined && s.until <= now)
    return [{ pointer: '/schedule/until', detail: 'is in the past' }];
  return [];
}

/**
 * Who may put a window on `serviceId`: responders of the service's team; on labels only, global responders. A
 * service the actor cannot see is reported as not existing.
 */
async function requireScope(ctx: Ctx, serviceId: string | null): Promise<string | null> {
  if (serviceId === null) {
    requireRole(ctx, 'responder', { teamId: null });
    return null;
  }
  const service = await ctx.db
    .selectFrom('services')
    .select(['id', 'team_id'])
    .where('id', '=', serviceId)
    .executeTakeFirst();
  if (!service || !canSee(ctx, service.team_id))
    throw validationError(`service ${serviceId} does not exist`, [
      { pointer: '/serviceId', detail: 'is not a service' },
    ]);
  requireRole(ctx, 'responder', { teamId: service.team_id });
  return service.team_id;
}

// ---------------------------------------------------------------------------------------------------------------
// Writes

export async function createMaintenanceWindow(
  ctx: Ctx,
  input: MaintenanceWindowInput,
): Promise<MaintenanceWindowView> {
  const now = ctx.clock.now();
  const fields = checkWindow(input, now, true);
  return inTx(ctx, async (tx) => {
    const teamId = await requireScope(tx, fields.serviceId);
    const id = tx.ids.next('mnt');
    await tx.db
      .insertInto('maintenance_windows')
      .values({
        id,
        name: fields.name,
        service_id: fields.serviceId,
        matchers: JSON.stringify(fields.matchers),
        schedule: JSON.stringify(fields.schedule),
        created_by: actorLabel(tx.actor),
        created_at: now,
        updated_at: now,
      })
      .execute();
    const after = toView((await findRow(tx.db, id))!, now);
    await appendAudit(tx, {
      action: 'maintenance.created',
      object: { type: 'maintenance_window', id },
      teamId,
      after,
    });
    return after;
  });
}

/** Moving a window to another service (or to labels only) needs the right to manage it on both sides. */
export async function updateMaintenanceWindow(
  ctx: Ctx,
  id: string,
  patch: Partial<MaintenanceWindowInput>,
): Promise<MaintenanceWindowView> {
  return inTx(ctx, async (tx) => {
    const old = await windowFor(tx, id, 'responder');
    const now = tx.clock.now();
    const before = toView(old, now);
    const fields = checkWindow(
      {
        name: patch.name ?? before.name,
        serviceId: patch.serviceId === undefined ? before.serviceId : patch.serviceId,
        matchers: patch.matchers ?? before.matchers,
        schedule: patch.schedule ?? before.schedule,
      },
      now,
      patch.schedule !== undefined,
    );
    const teamId = await requireScope(tx, fields.serviceId);
    await tx.db
      .updateTable('maintenance_windows')
      .set({
        name: fields.name,
        service_id: fields.serviceId,
        matchers: JSON.stringify(fields.matchers),
        schedule: JSON.stringify(fields.schedule),
        updated_at: now,
      })
      .where('id', '=', id)
      .execute();
    const after = toView((await findRow(tx.db, id))!, now);
    await appendTeamObjectUpdate(tx, {
      action: 'maintenance.updated',
      object: { type: 'maintenance_window', id },
      teamBefore: old.service_id === null ? teamId : old.team_id,
      teamAfter: teamId,
      before,
      after,
    });
    return after;
  });
}

export async function deleteMaintenanceWindow(ctx: Ctx, id: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const old = await windowFor(tx, id, 'responder');
    await tx.db.deleteFrom('maintenance_windows').where('id', '=', id).execute();
    await appendAudit(tx, {
      action: 'maintenance.deleted',
      object: { type: 'maintenance_window', id },
      teamId: old.service_id === null ? null : old.team_id,
      before: toView(old, tx.clock.now()),
    });
  });
}
