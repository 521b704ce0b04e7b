import { actorLabel, appendAudit } from '../../identity/index.ts';
import { DAY, type EpochMs } from '../../platform/clock.ts';
import { notFound, validationError, type FieldError } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { scheduleFor } from './access.ts';
import type { OverrideRow } from './model.ts';
import { findOverrideRow, overrideRowsInRange, usersByIds } from './repo.ts';
import { parseInstant, parseRange, toOverrideView, type OverrideView } from './views.ts';

export interface CreateOverrideInput {
  /** Who goes on call. */
  userId: string;
  /** Set: a swap of this person's hours only. Left out or null: covers whoever would be on call. */
  replacesUserId?: string | null;
  /** ISO 8601 with an offset, or epoch ms. */
  start: string | number;
  end: string | number;
  note?: string;
}

/** Longest override: a year. A longer one is a change of the rotation, which should be made there. */
export const MAX_OVERRIDE_DAYS = 366;

/** Overrides overlapping a range (default: from now, 90 days), oldest first — the order they apply in. */
export async function listOverrides(
  ctx: Ctx,
  scheduleId: string,
  range: { from?: string; to?: string } = {},
): Promise<OverrideView[]> {
  await scheduleFor(ctx, scheduleId, 'stakeholder');
  const { from, to } = parseRange(range, ctx.clock.now(), 90);
  return (await overrideRowsInRange(ctx.db, scheduleId, from, to)).map(toOverrideView);
}

async function checkOverride(
  ctx: Ctx,
  input: CreateOverrideInput,
): Promise<{ start: EpochMs; end: EpochMs }> {
  const errors: FieldError[] = [];
  const instant = (v: string | number, pointer: string): EpochMs | undefined => {
    try {
      return parseInstant(v, pointer);
    } catch {
      errors.push({ pointer, detail: 'must be an ISO 8601 date-time with Z or an offset' });
      return undefined;
    }
  };
  const start = instant(input.start, '/start');
  const end = instant(input.end, '/end');
  if (start !== undefined && end !== undefined) {
    if (end <= start) errors.push({ pointer: '/end', detail: 'must be after start' });
    else if (end - start > MAX_OVERRIDE_DAYS * DAY)
      errors.push({ pointer: '/end', detail: `must be at most ${MAX_OVERRIDE_DAYS} days after start` });
    else if (end <= ctx.clock.now())
      errors.push({ pointer: '/end', detail: 'is in the past: an override that is over changes nothing' });
  }
  if ((input.note ?? '').length > 500)
    errors.push({ pointer: '/note', detail: 'must have at most 500 characters' });
  const replaces = input.replacesUserId ?? null;
  if (replaces !== null && replaces === input.userId)
    errors.push({ pointer: '/replacesUserId', detail: 'must be someone else than userId' });
  const users = await usersByIds(ctx.db, replaces === null ? [input.userId] : [input.userId, replaces]);
  const who = users.get(input.userId);
  if (!who || !who.active)
    errors.push({
      pointer: '/userId',
      detail: who ? `user ${input.userId} is deactivated` : `user ${input.userId} does not exist`,
    });
  if (replaces !== null && !users.has(replaces))
    errors.push({ pointer: '/replacesUserId', detail: `user ${replaces} does not exist` });
  if (errors.length > 0 || start === undefined || end === undefined)
    throw validationError(
      `the override is not valid: ${errors[0]?.pointer ?? ''} ${errors[0]?.detail ?? ''}`,
      errors,
    );
  return { start, end };
}

/** Any responder of the schedule's team puts someone on call for a while (cover) or takes someone's hours (swap). */
export async function createOverride(
  ctx: Ctx,
  scheduleId: string,
  input: CreateOverrideInput,
): Promise<OverrideView> {
  return inTx(ctx, async (tx) => {
    const schedule = await scheduleFor(tx, scheduleId, 'responder');
    const { start, end } = await checkOverride(tx, input);
    const row: OverrideRow = {
      id: tx.ids.next('ovr'),
      schedule_id: scheduleId,
      user_id: input.userId,
      replaces_user_id: input.replacesUserId ?? null,
      starts_at: start,
      ends_at: end,
      note: input.note?.trim() ?? '',
      created_by: actorLabel(tx.actor),
      created_at: tx.clock.now(),
    };
    await tx.db.insertInto('schedule_overrides').values(row).execute();
    const after = toOverrideView(row);
    await appendAudit(tx, {
      action: 'schedule_override.created',
      object: { type: 'schedule_override', id: row.id },
      teamId: schedule.team_id,
      after,
      detail: `schedule ${schedule.name}`,
    });
    return after;
  });
}

export async function deleteOverride(ctx: Ctx, scheduleId: string, overrideId: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const schedule = await scheduleFor(tx, scheduleId, 'responder');
    const row = await findOverrideRow(tx.db, overrideId);
    if (!row || row.schedule_id !== scheduleId) throw notFound('override', overrideId);
    await tx.db.deleteFrom('schedule_overrides').where('id', '=', overrideId).execute();
    await appendAudit(tx, {
      action: 'schedule_override.deleted',
      object: { type: 'schedule_override', id: overrideId },
      teamId: schedule.team_id,
      before: toOverrideView(row),
      detail: `schedule ${schedule.name}`,
    });
  });
}
