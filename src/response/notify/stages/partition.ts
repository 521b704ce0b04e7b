import type { Outgoing, Settled, StageResult } from '../pipeline-types.ts';

/** The shape of most stages: look at each delivery alone and either settle it or let it pass. */
export function partition(batch: readonly Outgoing[], decide: (o: Outgoing) => Settled | null): StageResult {
  const keep: Outgoing[] = [];
  const settle: Settled[] = [];
  for (const o of batch) {
    const settled = decide(o);
    if (settled) settle.push(settled);
    else keep.push(o);
  }
  return { keep, settle, defer: [], bundles: [] };
}
