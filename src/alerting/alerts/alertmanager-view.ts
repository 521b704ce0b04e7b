import { toIso } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import type { AlertsTable } from '../../storage/schema.ts';
import { matchesAll, type Matcher } from '../matchers/index.ts';
import { alertingConfig } from '../config-cache.ts';
import { findInhibitor } from '../noise/inhibition.ts';
import { alertScope } from './visibility.ts';

/** Alertmanager API v2's `gettableAlert`, so amtool and Alertmanager clients read Siaga's alerts unchanged. */
export interface AmAlertView {
  readonly fingerprint: string;
  readonly receivers: { name: string }[];
  readonly status: {
    state: 'active' | 'suppressed' | 'unprocessed';
    silencedBy: string[];
    inhibitedBy: string[];
  };
  readonly startsAt: string;
  readonly endsAt: string;
  readonly updatedAt: string;
  readonly annotations: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly generatorURL?: string;
}

export interface AmAlertFilter {
  readonly matchers: readonly Matcher[];
  readonly active: boolean;
  readonly silenced: boolean;
  readonly inhibited: boolean;
  readonly unprocessed: boolean;
  /** Only alerts with a receiver (service) whose name this regex fully matches. */
  readonly receiver?: RegExp | undefined;
}

/** Go's zero time: what Alertmanager shows for an alert that has no end. */
const GO_ZERO = '0001-01-01T00:00:00.000Z';
export const UNROUTED_RECEIVER = 'unrouted';

/**
 * The open alerts as Alertmanager lists them: one entry per fingerprint (an alert routed to two services is one
 * alert with two receivers), silences and inhibitions worked out now, alerts past their `endsAt` left out.
 */
export async function listAlertmanagerAlerts(ctx: Ctx, filter: AmAlertFilter): Promise<AmAlertView[]> {
  const now = ctx.clock.now();
  const scope = await alertScope(ctx, 'observer');
  const [rows, config] = await Promise.all([
    ctx.db.selectFrom('alerts').selectAll().where('status', '<>', 'resolved').execute(),
    alertingConfig(ctx, now),
  ]);
  const live = rows.filter(
    (r) =>
      (r.ends_at === null || r.ends_at > now) &&
      (r.service_id === null ? scope.unrouted : scope.serviceIds.has(r.service_id)),
  );
  const active = config.silences.filter((s) => s.startsAt <= now && s.endsAt > now);
  const inhibition = config.inhibitionRules;
  const byFingerprint = new Map<
    string,
    { row: AlertsTable; labels: Record<string, string>; receivers: string[] }
  >();
  for (const row of live) {
    const receiver =
      row.service_id === null ? UNROUTED_RECEIVER : (scope.names.get(row.service_id) ?? UNROUTED_RECEIVER);
    const seen = byFingerprint.get(row.fingerprint);
    if (seen) {
      seen.receivers.push(receiver);
      if (row.last_seen_at > seen.row.last_seen_at) seen.row = row;
    } else
      byFingerprint.set(row.fingerprint, {
        row,
        labels: JSON.parse(row.labels) as Record<string, string>,
        receivers: [receiver],
      });
  }
  const firing = [...byFingerprint.values()].map((a) => ({
    fingerprint: a.row.fingerprint,
    labels: a.labels,
  }));
  const out: AmAlertView[] = [];
  for (const a of byFingerprint.values()) {
    if (!matchesAll(filter.matchers, a.labels)) continue;
    if (filter.receiver && !a.receivers.some((r) => filter.receiver!.test(r))) continue;
    const silencedBy = active.filter((s) => matchesAll(s.matchers, a.labels)).map((s) => s.id);
    const inhibitor =
      inhibition.length > 0
        ? findInhibitor(inhibition, { fingerprint: a.row.fingerprint, labels: a.labels }, firing)
        : null;
    const inhibitedBy = inhibitor ? [inhibitor.sourceFingerprint] : [];
    const muted = a.row.muted_by !== null && a.row.incident_id === null;
    const state = silencedBy.length > 0 || inhibitedBy.length > 0 || muted ? 'suppressed' : 'active';
    if (state === 'active' && !filter.active) continue;
    if (silencedBy.length > 0 && !filter.silenced) continue;
    if (inhibitedBy.length > 0 && !filter.inhibited) continue;
    out.push(toAmView(a.row, a.labels, a.receivers, { state, silencedBy, inhibitedBy }));
  }
  return out.sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : 1));
}

function toAmView(
  row: AlertsTable,
  labels: Record<string, string>,
  receivers: string[],
  status: AmAlertView['status'],
): AmAlertView {
  const view: AmAlertView = {
    fingerprint: row.fingerprint,
    receivers: [...new Set(receivers)].sort().map((name) => ({ name })),
    status,
    startsAt: toIso(row.starts_at),
    endsAt: row.ends_at === null ? GO_ZERO : toIso(row.ends_at),
    updatedAt: toIso(row.updated_at),
    annotations: JSON.parse(row.annotations) as Record<string, string>,
    labels,
  };
  return row.generator_url ? { ...view, generatorURL: row.generator_url } : view;
}

/** `GET /api/v2/alerts/groups`: the open alerts grouped as Siaga grouped them, by incident (or alone). */
export async function listAlertmanagerGroups(
  ctx: Ctx,
  filter: AmAlertFilter,
): Promise<{ labels: Record<string, string>; receiver: { name: string }; alerts: AmAlertView[] }[]> {
  const alerts = await listAlertmanagerAlerts(ctx, filter);
  const incidents = new Map<string, string | null>();
  const rows = await ctx.db
    .selectFrom('alerts')
    .select(['fingerprint', 'incident_id'])
    .where('status', '<>', 'resolved')
    .execute();
  for (const r of rows)
    if (!incidents.has(r.fingerprint) || r.incident_id) incidents.set(r.fingerprint, r.incident_id);
  const groups = new Map<
    string,
    { labels: Record<string, string>; receiver: { name: string }; alerts: AmAlertView[] }
  >();
  for (const a of alerts) {
    const key = `${a.receivers[0]?.name ?? ''}\u0000${incidents.get(a.fingerprint) ?? a.fingerprint}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        labels: a.labels.alertname ? { alertname: a.labels.alertname } : {},
        receiver: { name: a.receivers[0]?.name ?? UNROUTED_RECEIVER },
        alerts: [],
      };
      groups.set(key, g);
    }
    g.alerts.push(a);
  }
  return [...groups.values()];
}

/** `GET /api/v2/receivers`: a receiver per visible service, and the one unrouted alerts land on. */
export async function listReceivers(ctx: Ctx): Promise<{ name: string }[]> {
  const scope = await alertScope(ctx, 'observer');
  return [...[...scope.names.values()].sort(), UNROUTED_RECEIVER].map((name) => ({ name }));
}
