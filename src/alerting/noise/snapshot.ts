import type { EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import { matchesAll, type Matcher } from '../matchers/index.ts';
import { alertingConfig } from '../config-cache.ts';
import { findInhibitor, type InhibitionRule } from './inhibition.ts';
import { isInMaintenance, type MaintenanceSchedule } from './maintenance.ts';

interface ActiveSilence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  readonly startsAt: EpochMs;
  readonly endsAt: EpochMs;
}

interface Window {
  readonly id: string;
  readonly serviceId: string | null;
  readonly matchers: readonly Matcher[];
  readonly schedule: MaintenanceSchedule;
}

/**
 * What may keep a new alert from opening an incident, read once per ingest transaction: silences, maintenance
 * windows and inhibition rules are few, so they are loaded whole and matched in memory.
 */
export interface NoiseSnapshot {
  /** The first reason the alert is muted (`silence:<id>`, `maintenance:<id>`, `inhibited:<rule id>`), or null. */
  mutedBy(alert: {
    serviceId: string | null;
    fingerprint: string;
    labels: Readonly<Record<string, string>>;
  }): Promise<string | null>;
}

export async function loadNoiseSnapshot(ctx: Ctx, now: EpochMs): Promise<NoiseSnapshot> {
  const config = await alertingConfig(ctx, now);
  const silences: ActiveSilence[] = config.silences.filter((r) => r.startsAt <= now && r.endsAt > now);
  const windows: Window[] = config.windows.filter((w) => isInMaintenance(w.schedule, now));
  const rules: readonly InhibitionRule[] = config.inhibitionRules;
  let firing: { fingerprint: string; labels: Record<string, string> }[] | undefined;

  return {
    async mutedBy(alert) {
      for (const s of silences) if (matchesAll(s.matchers, alert.labels)) return `silence:${s.id}`;
      for (const w of windows) {
        const serviceMatch = w.serviceId === null || w.serviceId === alert.serviceId;
        const labelMatch = w.matchers.length === 0 || matchesAll(w.matchers, alert.labels);
        if (serviceMatch && labelMatch && (w.serviceId !== null || w.matchers.length > 0))
          return `maintenance:${w.id}`;
      }
      if (rules.length === 0) return null;
      const relevant = rules.filter((r) => matchesAll(r.targetMatchers, alert.labels));
      if (relevant.length === 0) return null;
      // Only when a rule could apply: the firing alerts are loaded once for the whole transaction.
      firing ??= (
        await ctx.db
          .selectFrom('alerts')
          .select(['fingerprint', 'labels'])
          .where('status', '<>', 'resolved')
          // An alert past its endsAt is over even before the sweep resolves it.
          .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
          .execute()
      ).map((r) => ({ fingerprint: r.fingerprint, labels: JSON.parse(r.labels) as Record<string, string> }));
      const hit = findInhibitor(relevant, { fingerprint: alert.fingerprint, labels: alert.labels }, firing);
      return hit ? `inhibited:${hit.ruleId}` : null;
    },
  };
}
