import {
  WEEKDAYS,
  type Layer,
  type LayerInput,
  type Restriction,
  type ShiftUnit,
  type Weekday,
} from '../../api/response.ts';

/** A layer as its form holds it: restrictions with an explicit (possibly empty = every day) list of days. */
export interface LayerDraft {
  id?: string;
  name: string;
  unit: ShiftUnit;
  count: number;
  handoffTime: string;
  startDate: string;
  timeZone: string;
  participants: string[];
  restrictions: { days: Weekday[]; from: string; to: string }[];
}

export function newLayerDraft(position: number, timeZone: string, today: string): LayerDraft {
  return {
    name: `Layer ${position}`,
    unit: 'weeks',
    count: 1,
    handoffTime: '09:00',
    startDate: today,
    timeZone,
    participants: [],
    restrictions: [],
  };
}

export function draftOf(layer: Layer): LayerDraft {
  return {
    id: layer.id,
    name: layer.name,
    unit: layer.rotation.shiftLength.unit,
    count: layer.rotation.shiftLength.count,
    handoffTime: layer.rotation.handoffTime,
    startDate: layer.rotation.startDate,
    timeZone: layer.rotation.timeZone,
    participants: [...layer.participants],
    restrictions: layer.restrictions.map((r) => ({ days: [...(r.days ?? [])], from: r.from, to: r.to })),
  };
}

/** The API's layer; a restriction on every day (or none chosen) leaves `days` out. */
export function layerOf(draft: LayerDraft): LayerInput {
  const restrictions: Restriction[] = draft.restrictions.map((r) => {
    const days = WEEKDAYS.filter((day) => r.days.includes(day));
    return days.length === 0 || days.length === 7
      ? { from: r.from, to: r.to }
      : { days, from: r.from, to: r.to };
  });
  return {
    ...(draft.id !== undefined ? { id: draft.id } : {}),
    name: draft.name.trim() || 'Layer',
    rotation: {
      shiftLength: { unit: draft.unit, count: draft.count },
      handoffTime: draft.handoffTime,
      startDate: draft.startDate,
      timeZone: draft.timeZone,
    },
    participants: draft.participants,
    restrictions,
  };
}

/** Layers to send, keeping every existing layer's id so the server keeps them. */
export const layersOf = (layers: readonly Layer[]): LayerInput[] => layers.map((layer) => ({ ...layer }));

/** What is missing before the layer can be saved, in words; undefined when it is complete. */
export function draftProblem(draft: LayerDraft): string | undefined {
  if (draft.participants.length === 0) return 'Add at least one person to the rotation.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.startDate)) return 'Choose the day of the first hand-off.';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(draft.handoffTime)) return 'Enter the hand-off time as HH:MM.';
  if (!(draft.count >= 1)) return 'A shift is at least 1 hour, day or week long.';
  return undefined;
}

/** Moves item `index` one place up (-1) or down (+1); out of range changes nothing. */
export function move<T>(items: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const next = [...items];
  [next[index], next[target]] = [next[target] as T, next[index] as T];
  return next;
}

export function describeShift(unit: ShiftUnit, count: number): string {
  if (count !== 1) return `Every ${count} ${unit}`;
  return unit === 'hours' ? 'Every hour' : unit === 'days' ? 'Daily' : 'Weekly';
}

const dayLabel = (day: Weekday): string => day.charAt(0).toUpperCase() + day.slice(1);

/** "Mon–Fri", "Sat, Sun", "Mon, Wed–Fri": the days in week order, three or more in a row as a range. */
export function describeDays(days: readonly Weekday[]): string {
  const chosen = WEEKDAYS.filter((day) => days.includes(day));
  if (chosen.length === 0 || chosen.length === WEEKDAYS.length) return 'Every day';
  const runs: Weekday[][] = [];
  for (const day of chosen) {
    const run = runs.at(-1);
    const last = run?.at(-1);
    if (run && last !== undefined && WEEKDAYS.indexOf(last) + 1 === WEEKDAYS.indexOf(day)) run.push(day);
    else runs.push([day]);
  }
  return runs
    .flatMap((run) => {
      const [first, last] = [run[0], run.at(-1)];
      return run.length >= 3 && first && last ? [`${dayLabel(first)}–${dayLabel(last)}`] : run.map(dayLabel);
    })
    .join(', ');
}

/** "Mon–Fri 09:00–17:00", "Every day 22:00–06:00". */
export function describeRestriction(r: Restriction): string {
  return `${describeDays(r.days ?? [])} ${r.from}–${r.to}`;
}
