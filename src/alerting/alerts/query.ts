import type { EpochMs } from '../../platform/clock.ts';
import { notFound, validationError } from '../../platform/errors.ts';
import { literal, type Ctx } from '../../storage/index.ts';
import type { AlertsTable } from '../../storage/schema.ts';
import { matchesAll, type Matcher } from '../matchers/index.ts';
import { withNames } from './names.ts';
import { toAlertView, type AlertView, type NamedAlertView } from './views.ts';
import { alertScope, inScope, type AlertScope } from './visibility.ts';

export interface AlertFilter {
  readonly serviceId?: string | undefined;
  /** `open` = triggered or acknowledged (the default). */
  readonly status?: 'open' | 'triggered' | 'acknowledged' | 'resolved' | 'all' | undefined;
  readonly fingerprint?: string | undefined;
  readonly matchers?: readonly Matcher[] | undefined;
  /** Case-insensitive text in the summary. */
  readonly q?: string | undefined;
  readonly limit?: number | undefined;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

export interface AlertPage {
  readonly items: NamedAlertView[];
  readonly nextCursor: string | null;
}

const PAGE_SCAN = 500;
/** Label matchers are applied after the SQL filters; this bounds how many rows one page may read. */
const MAX_SCAN = 20_000;

function parseCursor(cursor: string): { at: EpochMs; id: string } {
  const m = /^(\d+):([a-z]+_[0-9A-Z]+)$/.exec(cursor);
  if (!m)
    throw validationError('cursor is not one this API returned', [
      { pointer: '/cursor', detail: 'unknown cursor' },
    ]);
  return { at: Number(m[1]) as EpochMs, id: m[2]! };
}

/**
 * Alerts newest first (by last occurrence), with the filters of the alert list page and API.
 *
 * Open and resolved alerts are read apart (migration 0009): the resolved ones through an index of resolved alerts
 * by last occurrence, the open ones — repeats move their last occurrence all the time, so no index follows it —
 * sorted from the open-alert index. For `all`, each page is the merge of the two.
 */
export async function listAlerts(ctx: Ctx, filter: AlertFilter): Promise<AlertPage> {
  const scope = await alertScope(ctx);
  const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
  if (filter.serviceId !== undefined && !scope.serviceIds.has(filter.serviceId))
    throw notFound('service', filter.serviceId);
  const status = filter.status ?? 'open';
  const parts: Part[] =
    status === 'resolved' ? ['resolved'] : status === 'all' ? ['open', 'resolved'] : ['open'];
  const items: AlertView[] = [];
  let cursor = filter.cursor === undefined ? undefined : parseCursor(filter.cursor);
  let scanned = 0;
  for (;;) {
    const fetched = await Promise.all(parts.map((part) => readPart(ctx, part, filter, cursor)));
    const rows = fetched.length === 1 ? fetched[0]! : newestFirst(fetched.flat()).slice(0, PAGE_SCAN);
    scanned += rows.length;
    for (const row of rows) {
      cursor = { at: row.last_seen_at, id: row.id };
      if (!visible(scope, row, filter)) continue;
      items.push(toAlertView(row));
      if (items.length === limit)
        return { items: await withNames(ctx, items), nextCursor: `${row.last_seen_at}:${row.id}` };
    }
    if (rows.length < PAGE_SCAN) return { items: await withNames(ctx, items), nextCursor: null };
    if (scanned >= MAX_SCAN)
      return { items: await withNames(ctx, items), nextCursor: cursor ? `${cursor.at}:${cursor.id}` : null };
  }
}

type Part = 'open' | 'resolved';

/** Up to a scan's worth of one part's alerts after the cursor, newest first. */
function readPart(
  ctx: Ctx,
  part: Part,
  filter: AlertFilter,
  cursor: { at: EpochMs; id: string } | undefined,
): Promise<AlertsTable[]> {
  // Literals, so that both databases see the partial index's condition in the query.
  let q = ctx.db
    .selectFrom('alerts')
    .selectAll()
    .where('status', part === 'open' ? '<>' : '=', literal('resolved'));
  if (part === 'open' && (filter.status === 'triggered' || filter.status === 'acknowledged'))
    q = q.where('status', '=', filter.status);
  if (filter.serviceId !== undefined) q = q.where('service_id', '=', filter.serviceId);
  if (filter.fingerprint !== undefined) q = q.where('fingerprint', '=', filter.fingerprint);
  if (cursor) {
    const c = cursor;
    q = q.where((eb) =>
      eb.or([eb('last_seen_at', '<', c.at), eb.and([eb('last_seen_at', '=', c.at), eb('id', '<', c.id)])]),
    );
  }
  return q.orderBy('last_seen_at', 'desc').orderBy('id', 'desc').limit(PAGE_SCAN).execute();
}

const newestFirst = (rows: AlertsTable[]): AlertsTable[] =>
  rows.sort((a, b) => b.last_seen_at - a.last_seen_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));

function visible(scope: AlertScope, row: AlertsTable, filter: AlertFilter): boolean {
  if (!inScope(scope, row.service_id)) return false;
  if (filter.q && !row.summary.toLowerCase().includes(filter.q.toLowerCase())) return false;
  if (filter.matchers && filter.matchers.length > 0) {
    return matchesAll(filter.matchers, JSON.parse(row.labels) as Record<string, string>);
  }
  return true;
}

export async function getAlert(ctx: Ctx, id: string): Promise<NamedAlertView> {
  const row = await ctx.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || !inScope(await alertScope(ctx), row.service_id)) throw notFound('alert', id);
  return (await withNames(ctx, [toAlertView(row, true)]))[0]!;
}
