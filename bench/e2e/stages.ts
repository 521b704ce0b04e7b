import { existsSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { seqFromTitle } from './alerts.ts';
import type { RunResult } from './client.ts';
import { quantile } from './measure.ts';

/**
 * Where Siaga's time goes, read from its own records after the run (the server stopped, the SQLite file opened
 * read-only): for each alert, the moments the incident opened, its escalation started (the `incident.opened` job
 * ran), the notification was queued, and its first send attempt began, against the client's post and arrival
 * times. Both clocks are this machine's wall clock (the client's `performance.timeOrigin + now`, Siaga's
 * `Date.now()` behind `ctx.clock`), so the stages line up to about a millisecond.
 */

export interface StageStats {
  readonly label: string;
  readonly n: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface StageReport {
  readonly stages: readonly StageStats[];
  /** Notification rows by status (and the bundles made of them). */
  readonly deliveries: Readonly<Record<string, number>>;
  /** Rows still waiting at the end because the per-destination throttle deferred them. */
  readonly throttledPending: number;
  readonly bundles: number;
  readonly incidents: number;
  /**
   * Gap between consecutive first attempts to one destination when the second was already queued (p50, p90): the
   * dispatcher sends one destination's messages one after another, so this is its cost per message.
   */
  readonly laneGapP50Ms: number;
  readonly laneGapP90Ms: number;
}

interface Row {
  readonly [k: string]: unknown;
}

function stats(label: string, values: number[]): StageStats {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => quantile(sorted, p);
  return { label, n: sorted.length, p50: q(0.5), p99: q(0.99), max: sorted.at(-1) ?? NaN };
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));

/** Reads the stage times of the measured alerts of `result` from Siaga's database file; undefined if it is missing. */
export function readStages(dbFile: string, runId: string, result: RunResult): StageReport | undefined {
  if (!existsSync(dbFile)) return undefined;
  const db = new DatabaseSync(dbFile, { readOnly: true });
  try {
    const all = (sql: string) => db.prepare(sql).all() as Row[];
    const incidents = all('SELECT id, title, opened_at FROM incidents');
    const escalations = new Map(
      all('SELECT incident_id, started_at FROM escalations').map((r) => [r.incident_id, num(r.started_at)]),
    );
    const jobsDone = new Map<unknown, number>();
    for (const j of all(`SELECT payload, finished_at FROM jobs WHERE kind = 'incident.opened'`)) {
      const id = (JSON.parse(String(j.payload)) as { incidentId?: string }).incidentId;
      if (id) jobsDone.set(id, num(j.finished_at));
    }
    const firstAttempt = new Map(
      all('SELECT delivery_id, MIN(started_at) AS at FROM delivery_attempts GROUP BY delivery_id').map(
        (r) => [r.delivery_id, num(r.at)],
      ),
    );
    const deliveries = all(
      `SELECT id, incident_id, kind, status, reason, bundle_id, destination, created_at, sent_at FROM deliveries WHERE kind IN ('status', 'bundle')`,
    );
    const byIncident = new Map<unknown, Row>();
    const sentAt = new Map(deliveries.map((d) => [d.id, num(d.sent_at)]));
    // A message that was already queued when the one before it (to the same destination) started waited only for
    // its lane: the gap between the two starts is what one message costs the dispatcher.
    const lanes = new Map<unknown, { at: number; created: number }[]>();
    for (const d of deliveries) {
      const at = firstAttempt.get(d.id);
      if (at === undefined || !Number.isFinite(at)) continue;
      const lane = lanes.get(d.destination) ?? [];
      lane.push({ at, created: num(d.created_at) });
      lanes.set(d.destination, lane);
    }
    const gaps: number[] = [];
    for (const lane of lanes.values()) {
      lane.sort((a, b) => a.at - b.at);
      for (let k = 1; k < lane.length; k++)
        if (lane[k]!.created <= lane[k - 1]!.at) gaps.push(lane[k]!.at - lane[k - 1]!.at);
    }
    const gapStats = stats('', gaps);
    const counts: Record<string, number> = {};
    let throttledPending = 0;
    let bundles = 0;
    for (const d of deliveries) {
      if (d.kind === 'bundle') {
        bundles++;
        continue;
      }
      byIncident.set(d.incident_id, d);
      const key = String(d.status);
      counts[key] = (counts[key] ?? 0) + 1;
      if (d.status === 'pending' && d.reason === 'throttled') throttledPending++;
    }

    const ingest: number[] = [];
    const answered: number[] = [];
    const toEscalation: number[] = [];
    const escalationCommit: number[] = [];
    const queued: number[] = [];
    const toAttempt: number[] = [];
    const toArrival: number[] = [];
    const toSent: number[] = [];
    const epoch = (t: number) => result.timeOrigin + t;
    for (const i of incidents) {
      const seq = seqFromTitle(runId, i.title);
      if (seq === undefined || seq < result.warmup || seq >= result.total) continue;
      const posted = epoch(result.postAt[seq]!);
      const arrived = epoch(result.firstAt[seq]!);
      const opened = num(i.opened_at);
      const started = escalations.get(i.id) ?? NaN;
      const d = byIncident.get(i.id);
      const created = num(d?.created_at);
      const message = d ? (d.bundle_id ?? d.id) : undefined;
      const attempt = message ? (firstAttempt.get(message) ?? NaN) : NaN;
      ingest.push(opened - posted);
      answered.push(result.ackAt[seq]! - result.postAt[seq]!);
      toEscalation.push(started - opened);
      escalationCommit.push((jobsDone.get(i.id) ?? NaN) - started);
      queued.push(created - started);
      toAttempt.push(attempt - created);
      toArrival.push(arrived - attempt);
      toSent.push((message ? (sentAt.get(message) ?? NaN) : NaN) - attempt);
    }
    return {
      stages: [
        stats('POST issued → incident written (ingest transaction’s clock)', ingest),
        stats('POST issued → POST answered (after the commit)', answered),
        stats('incident written → escalation started (job queued)', toEscalation),
        stats('escalation started → job finished (its transaction)', escalationCommit),
        stats('escalation started → notification queued', queued),
        stats('notification queued → first send attempt (dispatcher)', toAttempt),
        stats('send attempt → arrival at the receiver', toArrival),
        stats('send attempt → recorded as sent', toSent),
      ],
      deliveries: counts,
      throttledPending,
      bundles,
      incidents: incidents.length,
      laneGapP50Ms: gapStats.p50,
      laneGapP90Ms: quantile(
        gaps.sort((a, b) => a - b),
        0.9,
      ),
    };
  } finally {
    db.close();
  }
}
