/**
 * On-call schedules: layers of rotations with restrictions, overrides, the final computed schedule, previews of
 * edits, iCal feeds. The engine (engine.ts, rotation.ts, segments.ts, preview.ts) is pure; the verbs load rows and
 * check permissions (team isolation as in the catalog). See docs/operations/schedules.md.
 */
export {
  listSchedules,
  getSchedule,
  createSchedule,
  updateSchedule,
  deleteSchedule,
  previewScheduleUpdate,
  PREVIEW_DAYS,
  type CreateScheduleInput,
  type UpdateScheduleInput,
} from './schedules.ts';
export {
  listOverrides,
  createOverride,
  deleteOverride,
  MAX_OVERRIDE_DAYS,
  type CreateOverrideInput,
} from './overrides.ts';
export {
  whoIsOnCall,
  getScheduleShifts,
  listScheduleGaps,
  onCallUserIds,
  scheduleShifts,
  teamOnCallUserIds,
  userShifts,
  myOnCall,
  type OnCallView,
  type ShiftsView,
  type MyOnCallView,
  type MyShiftView,
} from './oncall.ts';
export {
  createScheduleIcalFeed,
  createMyIcalFeed,
  listScheduleIcalFeeds,
  listMyIcalFeeds,
  revokeIcalFeed,
  renderIcalFeed,
  icalFeedUrl,
  ICAL_TOKEN_PREFIX,
  ICAL_PAST_DAYS,
  ICAL_FUTURE_DAYS,
  type IcalFeedView,
  type IssuedIcalFeed,
} from './ical-feeds.ts';
export { ICAL_CONTENT_TYPE } from './ical.ts';
export {
  finalSchedule,
  scheduleTimeline,
  coverageGaps,
  onCallAt,
  segmentAt,
  type Timeline,
} from './engine.ts';
export { layerSegments, rotationShifts, restrictionWindows } from './rotation.ts';
export {
  previewScheduleChange,
  dstTransitions,
  type SchedulePreview,
  type DstTransition,
} from './preview.ts';
export { checkLayers, checkTimeZone, type LayerInput } from './validate.ts';
export { MAX_RANGE_DAYS } from './views.ts';
export type {
  ScheduleView,
  OverrideView,
  SegmentView,
  IntervalView,
  SchedulePreviewView,
  UserRef,
} from './views.ts';
export {
  WEEKDAYS,
  SHIFT_UNITS,
  MAX_SHIFT_COUNT,
  MAX_LAYERS,
  MAX_PARTICIPANTS,
  MAX_RESTRICTIONS,
  type Schedule,
  type Layer,
  type Rotation,
  type Restriction,
  type ShiftLength,
  type ShiftUnit,
  type Weekday,
  type Override,
  type Segment,
  type Interval,
  type ScheduleSpec,
} from './model.ts';
export * as ScheduleSchemas from './schemas.ts';
