import type { EpochMs } from '../../platform/clock.ts';
import type { Ctx } from '../../storage/index.ts';
import { alertingConfig } from '../config-cache.ts';
import { isInMaintenance } from './maintenance.ts';

/**
 * Services under a maintenance window that covers the whole service right now: their pending pages and updates
 * are held back by the notify pipeline's mute stage. (Windows scoped by label matchers gate alerts at ingest only.)
 */
export async function servicesInMaintenance(ctx: Ctx, now: EpochMs): Promise<Set<string>> {
  const config = await alertingConfig(ctx, now);
  const muted = new Set<string>();
  for (const w of config.windows)
    if (w.serviceId !== null && w.matchers.length === 0 && isInMaintenance(w.schedule, now))
      muted.add(w.serviceId);
  return muted;
}
