import type { EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import {
  acknowledgeAlertRow,
  attachAlert,
  countOpenings,
  findOpenAlert,
  insertAlert,
  pullEndsCheck,
  repeatOpenAlert,
  resolveAlertRow,
  type RepeatedAlertRow,
} from '../alerts/alerts.repo.ts';
import type { AlertEvent, AlertSource } from '../events.ts';
import {
  alertAcknowledgedInIncident,
  alertJoinsIncident,
  alertResolvedInIncident,
  type ServiceRules,
} from '../incidents/lifecycle.ts';
import type { TimelineActor } from '../incidents/timeline.ts';
import { isFlapping, type FlapPolicy } from '../noise/flapping.ts';
import type { NoiseSnapshot } from '../noise/snapshot.ts';

/** Everything one ingest transaction shares: read once, used for every event in it. */
export interface ApplyScope {
  readonly now: EpochMs;
  readonly source: AlertSource;
  readonly integrationId: string | null;
  readonly actor: TimelineActor;
  readonly noise: NoiseSnapshot;
  readonly flap: FlapPolicy;
  readonly rawRetentionMs: number;
  service(id: string): Promise<ServiceRules>;
}

/** The alert an event landed on, as the sender's answer reports it. */
export interface AppliedEvent {
  readonly alertId: string | null;
  readonly incidentId: string | null;
  readonly fingerprint: string;
  readonly outcome: 'opened' | 'repeated' | 'acknowledged' | 'resolved' | 'ignored';
}

/** One event on one service (or unrouted, serviceId null), with the route's rewrites already applied. */
export async function applyEvent(
  ctx: Ctx,
  scope: ApplyScope,
  serviceId: string | null,
  event: AlertEvent,
): Promise<AppliedEvent> {
  const serviceKey = serviceId ?? '';
  if (event.action === 'trigger') {
    const repeated = (await repeatOpenAlert.run(ctx, repeatArgs(scope, serviceKey, event))).rows[0];
    return repeated ? repeat(ctx, scope, repeated, event) : openAlert(ctx, scope, serviceId, event);
  }
  const open = (await findOpenAlert.run(ctx, { serviceKey, fingerprint: event.fingerprint })).rows[0];
  switch (event.action) {
    case 'acknowledge':
      if (!open) return ignored(event);
      if (open.status === 'triggered') {
        await acknowledgeAlertRow.run(ctx, { id: open.id, now: scope.now });
        if (open.incident_id) await alertAcknowledgedInIncident(ctx, scope, open.incident_id, open.id);
      }
      return {
        alertId: open.id,
        incidentId: open.incident_id,
        fingerprint: event.fingerprint,
        outcome: 'acknowledged',
      };
    case 'resolve':
      if (!open) return ignored(event);
      await resolveAlertRow.run(ctx, { id: open.id, now: scope.now });
      if (open.incident_id)
        await alertResolvedInIncident(ctx, scope, open.incident_id, open.id, event.summary);
      return {
        alertId: open.id,
        incidentId: open.incident_id,
        fingerprint: event.fingerprint,
        outcome: 'resolved',
      };
  }
}

const ignored = (event: AlertEvent): AppliedEvent => ({
  alertId: null,
  incidentId: null,
  fingerprint: event.fingerprint,
  outcome: 'ignored',
});

function rawOf(scope: ApplyScope, event: AlertEvent): { raw: string | null; rawExpiresAt: EpochMs | null } {
  if (scope.rawRetentionMs <= 0 || event.raw === undefined) return { raw: null, rawExpiresAt: null };
  return { raw: JSON.stringify(event.raw), rawExpiresAt: (scope.now + scope.rawRetentionMs) as EpochMs };
}

/** How often this alert opened within the flap window: flap detection's input. */
async function openings(ctx: Ctx, scope: ApplyScope, serviceKey: string, event: AlertEvent): Promise<number> {
  const since = (scope.now - scope.flap.windowMs) as EpochMs;
  const result = await countOpenings.run(ctx, { serviceKey, fingerprint: event.fingerprint, since });
  return Number(result.rows[0]?.n ?? 0);
}

async function openAlert(
  ctx: Ctx,
  scope: ApplyScope,
  serviceId: string | null,
  event: AlertEvent,
): Promise<AppliedEvent> {
  const id = ctx.ids.next('alr');
  const { raw, rawExpiresAt } = rawOf(scope, event);
  const serviceKey = serviceId ?? '';
  // Suppression gates only this opening: an alert muted now still resolves normally later.
  let mutedBy = await scope.noise.mutedBy({
    serviceId,
    fingerprint: event.fingerprint,
    labels: event.labels,
  });
  // The opening being decided counts too.
  if (
    mutedBy === null &&
    serviceId !== null &&
    isFlapping((await openings(ctx, scope, serviceKey, event)) + 1, scope.flap)
  )
    mutedBy = 'flapping';
  // The incident first (the alert row references it), so the alert is written once.
  let incidentId: string | null = null;
  if (serviceId !== null && mutedBy === null) {
    incidentId = await alertJoinsIncident(ctx, scope, await scope.service(serviceId), {
      id,
      fingerprint: event.fingerprint,
      summary: event.summary,
      severity: event.severity,
      labels: event.labels,
      senderGroupKey: event.senderGroupKey ?? null,
    });
  }
  await insertAlert.run(ctx, {
    id,
    service_key: serviceKey,
    service_id: serviceId,
    integration_id: scope.integrationId,
    fingerprint: event.fingerprint,
    source: scope.source,
    status: 'triggered',
    summary: event.summary,
    severity: event.severity,
    labels: JSON.stringify(event.labels),
    annotations: JSON.stringify(event.annotations),
    generator_url: event.generatorUrl ?? null,
    sender_group_key: event.senderGroupKey ?? null,
    starts_at: event.startsAt,
    ends_at: event.endsAt,
    ends_check_at: event.endsAt,
    first_seen_at: scope.now,
    last_seen_at: scope.now,
    occurrences: 1,
    incident_id: incidentId,
    muted_by: mutedBy,
    acknowledged_at: null,
    resolved_at: null,
    raw,
    raw_expires_at: rawExpiresAt,
    updated_at: scope.now,
  });
  return { alertId: id, incidentId, fingerprint: event.fingerprint, outcome: 'opened' };
}

function repeatArgs(scope: ApplyScope, serviceKey: string, event: AlertEvent) {
  return {
    serviceKey,
    fingerprint: event.fingerprint,
    now: scope.now,
    endsAt: event.endsAt,
    summary: event.summary,
    severity: event.severity,
    labels: JSON.stringify(event.labels),
    annotations: JSON.stringify(event.annotations),
  };
}

/** An open alert fired again (already counted and refreshed): a muted one may now open its incident. */
async function repeat(
  ctx: Ctx,
  scope: ApplyScope,
  open: RepeatedAlertRow,
  event: AlertEvent,
): Promise<AppliedEvent> {
  // The sweep must look no later than the alert's end: only an earlier end (rare) moves the check.
  if (event.endsAt !== null && (open.ends_check_at === null || open.ends_check_at > event.endsAt))
    await pullEndsCheck.run(ctx, { id: open.id, endsAt: event.endsAt });
  let incidentId = open.incident_id;
  // A muted alert whose reason has gone (silence expired, window over, no longer flapping) opens its incident on
  // the next repeat, as Alertmanager notifies a still-firing alert once its silence ends.
  if (incidentId === null && open.service_id !== null && open.muted_by !== null) {
    let mutedBy = await scope.noise.mutedBy({
      serviceId: open.service_id,
      fingerprint: event.fingerprint,
      labels: event.labels,
    });
    if (
      mutedBy === null &&
      open.muted_by === 'flapping' &&
      isFlapping(await openings(ctx, scope, open.service_id, event), scope.flap)
    )
      mutedBy = 'flapping';
    if (mutedBy === null) {
      incidentId = await alertJoinsIncident(ctx, scope, await scope.service(open.service_id), {
        id: open.id,
        fingerprint: event.fingerprint,
        summary: event.summary,
        severity: event.severity,
        labels: event.labels,
        senderGroupKey: event.senderGroupKey ?? null,
      });
    }
    await attachAlert.run(ctx, { id: open.id, incidentId, mutedBy, now: scope.now });
  }
  return { alertId: open.id, incidentId, fingerprint: event.fingerprint, outcome: 'repeated' };
}
