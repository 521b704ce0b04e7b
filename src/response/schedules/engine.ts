import { DAY, type EpochMs } from '../../platform/clock.ts';
import type { Interval, Layer, Override, ScheduleSpec, Segment } from './model.ts';
import { layerSegments } from './rotation.ts';
import { applyOverrides, clip, complement, intersect, mergeAdjacent, stack } from './segments.ts';

/**
 * The final schedule: layers stacked (a later layer wins where it has someone), then overrides applied in the
 * order given (oldest first, so a newer override wins over an older one). Pure: the same spec and range always
 * give the same segments, merged where one person's shifts touch.
 */

const ms = (n: number): EpochMs => n as EpochMs;

export interface Timeline {
  /** Each layer's own segments (rotation inside its restrictions), before stacking. */
  readonly layers: readonly { readonly id: string; readonly name: string; readonly segments: Segment[] }[];
  /** Who is on call, after stacking and overrides. */
  readonly final: Segment[];
  /** Where nobody is on call. */
  readonly gaps: Interval[];
}

const overlapping = (overrides: readonly Override[], from: EpochMs, to: EpochMs) =>
  overrides.filter((o) => o.start < to && o.end > from);

function finalOf(perLayer: readonly Segment[][], spec: ScheduleSpec, from: EpochMs, to: EpochMs): Segment[] {
  const absent = spec.absent ?? new Set<string>();
  const clipped = overlapping(spec.overrides, from, to)
    .filter((o) => !absent.has(o.userId))
    .map((o) => ({ ...o, start: ms(Math.max(o.start, from)), end: ms(Math.min(o.end, to)) }));
  const full = clip(applyOverrides(stack(perLayer), clipped), from, to);
  if (absent.size === 0) return full;
  // Where an absent person is still on call (no override took their hours), the layers below them show through.
  const holes = full.filter((s) => absent.has(s.userId));
  if (holes.length === 0) return full;
  const fallback = stack(perLayer.map((l) => l.filter((s) => !absent.has(s.userId))));
  return mergeAdjacent(
    [...full.filter((s) => !absent.has(s.userId)), ...intersect(fallback, holes)].sort(
      (a, b) => a.start - b.start,
    ),
  );
}

/** Who is on call in `[from, to)`. */
export function finalSchedule(spec: ScheduleSpec, from: EpochMs, to: EpochMs): Segment[] {
  if (to <= from) return [];
  return finalOf(
    spec.layers.map((l) => layerSegments(l, from, to)),
    spec,
    from,
    to,
  );
}

/** Layers, final schedule and gaps of `[from, to)` in one pass, for the timeline view. */
export function scheduleTimeline(spec: ScheduleSpec, from: EpochMs, to: EpochMs): Timeline {
  if (to <= from) return { layers: [], final: [], gaps: [] };
  const perLayer = spec.layers.map((l: Layer) => layerSegments(l, from, to));
  const final = finalOf(perLayer, spec, from, to);
  return {
    layers: spec.layers.map((l, i) => ({ id: l.id, name: l.name, segments: perLayer[i]! })),
    final,
    gaps: complement(final, from, to),
  };
}

/** Where nobody is on call in `[from, to)`. */
export function coverageGaps(spec: ScheduleSpec, from: EpochMs, to: EpochMs): Interval[] {
  return complement(finalSchedule(spec, from, to), from, to);
}

/** The people on call at `at` (none or one: the final schedule has one person at a time). */
export function onCallAt(spec: ScheduleSpec, at: EpochMs): string[] {
  return finalSchedule(spec, at, ms(at + 1)).map((s) => s.userId);
}

/** Furthest a segment's edges are looked for: beyond it, `segmentAt` reports the search bound as the edge. */
export const SEGMENT_SEARCH_MS = 400 * DAY;

/**
 * The whole segment holding `at` (when the current person came on call and when they go off), or null when
 * nobody is on call. The range searched grows until both edges are found, up to `SEGMENT_SEARCH_MS` each way.
 */
export function segmentAt(spec: ScheduleSpec, at: EpochMs): Segment | null {
  for (let reach = 2 * DAY; ; reach *= 4) {
    const bounded = Math.min(reach, SEGMENT_SEARCH_MS);
    const from = ms(at - bounded);
    const to = ms(at + bounded);
    const hit = finalSchedule(spec, from, to).find((s) => s.start <= at && at < s.end);
    if (!hit) return null;
    const cut = hit.start === from || hit.end === to;
    if (!cut || bounded === SEGMENT_SEARCH_MS) return hit;
  }
}
