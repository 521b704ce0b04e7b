import type { EpochMs } from '../../platform/clock.ts';
import type { Interval, Override, Segment } from './model.ts';

/**
 * Interval arithmetic on timelines. A timeline is a list of segments sorted by start, non-overlapping, every
 * segment non-empty; every function here takes and returns timelines in that form.
 */

const ms = (n: number): EpochMs => n as EpochMs;

/** Joins touching segments of the same person, so a hand-off from Ana to Ana is not a hand-off. */
export function mergeAdjacent(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    if (s.end <= s.start) continue;
    const last = out[out.length - 1];
    if (last && last.userId === s.userId && last.end === s.start)
      out[out.length - 1] = { ...last, end: s.end };
    else out.push(s);
  }
  return out;
}

/** The union of possibly overlapping intervals, sorted, with touching ones joined. */
export function unionIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) {
      if (i.end > last.end) out[out.length - 1] = { start: last.start, end: i.end };
    } else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** The parts of each segment inside `windows` (a union: sorted, non-overlapping). */
export function intersect(segments: readonly Segment[], windows: readonly Interval[]): Segment[] {
  const out: Segment[] = [];
  let w = 0;
  for (const s of segments) {
    while (w < windows.length && windows[w]!.end <= s.start) w++;
    for (let k = w; k < windows.length && windows[k]!.start < s.end; k++) {
      const start = Math.max(s.start, windows[k]!.start);
      const end = Math.min(s.end, windows[k]!.end);
      if (end > start) out.push({ userId: s.userId, start: ms(start), end: ms(end) });
    }
  }
  return out;
}

/** The parts of `[from, to)` that no interval covers. */
export function complement(covered: readonly Interval[], from: EpochMs, to: EpochMs): Interval[] {
  const out: Interval[] = [];
  let cursor: number = from;
  for (const c of covered) {
    if (c.end <= cursor) continue;
    if (c.start >= to) break;
    if (c.start > cursor) out.push({ start: ms(cursor), end: ms(Math.min(c.start, to)) });
    cursor = Math.max(cursor, c.end);
    if (cursor >= to) break;
  }
  if (cursor < to) out.push({ start: ms(cursor), end: to });
  return out;
}

/** The parts of `a` not in `b` (both unions). */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of a) out.push(...complement(b, i.start, i.end));
  return out;
}

/** Total length in milliseconds. */
export const totalMs = (intervals: readonly Interval[]): number =>
  intervals.reduce((sum, i) => sum + (i.end - i.start), 0);

/** Cuts a timeline to `[from, to)`. */
export function clip(segments: readonly Segment[], from: EpochMs, to: EpochMs): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const start = Math.max(s.start, from);
    const end = Math.min(s.end, to);
    if (end > start)
      out.push(start === s.start && end === s.end ? s : { ...s, start: ms(start), end: ms(end) });
  }
  return out;
}

/**
 * Stacks timelines: at every instant the person of the *last* timeline that has someone is on call. This is how
 * layers combine (a higher layer hides the ones below where it has someone, and lets them show through its gaps).
 */
export function stack(timelines: readonly (readonly Segment[])[]): Segment[] {
  const points = [...new Set(timelines.flatMap((t) => t.flatMap((s) => [s.start, s.end])))].sort(
    (a, b) => a - b,
  );
  const cursor = timelines.map(() => 0);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let owner: string | undefined;
    for (let layer = timelines.length - 1; layer >= 0 && owner === undefined; layer--) {
      const t = timelines[layer]!;
      while (cursor[layer]! < t.length && t[cursor[layer]!]!.end <= a) cursor[layer]!++;
      const s = t[cursor[layer]!];
      // Every segment edge is a point, so a segment that has begun by `a` covers all of [a, b).
      if (s && s.start <= a) owner = s.userId;
    }
    if (owner !== undefined) out.push({ userId: owner, start: a, end: b });
  }
  return mergeAdjacent(out);
}

/**
 * Applies overrides in order, each on top of the result so far: a cover replaces whoever is on call (and fills
 * gaps) in its range; a swap replaces only the named person's hours in its range.
 */
export function applyOverrides(base: readonly Segment[], overrides: readonly Override[]): Segment[] {
  let out: Segment[] = [...base];
  for (const o of overrides) {
    if (o.end <= o.start) continue;
    if (o.replacesUserId === null) {
      out = stack([out, [{ userId: o.userId, start: o.start, end: o.end }]]);
      continue;
    }
    const next: Segment[] = [];
    for (const s of out) {
      if (s.userId !== o.replacesUserId || s.end <= o.start || s.start >= o.end) {
        next.push(s);
        continue;
      }
      const from = Math.max(s.start, o.start);
      const to = Math.min(s.end, o.end);
      if (s.start < from) next.push({ ...s, end: ms(from) });
      next.push({ userId: o.userId, start: ms(from), end: ms(to) });
      if (to < s.end) next.push({ ...s, start: ms(to) });
    }
    out = mergeAdjacent(next);
  }
  return out;
}
