import { Type } from 'typebox';
import { MAX_LAYERS, MAX_PARTICIPANTS, MAX_RESTRICTIONS, SHIFT_UNITS, WEEKDAYS } from './model.ts';

/**
 * HTTP schemas of schedules (TypeBox). Bodies are validated strictly here for shape; the verbs check the rest
 * (real time zones and dates, active users, ranges). Instants are ISO 8601 strings with `Z` or an offset.
 */

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,8}_[0-9A-Za-z]{10,40}$' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const hhMm = (description = '24-hour local time, HH:MM') =>
  Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. Europe/Berlin',
});
const Instant = Type.String({
  format: 'date-time',
  description: 'ISO 8601 date-time with Z or an offset, e.g. 2026-03-29T09:00:00+02:00',
});

export const IdParams = Type.Object({ id: Id });
export const OverrideParams = Type.Object({ id: Id, overrideId: Id });
export const ListSchedulesQuery = Type.Object({ teamId: Type.Optional(Id) });
export const AtQuery = Type.Object({
  at: Type.Optional(Type.String({ maxLength: 64, description: 'the instant to ask about (default: now)' })),
});
export const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ maxLength: 64, description: 'ISO 8601 date-time (default: now)' })),
  to: Type.Optional(
    Type.String({ maxLength: 64, description: 'ISO 8601 date-time; at most 366 days after from' }),
  ),
});
export const IcalParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) });

/** Actions that take no input: an empty JSON object or no body at all (as in the catalog). */
export const NoBody = Type.Unsafe<Record<string, never> | undefined>({
  properties: {},
  additionalProperties: false,
  not: { type: ['string', 'number', 'integer', 'boolean', 'array'] },
  description: 'no input: send nothing, or {}',
});

const Weekday = Type.Union(WEEKDAYS.map((d) => Type.Literal(d)));

export const RestrictionSchema = Type.Object(
  {
    days: Type.Optional(
      Type.Array(Weekday, {
        minItems: 1,
        maxItems: 7,
        uniqueItems: true,
        description: 'days a window starts on; left out: every day',
      }),
    ),
    from: hhMm(),
    to: hhMm('HH:MM; at or before from, the window ends the next day'),
  },
  { additionalProperties: false },
);

export const RotationSchema = Type.Object(
  {
    shiftLength: Type.Object(
      {
        unit: Type.Union(SHIFT_UNITS.map((u) => Type.Literal(u))),
        count: Type.Integer({ minimum: 1, maximum: 744 }),
      },
      { additionalProperties: false },
    ),
    handoffTime: hhMm(),
    startDate: Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: 'first hand-off day, YYYY-MM-DD',
    }),
    timeZone: TimeZone,
  },
  { additionalProperties: false },
);

const layerFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  rotation: RotationSchema,
  participants: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
    minItems: 1,
    maxItems: MAX_PARTICIPANTS,
    description: 'user ids in hand-off order; repeats allowed',
  }),
  restrictions: Type.Array(RestrictionSchema, {
    maxItems: MAX_RESTRICTIONS,
    description: 'local windows in which the layer is on call; empty: around the clock',
  }),
};

export const LayerInputSchema = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'kept when given' })),
    name: Type.Optional(layerFields.name),
    rotation: layerFields.rotation,
    participants: layerFields.participants,
    restrictions: Type.Optional(layerFields.restrictions),
  },
  { additionalProperties: false },
);

const Layers = Type.Array(LayerInputSchema, {
  maxItems: MAX_LAYERS,
  description: 'lowest first; later layers win',
});

export const CreateScheduleBody = Type.Object(
  {
    teamId: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    timeZone: TimeZone,
    layers: Type.Optional(Layers),
  },
  { additionalProperties: false },
);

export const UpdateScheduleBody = Type.Object(
  {
    teamId: Type.Optional(Id),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    timeZone: Type.Optional(TimeZone),
    layers: Type.Optional(Layers),
    version: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'the version you edited; refused with 409 if it changed since',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const LayerView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  rotation: RotationSchema,
  participants: Type.Array(Type.String()),
  restrictions: Type.Array(RestrictionSchema),
});

export const ScheduleView = Type.Object({
  id: Type.String(),
  teamId: Type.String(),
  name: Type.String(),
  description: Type.String(),
  timeZone: Type.String(),
  layers: Type.Array(LayerView),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const CreateOverrideBody = Type.Object(
  {
    userId: Id,
    replacesUserId: Type.Optional(Nullable(Id)),
    start: Instant,
    end: Instant,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const OverrideView = Type.Object({
  id: Type.String(),
  scheduleId: Type.String(),
  userId: Type.String(),
  replacesUserId: Nullable(Type.String()),
  start: Type.String(),
  end: Type.String(),
  note: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
});

const SegmentView = Type.Object({ userId: Type.String(), start: Type.String(), end: Type.String() });
const IntervalView = Type.Object({ start: Type.String(), end: Type.String() });
const UserRef = Type.Object({ id: Type.String(), name: Type.String() });

export const ShiftsView = Type.Object({
  scheduleId: Type.String(),
  timeZone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  final: Type.Array(SegmentView, { description: 'who is on call after layers and overrides' }),
  layers: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), segments: Type.Array(SegmentView) }),
  ),
  overrides: Type.Array(OverrideView),
  gaps: Type.Array(IntervalView),
  users: Type.Array(UserRef),
});

export const GapsView = Type.Object({
  scheduleId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  gaps: Type.Array(IntervalView),
});

export const OnCallView = Type.Object({
  at: Type.String(),
  scheduleId: Type.String(),
  onCall: Type.Array(
    Type.Object({ userId: Type.String(), name: Type.String(), start: Type.String(), end: Type.String() }),
  ),
});

export const PreviewView = Type.Object({
  from: Type.String(),
  to: Type.String(),
  hoursByUser: Type.Array(
    Type.Object({
      userId: Type.String(),
      beforeHours: Type.Number(),
      afterHours: Type.Number(),
      deltaHours: Type.Number(),
    }),
  ),
  gapsAdded: Type.Array(IntervalView),
  gapsRemoved: Type.Array(IntervalView),
  dstTransitions: Type.Array(
    Type.Object({
      at: Type.String(),
      timeZone: Type.String(),
      offsetBefore: Type.String(),
      offsetAfter: Type.String(),
    }),
  ),
  users: Type.Array(UserRef),
});

const MyShift = Type.Object({
  scheduleId: Type.String(),
  scheduleName: Type.String(),
  teamId: Type.String(),
  start: Type.String(),
  end: Type.String(),
});

export const MyOnCallView = Type.Object({
  from: Type.String(),
  to: Type.String(),
  onCallNow: Type.Array(MyShift),
  nextShift: Type.Union([MyShift, Type.Null()]),
  shifts: Type.Array(MyShift),
});

export const IcalFeedView = Type.Object({
  id: Type.String(),
  scheduleId: Nullable(Type.String()),
  userId: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
});

export const IssuedIcalFeed = Type.Object({
  feed: IcalFeedView,
  token: Type.String({ description: 'The secret. Shown only in this response.' }),
  url: Type.String({ description: 'Subscribe to this URL in a calendar app; it contains the secret.' }),
});
