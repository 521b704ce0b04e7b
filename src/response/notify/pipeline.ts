import type { Bundle, Outgoing, Settled, Stage, StageInput, StageResult } from './pipeline-types.ts';
import { dedupStage } from './stages/dedup.ts';
import { expiredStage } from './stages/expired.ts';
import { muteStage } from './stages/mute.ts';
import { orderStage } from './stages/order.ts';
import { staleStage } from './stages/stale.ts';
import { throttleStage } from './stages/throttle.ts';

/**
 * Convention 13: cheap, certain reasons to drop a delivery come first (stale, expired, mute, dedup), so that
 * throttling only spends a destination's budget on messages that would really be sent; order runs just before
 * throttle because throttle keeps the earliest deliveries and bundles the rest.
 */
export const STAGES: readonly Stage[] = [
  staleStage,
  expiredStage,
  muteStage,
  dedupStage,
  orderStage,
  throttleStage,
];

/**
 * Runs the stages in turn on what the previous one kept. Every input id ends up in exactly one of `keep`, `settle`
 * (bundle members are settled `bundled`) or `defer`. Pure: the dispatcher persists the result and sends `keep` in
 * order, then the bundles.
 */
export function runPipeline(
  batch: readonly Outgoing[],
  input: StageInput,
  stages: readonly Stage[] = STAGES,
): StageResult {
  let keep = batch;
  const settle: Settled[] = [];
  const defer: { id: string; until: StageResult['defer'][number]['until'] }[] = [];
  const bundles: Bundle[] = [];
  for (const stage of stages) {
    // Like Alertmanager's MultiStage: an empty batch has nothing left to decide.
    if (keep.length === 0) break;
    const r = stage(keep, input);
    keep = r.keep;
    settle.push(...r.settle);
    defer.push(...r.defer);
    bundles.push(...r.bundles);
  }
  return { keep, settle, defer, bundles };
}
