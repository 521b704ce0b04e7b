import { requireRole } from '../../identity/index.ts';
import { toIso, toIsoOrNull } from '../../platform/clock.ts';
import { notFound } from '../../platform/errors.ts';
import type { Ctx } from '../../storage/index.ts';
import type { DeliveriesTable, DeliveryAttemptsTable } from '../../storage/schema.ts';
import { recipientLabels } from './record.ts';

export interface DeliveryAttemptView {
  readonly attempt: number;
  readonly startedAt: string;
  readonly latencyMs: number;
  readonly outcome: DeliveryAttemptsTable['outcome'];
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly nextAttemptAt: string | null;
}

export interface DeliveryView {
  readonly id: string;
  readonly kind: DeliveriesTable['kind'];
  readonly event: DeliveriesTable['event'];
  readonly status: DeliveriesTable['status'];
  readonly channelKind: DeliveriesTable['channel_kind'];
  /** Person or channel name. */
  readonly to: string;
  readonly userId: string | null;
  readonly contactMethodId: string | null;
  /** The person's name for the contact method used ("Phone", "Backup relay"). */
  readonly contactMethodName: string | null;
  readonly channelId: string | null;
  readonly step: number | null;
  readonly round: number | null;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly reason: string | null;
  readonly bundleId: string | null;
  readonly createdAt: string;
  readonly sentAt: string | null;
  /** What the provider reported after accepting it (Twilio: `delivered`, `undelivered`, `no-answer`, …). */
  readonly providerStatus: string | null;
  readonly providerStatusAt: string | null;
  readonly history: DeliveryAttemptView[];
}

const FINAL = new Set(['sent', 'failed', 'unknown', 'suppressed', 'bundled']);

export async function deliveryViews(ctx: Ctx, rows: readonly DeliveriesTable[]): Promise<DeliveryView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const attempts = await ctx.db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where('delivery_id', 'in', ids)
    .orderBy('attempt')
    .execute();
  const names = await recipientLabels(ctx, rows);
  const methodIds = [...new Set(rows.flatMap((r) => (r.contact_method_id ? [r.contact_method_id] : [])))];
  const methods = new Map(
    (methodIds.length
      ? await ctx.db
          .selectFrom('contact_methods')
          .select(['id', 'name'])
          .where('id', 'in', methodIds)
          .execute()
      : []
    ).map((m) => [m.id, m.name]),
  );
  const byDelivery = new Map<string, DeliveryAttemptView[]>();
  for (const a of attempts) {
    const list = byDelivery.get(a.delivery_id) ?? [];
    list.push({
      attempt: a.attempt,
      startedAt: toIso(a.started_at),
      latencyMs: a.latency_ms,
      outcome: a.outcome,
      statusCode: a.status_code,
      error: a.error,
      nextAttemptAt: toIsoOrNull(a.next_attempt_at),
    });
    byDelivery.set(a.delivery_id, list);
  }
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    event: r.event,
    status: r.status,
    channelKind: r.channel_kind,
    to: names.get(r.user_id ?? r.channel_id ?? '') ?? r.destination,
    userId: r.user_id,
    contactMethodId: r.contact_method_id,
    contactMethodName: r.contact_method_id ? (methods.get(r.contact_method_id) ?? null) : null,
    channelId: r.channel_id,
    step: r.step === null ? null : r.step + 1,
    round: r.round === null ? null : r.round + 1,
    attempts: r.attempts,
    nextAttemptAt: FINAL.has(r.status) ? null : toIso(r.next_attempt_at),
    reason: r.reason,
    bundleId: r.bundle_id,
    createdAt: toIso(r.created_at),
    sentAt: toIsoOrNull(r.sent_at),
    providerStatus: r.provider_status,
    providerStatusAt: toIsoOrNull(r.provider_status_at),
    history: byDelivery.get(r.id) ?? [],
  }));
}

/** Every notification decided for an incident, oldest first, with every attempt: the incident's delivery log. */
export async function listIncidentDeliveries(ctx: Ctx, incidentId: string): Promise<DeliveryView[]> {
  const incident = await ctx.db
    .selectFrom('incidents')
    .innerJoin('services', 'services.id', 'incidents.service_id')
    .select(['incidents.id', 'services.team_id'])
    .where('incidents.id', '=', incidentId)
    .executeTakeFirst();
  if (!incident) throw notFound('incident', incidentId);
  requireRole(ctx, 'stakeholder', { teamId: incident.team_id, entity: 'incident', id: incidentId });
  const rows = await ctx.db
    .selectFrom('deliveries')
    .selectAll()
    .where('incident_id', '=', incidentId)
    .orderBy('created_at')
    .orderBy('id')
    .limit(2000)
    .execute();
  return deliveryViews(ctx, rows);
}
