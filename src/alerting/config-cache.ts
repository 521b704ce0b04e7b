import type { EpochMs } from '../platform/clock.ts';
import { queryTemplate, type Ctx } from '../storage/index.ts';
import type { ServiceRules } from './incidents/lifecycle.ts';
import { SERVICE_RULE_COLUMNS, toServiceRules } from './incidents/service-rules.ts';
import type { Matcher } from './matchers/index.ts';
import type { InhibitionRule } from './noise/inhibition.ts';
import type { MaintenanceSchedule } from './noise/maintenance.ts';
import type { RouteRule } from './routing/evaluate.ts';
import { loadRouteRules } from './routing/routes.repo.ts';

/** Everything ingest reads as configuration, as loaded at one version of it. */
export interface AlertingConfig {
  readonly version: number;
  /** Silences not yet over when loaded; whether one is active is decided at use. */
  readonly silences: readonly { id: string; matchers: Matcher[]; startsAt: EpochMs; endsAt: EpochMs }[];
  readonly windows: readonly {
    id: string;
    serviceId: string | null;
    matchers: Matcher[];
    schedule: MaintenanceSchedule;
  }[];
  readonly inhibitionRules: readonly InhibitionRule[];
  readonly routes: readonly RouteRule[];
  readonly services: ReadonlyMap<string, ServiceRules>;
}

const readVersion = queryTemplate((db, _a: Record<string, never>) =>
  db.selectFrom('counters').select('value').where('name', '=', 'alerting.config'),
);

const MEMO_KEY = 'alerting.config';

/**
 * The configuration at its current version: one indexed read per transaction, and a reload only after a change
 * (database triggers bump the version on every write to services, routes, silences, windows and inhibition rules,
 * from any node). Silences that were still to come are kept, and their time is checked when they are used.
 */
export function alertingConfig(ctx: Ctx, now: EpochMs): Promise<AlertingConfig> {
  if (!ctx.tx) return loadConfig(ctx, now);
  // One version check per transaction, however many callers ask.
  let config = perTransaction.get(ctx.tx);
  if (!config) {
    config = loadConfig(ctx, now);
    perTransaction.set(ctx.tx, config);
  }
  return config;
}

const perTransaction = new WeakMap<object, Promise<AlertingConfig>>();

async function loadConfig(ctx: Ctx, now: EpochMs): Promise<AlertingConfig> {
  const version = Number((await readVersion.run(ctx, {})).rows[0]?.value ?? -1);
  const cached = ctx.memo.get(MEMO_KEY) as AlertingConfig | undefined;
  // A silence that ended after the load is filtered at use; one created since then changed the version.
  if (cached && cached.version === version) return cached;
  const [silenceRows, windowRows, ruleRows, routes, serviceRows] = await Promise.all([
    ctx.db
      .selectFrom('silences')
      .select(['id', 'matchers', 'starts_at', 'ends_at'])
      .where('ends_at', '>', now)
      .execute(),
    ctx.db.selectFrom('maintenance_windows').select(['id', 'service_id', 'matchers', 'schedule']).execute(),
    ctx.db
      .selectFrom('inhibition_rules')
      .select(['id', 'name', 'source_matchers', 'target_matchers', 'equal'])
      .orderBy('id')
      .execute(),
    loadRouteRules(ctx.db),
    ctx.db
      .selectFrom('services')
      .select([...SERVICE_RULE_COLUMNS])
      .execute(),
  ]);
  const config = {
    version,
    silences: silenceRows.map((r) => ({
      id: r.id,
      matchers: JSON.parse(r.matchers) as Matcher[],
      startsAt: r.starts_at,
      endsAt: r.ends_at,
    })),
    windows: windowRows.map((r) => ({
      id: r.id,
      serviceId: r.service_id,
      matchers: JSON.parse(r.matchers) as Matcher[],
      schedule: JSON.parse(r.schedule) as MaintenanceSchedule,
    })),
    inhibitionRules: ruleRows.map((r) => ({
      id: r.id,
      name: r.name,
      sourceMatchers: JSON.parse(r.source_matchers) as Matcher[],
      targetMatchers: JSON.parse(r.target_matchers) as Matcher[],
      equal: JSON.parse(r.equal) as string[],
    })),
    routes,
    services: new Map(serviceRows.map((r) => [r.id, toServiceRules(r)])),
  };
  ctx.memo.set(MEMO_KEY, config);
  return config;
}
