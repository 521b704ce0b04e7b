import { appendAudit, requireRole } from '../../identity/index.ts';
import { toIso, type EpochMs } from '../../platform/clock.ts';
import { notFound, validationError } from '../../platform/errors.ts';
import { inTx, type Ctx } from '../../storage/index.ts';
import type { SilencesTable } from '../../storage/schema.ts';
import { MAX_MATCHERS, matchersFromInput } from '../matcher-input.ts';
import { matchesAll, matchesEverything, type Matcher, type MatcherInput } from '../matchers/index.ts';

export type SilenceState = 'pending' | 'active' | 'expired';

/** Alertmanager API v2's `gettableSilence`: Siaga's own API shows silences the same way. */
export interface SilenceView {
  readonly id: string;
  readonly matchers: Matcher[];
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly status: { readonly state: SilenceState };
}

export interface SilenceInput {
  /** Present: update that silence (Alertmanager's "post with id"). */
  readonly id?: string | undefined;
  readonly matchers: readonly MatcherInput[];
  readonly startsAt: EpochMs;
  readonly endsAt: EpochMs;
  readonly createdBy: string;
  readonly comment: string;
}

export const silenceState = (r: Pick<SilencesTable, 'starts_at' | 'ends_at'>, now: EpochMs): SilenceState =>
  r.ends_at <= now ? 'expired' : r.starts_at > now ? 'pending' : 'active';

export const toSilenceView = (r: SilencesTable, now: EpochMs): SilenceView => ({
  id: r.id,
  matchers: JSON.parse(r.matchers) as Matcher[],
  startsAt: toIso(r.starts_at),
  endsAt: toIso(r.ends_at),
  updatedAt: toIso(r.updated_at),
  createdBy: r.created_by,
  comment: r.comment,
  status: { state: silenceState(r, now) },
});

/** Alertmanager's rules plus a cap; every problem is reported at once, with where it is. */
function validateSilence(input: SilenceInput, now: EpochMs, maxDurationMs: number): Matcher[] {
  const { matchers, errors } = matchersFromInput(input.matchers, '/matchers');
  if (input.matchers.length === 0)
    errors.push({ pointer: '/matchers', detail: 'a silence needs at least one matcher' });
  if (input.matchers.length > MAX_MATCHERS)
    errors.push({ pointer: '/matchers', detail: `at most ${MAX_MATCHERS} matchers` });
  if (errors.length === 0 && matchers.length > 0 && matchesEverything(matchers))
    errors.push({
      pointer: '/matchers',
      detail: 'these matchers match every alert (even one without labels); add one that requires a label',
    });
  if (input.endsAt <= input.startsAt)
    errors.push({ pointer: '/endsAt', detail: 'endsAt must be after startsAt' });
  if (input.endsAt <= now) errors.push({ pointer: '/endsAt', detail: 'endsAt is in the past' });
  if (input.endsAt - Math.max(input.startsAt, now) > maxDurationMs)
    errors.push({
      pointer: '/endsAt',
      detail: `a silence may last at most ${Math.round(maxDurationMs / 86_400_000)} days`,
    });
  if (!input.createdBy.trim()) errors.push({ pointer: '/createdBy', detail: 'say who creates the silence' });
  if (input.comment.length > 4096) errors.push({ pointer: '/comment', detail: 'at most 4,096 characters' });
  if (errors.length > 0) throw validationError(`invalid silence: ${errors[0]!.detail}`, errors);
  return matchers;
}

const sameMatchers = (a: readonly Matcher[], b: readonly Matcher[]): boolean =>
  JSON.stringify(a.map(canonical)) === JSON.stringify(b.map(canonical));
const canonical = (m: Matcher) => ({ name: m.name, value: m.value, isRegex: m.isRegex, isEqual: m.isEqual });

/**
 * Creates a silence, or updates one by id with Alertmanager's semantics: an expired silence, or an active one whose
 * matchers or start change, is replaced by a new silence (the old one expires); otherwise it is updated in place.
 * Returns the id the silence now has. Committed before the answer: a silence survives `kill -9` at once.
 */
export async function saveSilence(ctx: Ctx, input: SilenceInput): Promise<string> {
  requireRole(ctx, 'responder', { teamId: null });
  const now = ctx.clock.now();
  // A start in the past means "now", as in Alertmanager.
  const startsAt = input.startsAt < now ? now : input.startsAt;
  const matchers = validateSilence({ ...input, startsAt }, now, ctx.settings.alerting.silenceMaxDurationMs);
  const normalized = { ...input, startsAt, matchers: matchers.map(canonical) };
  return inTx(ctx, async (tx) => {
    if (input.id !== undefined) {
      const old = await tx.db
        .selectFrom('silences')
        .selectAll()
        .where('id', '=', input.id)
        .executeTakeFirst();
      if (!old) throw notFound('silence', input.id);
      const state = silenceState(old, now);
      const replace =
        state === 'expired' ||
        (state === 'active' &&
          (!sameMatchers(JSON.parse(old.matchers) as Matcher[], normalized.matchers) ||
            (old.starts_at !== startsAt && startsAt > now)));
      if (!replace) {
        const after = {
          matchers: JSON.stringify(normalized.matchers),
          starts_at: state === 'active' ? old.starts_at : startsAt,
          ends_at: normalized.endsAt,
          created_by: normalized.createdBy,
          comment: normalized.comment,
          updated_at: now,
        };
        await tx.db.updateTable('silences').set(after).where('id', '=', old.id).execute();
        await appendAudit(tx, {
          action: 'silence.updated',
          object: { type: 'silence', id: old.id },
          teamId: null,
          before: toSilenceView(old, now),
          after: toSilenceView({ ...old, ...after }, now),
        });
        return old.id;
      }
      if (state !== 'expired') await expireRow(tx, old, now);
    }
    const row: SilencesTable = {
      id: tx.ids.next('sil'),
      matchers: JSON.stringify(normalized.matchers),
      starts_at: startsAt,
      ends_at: normalized.endsAt,
      created_by: normalized.createdBy,
      comment: normalized.comment,
      created_at: now,
      updated_at: now,
    };
    await tx.db.insertInto('silences').values(row).execute();
    await appendAudit(tx, {
      action: 'silence.created',
      object: { type: 'silence', id: row.id },
      teamId: null,
      after: toSilenceView(row, now),
      ...(input.id ? { detail: `replaces silence ${input.id}` } : {}),
    });
    return row.id;
  });
}

async function expireRow(ctx: Ctx, row: SilencesTable, now: EpochMs): Promise<void> {
  await ctx.db
    .updateTable('silences')
    .set({ ends_at: now, updated_at: now })
    .where('id', '=', row.id)
    .execute();
  await appendAudit(ctx, {
    action: 'silence.expired',
    object: { type: 'silence', id: row.id },
    teamId: null,
    before: toSilenceView(row, now),
  });
}

/** Ends a silence now. Expiring an expired silence changes nothing; an unknown id is 404 (Alertmanager says 500). */
export async function expireSilence(ctx: Ctx, id: string): Promise<void> {
  requireRole(ctx, 'responder', { teamId: null });
  await inTx(ctx, async (tx) => {
    const row = await tx.db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('silence', id);
    const now = tx.clock.now();
    if (silenceState(row, now) !== 'expired') await expireRow(tx, row, now);
  });
}

export async function getSilence(ctx: Ctx, id: string): Promise<SilenceView> {
  requireRole(ctx, 'observer', { teamId: null });
  const row = await ctx.db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('silence', id);
  return toSilenceView(row, ctx.clock.now());
}

/**
 * Silences whose own matchers satisfy every filter matcher (Alertmanager's list filter), newest first.
 * Expired silences are kept for the retention period and listed too, as Alertmanager does.
 */
export async function listSilences(
  ctx: Ctx,
  filter: { matchers?: readonly Matcher[]; state?: SilenceState | undefined } = {},
): Promise<SilenceView[]> {
  requireRole(ctx, 'observer', { teamId: null });
  const now = ctx.clock.now();
  const rows = await ctx.db
    .selectFrom('silences')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .limit(5000)
    .execute();
  return rows
    .filter((r) => {
      if (filter.state && silenceState(r, now) !== filter.state) return false;
      if (!filter.matchers?.length) return true;
      const own = JSON.parse(r.matchers) as Matcher[];
      // A silence "has" a label value when one of its equality matchers names it.
      const labels = Object.fromEntries(
        own.filter((m) => !m.isRegex && m.isEqual).map((m) => [m.name, m.value]),
      );
      return matchesAll(filter.matchers, labels);
    })
    .map((r) => toSilenceView(r, now));
}
