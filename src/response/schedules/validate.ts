import { Temporal } from 'temporal-polyfill';
import type { FieldError } from '../../platform/errors.ts';
import {
  MAX_LAYERS,
  MAX_PARTICIPANTS,
  MAX_RESTRICTIONS,
  MAX_SHIFT_COUNT,
  SHIFT_UNITS,
  WEEKDAYS,
  type Layer,
  type Restriction,
  type ShiftUnit,
  type Weekday,
} from './model.ts';

/**
 * Checks of a schedule's layers beyond what JSON Schema expresses (a real time zone, a real date) and safe on
 * input that never went through a schema (CLI, config, older rows). Every function returns field errors with
 * JSON pointers, empty when the input is usable, and a normalised value (canonical zone names, trimmed names).
 * Whether participants are active users is checked by the verb, which has the database.
 */

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const LAYER_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Rotations outside these years are typos, and far dates make every computation walk centuries. */
const MIN_YEAR = 1970;
const MAX_YEAR = 2200;

type Json = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Checked<T> {
  readonly value: T | undefined;
  readonly errors: FieldError[];
}

/**
 * The canonical IANA name of a zone (`europe/berlin` → `Europe/Berlin`), or a problem. Fixed offsets are refused
 * although Temporal accepts them: a rotation written in Berlin's winter offset would hand off an hour late all
 * summer, which is the mistake a named zone exists to prevent.
 */
export function checkTimeZone(tz: unknown): { zone?: string; problem?: string } {
  const example = 'use an IANA time zone name such as "Europe/Berlin" or "UTC"';
  if (typeof tz !== 'string' || tz.trim() === '') return { problem: `is required: ${example}` };
  if (/^[+\-\u2212]/.test(tz.trim()))
    return { problem: `"${tz}" is a fixed offset, which ignores daylight saving: ${example}` };
  try {
    return { zone: new Temporal.ZonedDateTime(0n, tz.trim()).timeZoneId };
  } catch {
    return { problem: `"${tz}" is not a known time zone: ${example}` };
  }
}

function unknownKeys(input: Json, allowed: readonly string[], pointer: string, errors: FieldError[]): void {
  for (const k of Object.keys(input))
    if (!allowed.includes(k)) errors.push({ pointer: `${pointer}/${k}`, detail: 'is not a known property' });
}

function checkTime(v: unknown, pointer: string, errors: FieldError[]): string | undefined {
  if (typeof v === 'string' && HH_MM.test(v)) return v;
  errors.push({ pointer, detail: 'must be a 24-hour time HH:MM, e.g. "09:00" or "23:30"' });
  return undefined;
}

function checkDate(v: unknown, pointer: string, errors: FieldError[]): string | undefined {
  if (typeof v === 'string' && DATE.test(v)) {
    try {
      const d = Temporal.PlainDate.from(v, { overflow: 'reject' });
      if (d.year >= MIN_YEAR && d.year <= MAX_YEAR) return v;
      errors.push({ pointer, detail: `must be a date between ${MIN_YEAR} and ${MAX_YEAR}` });
      return undefined;
    } catch {
      // Falls through: 2026-02-30 matches the pattern but is no date.
    }
  }
  errors.push({ pointer, detail: 'must be a calendar date YYYY-MM-DD, e.g. "2026-03-02"' });
  return undefined;
}

function checkRotation(input: unknown, p: string, errors: FieldError[]): Layer['rotation'] | undefined {
  if (!isObject(input)) {
    errors.push({ pointer: p, detail: 'must be an object: shiftLength, handoffTime, startDate, timeZone' });
    return undefined;
  }
  unknownKeys(input, ['shiftLength', 'handoffTime', 'startDate', 'timeZone'], p, errors);
  const before = errors.length;
  let unit: ShiftUnit | undefined;
  let count: number | undefined;
  const sl = input.shiftLength;
  if (!isObject(sl)) {
    errors.push({
      pointer: `${p}/shiftLength`,
      detail: 'must be an object such as {"unit": "weeks", "count": 1}',
    });
  } else {
    unknownKeys(sl, ['unit', 'count'], `${p}/shiftLength`, errors);
    if (SHIFT_UNITS.includes(sl.unit as ShiftUnit)) unit = sl.unit as ShiftUnit;
    else
      errors.push({ pointer: `${p}/shiftLength/unit`, detail: `must be one of ${SHIFT_UNITS.join(', ')}` });
    const max = unit ? MAX_SHIFT_COUNT[unit] : Math.max(...Object.values(MAX_SHIFT_COUNT));
    if (typeof sl.count === 'number' && Number.isInteger(sl.count) && sl.count >= 1 && sl.count <= max)
      count = sl.count;
    else
      errors.push({
        pointer: `${p}/shiftLength/count`,
        detail: `must be a whole number from 1 to ${max}${unit ? ` (${unit})` : ''}`,
      });
  }
  const handoffTime = checkTime(input.handoffTime, `${p}/handoffTime`, errors);
  const startDate = checkDate(input.startDate, `${p}/startDate`, errors);
  const tz = checkTimeZone(input.timeZone);
  if (tz.problem) errors.push({ pointer: `${p}/timeZone`, detail: tz.problem });
  if (errors.length > before || !unit || !count || !handoffTime || !startDate || !tz.zone) return undefined;
  return { shiftLength: { unit, count }, handoffTime, startDate, timeZone: tz.zone };
}

function checkRestriction(input: unknown, p: string, errors: FieldError[]): Restriction | undefined {
  if (!isObject(input)) {
    errors.push({ pointer: p, detail: 'must be an object such as {"from": "09:00", "to": "17:00"}' });
    return undefined;
  }
  unknownKeys(input, ['days', 'from', 'to'], p, errors);
  const before = errors.length;
  let days: Weekday[] | undefined;
  if (input.days !== undefined) {
    if (!Array.isArray(input.days) || input.days.length === 0) {
      errors.push({
        pointer: `${p}/days`,
        detail: 'must list at least one weekday (mon … sun), or be left out for every day',
      });
    } else {
      const seen = new Set<Weekday>();
      (input.days as unknown[]).forEach((d, i) => {
        if (!WEEKDAYS.includes(d as Weekday))
          errors.push({ pointer: `${p}/days/${i}`, detail: `must be one of ${WEEKDAYS.join(', ')}` });
        else if (seen.has(d as Weekday))
          errors.push({ pointer: `${p}/days/${i}`, detail: `lists "${String(d)}" twice` });
        else seen.add(d as Weekday);
      });
      days = WEEKDAYS.filter((d) => seen.has(d));
    }
  }
  const from = checkTime(input.from, `${p}/from`, errors);
  const to = checkTime(input.to, `${p}/to`, errors);
  if (errors.length > before || !from || !to) return undefined;
  return days ? { days, from, to } : { from, to };
}

function checkLayer(input: unknown, p: string, index: number, errors: FieldError[]): LayerInput | undefined {
  if (!isObject(input)) {
    errors.push({ pointer: p, detail: 'must be an object: name, rotation, participants, restrictions' });
    return undefined;
  }
  unknownKeys(input, ['id', 'name', 'rotation', 'participants', 'restrictions'], p, errors);
  const before = errors.length;
  let id: string | undefined;
  if (input.id !== undefined) {
    if (typeof input.id === 'string' && LAYER_ID.test(input.id)) id = input.id;
    else errors.push({ pointer: `${p}/id`, detail: 'must be 1 to 64 letters, digits, "_" or "-"' });
  }
  let name = `Layer ${index + 1}`;
  if (input.name !== undefined) {
    const trimmed = typeof input.name === 'string' ? input.name.trim() : '';
    if (trimmed.length >= 1 && trimmed.length <= 100) name = trimmed;
    else errors.push({ pointer: `${p}/name`, detail: 'must have 1 to 100 characters' });
  }
  const rotation = checkRotation(input.rotation, `${p}/rotation`, errors);
  const participants: string[] = [];
  if (
    !Array.isArray(input.participants) ||
    input.participants.length < 1 ||
    input.participants.length > MAX_PARTICIPANTS
  ) {
    errors.push({
      pointer: `${p}/participants`,
      detail: `must list 1 to ${MAX_PARTICIPANTS} user ids in hand-off order`,
    });
  } else {
    (input.participants as unknown[]).forEach((u, i) => {
      if (typeof u === 'string' && u.length >= 1 && u.length <= 64) participants.push(u);
      else errors.push({ pointer: `${p}/participants/${i}`, detail: 'must be a user id' });
    });
  }
  const restrictions: Restriction[] = [];
  const rawRestrictions = input.restrictions ?? [];
  if (!Array.isArray(rawRestrictions) || rawRestrictions.length > MAX_RESTRICTIONS) {
    errors.push({
      pointer: `${p}/restrictions`,
      detail: `must be a list of at most ${MAX_RESTRICTIONS} windows (empty: on call around the clock)`,
    });
  } else {
    (rawRestrictions as unknown[]).forEach((r, i) => {
      const checked = checkRestriction(r, `${p}/restrictions/${i}`, errors);
      if (checked) restrictions.push(checked);
    });
  }
  if (errors.length > before || !rotation) return undefined;
  return { ...(id ? { id } : {}), name, rotation, participants, restrictions };
}

/** A layer as given: the id may be left out on a new layer (the verb assigns one). */
export type LayerInput = Omit<Layer, 'id'> & { readonly id?: string };

/** Checks a list of layers; ids, where given, must be unique. */
export function checkLayers(input: unknown, pointer = '/layers'): Checked<LayerInput[]> {
  const errors: FieldError[] = [];
  if (!Array.isArray(input) || input.length > MAX_LAYERS) {
    errors.push({ pointer, detail: `must be a list of at most ${MAX_LAYERS} layers (lowest first)` });
    return { value: undefined, errors };
  }
  const layers: LayerInput[] = [];
  const ids = new Set<string>();
  (input as unknown[]).forEach((raw, i) => {
    const layer = checkLayer(raw, `${pointer}/${i}`, i, errors);
    if (layer?.id !== undefined) {
      if (ids.has(layer.id))
        errors.push({ pointer: `${pointer}/${i}/id`, detail: `repeats layer id "${layer.id}"` });
      ids.add(layer.id);
    }
    if (layer) layers.push(layer);
  });
  return errors.length > 0 ? { value: undefined, errors } : { value: layers, errors };
}
