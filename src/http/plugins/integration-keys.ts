import { findIntegrationByKey, integrationActor } from '../../catalog/index.ts';
import { systemActor, type Actor, type Origin } from '../../platform/context.ts';
import type { Ctx } from '../../storage/index.ts';
import type { IntegrationKeyKind, IntegrationKeyResolver } from './auth.ts';

const TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;

/**
 * Resolves integration keys sent as bearer tokens. Senders such as Prometheus post every few milliseconds under
 * load, so answers are remembered for five seconds: a rotated or deleted key stops working within that time on
 * every node (documented in docs/operations/alerting.md). Unknown keys are remembered too, so guessing costs no
 * extra database work.
 */
export function integrationKeyResolver(
  makeCtx: (actor: Actor, origin: Origin) => Ctx,
): IntegrationKeyResolver {
  const origin: Origin = { ip: '', requestId: 'integration-key', userAgent: '' };
  const cache = new Map<
    string,
    { actor: Extract<Actor, { kind: 'integration' }> | null; kind: string | null; until: number }
  >();
  return async (key: string, kinds: readonly IntegrationKeyKind[]) => {
    const ctx = makeCtx(systemActor('integration-key'), origin);
    const now = ctx.clock.now();
    let hit = cache.get(key);
    if (!hit || hit.until <= now) {
      const found = await findIntegrationByKey(ctx, key);
      hit = {
        actor: found ? integrationActor(found) : null,
        kind: found?.integration.kind ?? null,
        until: now + TTL_MS,
      };
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, hit);
    }
    return hit.kind !== null && kinds.includes(hit.kind as IntegrationKeyKind) ? hit.actor : null;
  };
}
