import { actorLabel, appendAudit, hashToken, newToken, requireUser, roleFor } from '../../identity/index.ts';
import { DAY, toIso, toIsoOrNull, type EpochMs } from '../../platform/clock.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import { scheduleFor } from './access.ts';
import { finalSchedule } from './engine.ts';
import { icalUtc, renderCalendar, type CalendarEvent } from './ical.ts';
import { toOverride, toSchedule, type IcalFeedRow, type ScheduleSpec } from './model.ts';
import { userShifts } from './oncall.ts';
import {
  findFeedByHash,
  findFeedRow,
  findScheduleRow,
  listFeedRows,
  overrideRowsInRange,
  usersByIds,
} from './repo.ts';

/**
 * Secret calendar URLs: a schedule's shifts, or one person's shifts across schedules, for any calendar app. The
 * token is the only credential (calendar apps cannot sign in), so it is shown once and stored as its SHA-256,
 * like API tokens; revoking it ends the URL at once.
 */

export const ICAL_TOKEN_PREFIX = 'siaga_ical';
/** What a feed shows: the past week (for "who had it last night") and the next 60 days. */
export const ICAL_PAST_DAYS = 7;
export const ICAL_FUTURE_DAYS = 60;
/** Computed beyond the window so a shift crossing its edge keeps its real start, and with it its UID. */
const ICAL_MARGIN_DAYS = 35;

export interface IcalFeedView {
  id: string;
  scheduleId: string | null;
  userId: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface IssuedIcalFeed {
  feed: IcalFeedView;
  /** The secret itself. Shown only in this response. */
  token: string;
  /** The URL to subscribe to (it contains the token). */
  url: string;
}

const feedView = (r: IcalFeedRow): IcalFeedView => ({
  id: r.id,
  scheduleId: r.schedule_id,
  userId: r.user_id,
  createdBy: r.created_by,
  createdAt: toIso(r.created_at),
  revokedAt: toIsoOrNull(r.revoked_at),
});

export function icalFeedUrl(ctx: Ctx, token: string): string {
  return `${ctx.settings.publicUrl.replace(/\/+$/, '')}/api/v1/ical/${token}.ics`;
}

async function issue(
  ctx: Ctx,
  owner: { scheduleId: string; teamId: string } | { userId: string },
): Promise<IssuedIcalFeed> {
  return inTx(ctx, async (tx) => {
    const token = newToken(ICAL_TOKEN_PREFIX);
    const row: IcalFeedRow = {
      id: tx.ids.next('ical'),
      token_hash: hashToken(token),
      schedule_id: 'scheduleId' in owner ? owner.scheduleId : null,
      user_id: 'userId' in owner ? owner.userId : null,
      created_by: actorLabel(tx.actor),
      created_at: tx.clock.now(),
      revoked_at: null,
    };
    await tx.db.insertInto('ical_feeds').values(row).execute();
    const feed = feedView(row);
    await appendAudit(tx, {
      action: 'ical_feed.created',
      object: { type: 'ical_feed', id: row.id },
      teamId: 'teamId' in owner ? owner.teamId : null,
      after: feed,
    });
    return { feed, token, url: icalFeedUrl(tx, token) };
  });
}

/** A feed of the schedule's final shifts; any member of its team may make one. */
export async function createScheduleIcalFeed(ctx: Ctx, scheduleId: string): Promise<IssuedIcalFeed> {
  const row = await scheduleFor(ctx, scheduleId, 'stakeholder');
  return issue(ctx, { scheduleId: row.id, teamId: row.team_id });
}

/** A feed of my own shifts, across every schedule that names me. */
export async function createMyIcalFeed(ctx: Ctx): Promise<IssuedIcalFeed> {
  const me = requireUser(ctx);
  return issue(ctx, { userId: me.userId });
}

export async function listScheduleIcalFeeds(ctx: Ctx, scheduleId: string): Promise<IcalFeedView[]> {
  await scheduleFor(ctx, scheduleId, 'stakeholder');
  return (await listFeedRows(ctx.db, { scheduleId })).map(feedView);
}

export async function listMyIcalFeeds(ctx: Ctx): Promise<IcalFeedView[]> {
  const me = requireUser(ctx);
  return (await listFeedRows(ctx.db, { userId: me.userId })).map(feedView);
}

/**
 * Ends a feed's URL. A schedule's feed: any member of its team (revoking only cuts access, so whoever may make one
 * may end one). A personal feed: its owner, or a global admin.
 */
export async function revokeIcalFeed(ctx: Ctx, feedId: string): Promise<void> {
  await inTx(ctx, async (tx) => {
    const row = await findFeedRow(tx.db, feedId);
    if (!row || row.revoked_at !== null) throw notFound('ical feed', feedId);
    let teamId: string | null = null;
    if (row.schedule_id !== null) {
      teamId = (await scheduleFor(tx, row.schedule_id, 'stakeholder')).team_id;
    } else {
      // Someone else's personal feed does not exist for anyone but global admins.
      const mine = tx.actor.kind === 'user' && tx.actor.userId === row.user_id;
      if (!mine && roleFor(tx.actor, null) !== 'admin') throw notFound('ical feed', feedId);
    }
    await tx.db
      .updateTable('ical_feeds')
      .set({ revoked_at: tx.clock.now() })
      .where('id', '=', feedId)
      .execute();
    await appendAudit(tx, {
      action: 'ical_feed.revoked',
      object: { type: 'ical_feed', id: feedId },
      teamId,
      before: feedView(row),
    });
  });
}

const NO_FEED = () => new AppError('not_found', 'no such calendar feed (the URL is wrong or was revoked)');

/**
 * The calendar behind a secret URL, for anyone holding it (no sign-in). Unknown and revoked tokens, deleted
 * schedules and deactivated owners all look the same: not found.
 */
export async function renderIcalFeed(ctx: Ctx, token: string): Promise<string> {
  if (!token.startsWith(`${ICAL_TOKEN_PREFIX}_`)) throw NO_FEED();
  const feed = await findFeedByHash(ctx.db, hashToken(token));
  if (!feed || feed.revoked_at !== null) throw NO_FEED();
  const now = ctx.clock.now();
  const from = (now - ICAL_PAST_DAYS * DAY) as EpochMs;
  const to = (now + ICAL_FUTURE_DAYS * DAY) as EpochMs;
  const wideFrom = (from - ICAL_MARGIN_DAYS * DAY) as EpochMs;
  const wideTo = (to + ICAL_MARGIN_DAYS * DAY) as EpochMs;
  const inWindow = (s: { start: number; end: number }) => s.start < to && s.end > from;
  const uid = (scheduleId: string, userId: string, start: number) =>
    `${scheduleId}-${userId}-${icalUtc(start)}@siaga`;

  if (feed.schedule_id !== null) {
    const row = await findScheduleRow(ctx.db, feed.schedule_id);
    if (!row) throw NO_FEED();
    const schedule = toSchedule(row);
    const overrides = (await overrideRowsInRange(ctx.db, row.id, wideFrom, wideTo)).map(toOverride);
    const users = await usersByIds(ctx.db, [
      ...schedule.layers.flatMap((l) => l.participants),
      ...overrides.map((o) => o.userId),
    ]);
    const absent = new Set([...users.values()].filter((u) => !u.active).map((u) => u.id));
    const spec: ScheduleSpec = { layers: schedule.layers, overrides, absent };
    const events: CalendarEvent[] = finalSchedule(spec, wideFrom, wideTo)
      .filter(inWindow)
      .map((s) => ({
        uid: uid(schedule.id, s.userId, s.start),
        start: s.start,
        end: s.end,
        summary: `On call: ${users.get(s.userId)?.name ?? s.userId}`,
        description: `Schedule: ${schedule.name}`,
      }));
    return renderCalendar({ name: `On call: ${schedule.name}`, generatedAt: now, events });
  }

  const owner = (await usersByIds(ctx.db, [feed.user_id!])).get(feed.user_id!);
  if (!owner?.active) throw NO_FEED();
  const events: CalendarEvent[] = (await userShifts(ctx, owner.id, wideFrom, wideTo))
    .filter(({ segment }) => inWindow(segment))
    .map(({ schedule, segment }) => ({
      uid: uid(schedule.id, owner.id, segment.start),
      start: segment.start,
      end: segment.end,
      summary: `On call: ${schedule.name}`,
      description: `${owner.name} is on call in ${schedule.name}`,
    }));
  return renderCalendar({ name: `${owner.name}: on-call shifts`, generatedAt: now, events });
}
