import { queryOptions } from '@tanstack/react-query';
import type { Service } from './catalog.ts';
import { expectArray, expectRecord, getJson, sendJson } from './client.ts';

/**
 * The Respond stage (src/http/routes/response): on-call schedules, escalation policies, shared channels, a
 * person's contact methods and notification rules, the delivery log and paging drills.
 */

// ---------------------------------------------------------------------------------------------------------------
// Schedules

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const SHIFT_UNITS = ['hours', 'days', 'weeks'] as const;
export type ShiftUnit = (typeof SHIFT_UNITS)[number];

export interface Rotation {
  shiftLength: { unit: ShiftUnit; count: number };
  /** `HH:MM`, wall clock in `timeZone`. */
  handoffTime: string;
  /** `YYYY-MM-DD`, the first hand-off day in `timeZone`. */
  startDate: string;
  timeZone: string;
}

/** A window of local time in which the layer is on call; `to <= from` ends the next day. */
export interface Restriction {
  days?: Weekday[];
  from: string;
  to: string;
}

export interface Layer {
  id: string;
  name: string;
  rotation: Rotation;
  /** User ids in hand-off order. */
  participants: string[];
  restrictions: Restriction[];
}

/** A layer as sent: a new layer has no id yet. */
export type LayerInput = Omit<Layer, 'id'> & { id?: string };

export interface Schedule {
  id: string;
  teamId: string;
  name: string;
  description: string;
  timeZone: string;
  /** Lowest first; later layers win. */
  layers: Layer[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleInput {
  teamId: string;
  name: string;
  description?: string;
  timeZone: string;
  layers?: LayerInput[];
}

export type ScheduleUpdate = Partial<ScheduleInput> & { version?: number };

export interface UserRef {
  id: string;
  name: string;
}

export interface Segment {
  userId: string;
  start: string;
  end: string;
}

export interface Interval {
  start: string;
  end: string;
}

export interface Override {
  id: string;
  scheduleId: string;
  userId: string;
  replacesUserId: string | null;
  start: string;
  end: string;
  note: string;
  createdBy: string;
  createdAt: string;
}

export interface OverrideInput {
  userId: string;
  replacesUserId?: string | null;
  start: string;
  end: string;
  note?: string;
}

export interface Shifts {
  scheduleId: string;
  timeZone: string;
  from: string;
  to: string;
  /** Who is on call after layers and overrides. */
  final: Segment[];
  layers: { id: string; name: string; segments: Segment[] }[];
  overrides: Override[];
  gaps: Interval[];
  users: UserRef[];
}

export interface OnCall {
  at: string;
  scheduleId: string;
  onCall: { userId: string; name: string; start: string; end: string }[];
}

export interface SchedulePreview {
  from: string;
  to: string;
  hoursByUser: { userId: string; beforeHours: number; afterHours: number; deltaHours: number }[];
  gapsAdded: Interval[];
  gapsRemoved: Interval[];
  dstTransitions: { at: string; timeZone: string; offsetBefore: string; offsetAfter: string }[];
  users: UserRef[];
}

export interface MyShift {
  scheduleId: string;
  scheduleName: string;
  teamId: string;
  start: string;
  end: string;
}

export interface MyOnCall {
  from: string;
  to: string;
  onCallNow: MyShift[];
  nextShift: MyShift | null;
  shifts: MyShift[];
}

export interface IcalFeed {
  id: string;
  scheduleId: string | null;
  userId: string | null;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A new calendar feed: the only answer that contains its secret URL. */
export interface IssuedIcalFeed {
  feed: IcalFeed;
  token: string;
  url: string;
}

const SCHEDULES = '/api/v1/schedules';
const schedulePath = (id: string) => `${SCHEDULES}/${encodeURIComponent(id)}`;
const parseSchedule = (path: string, body: unknown) => expectRecord<Schedule>(path, body, 'layers');
const withRange = (path: string, range: { from?: string; to?: string }) => {
  const params = new URLSearchParams();
  if (range.from) params.set('from', range.from);
  if (range.to) params.set('to', range.to);
  return params.size > 0 ? `${path}?${params.toString()}` : path;
};

export const schedulesQuery = queryOptions({
  queryKey: ['schedules', 'list'],
  queryFn: async ({ signal }) => expectArray<Schedule>(SCHEDULES, await getJson(SCHEDULES, { signal })),
});

export const scheduleQuery = (id: string) =>
  queryOptions({
    queryKey: ['schedules', 'one', id],
    queryFn: async ({ signal }) =>
      parseSchedule(schedulePath(id), await getJson(schedulePath(id), { signal })),
  });

export async function createSchedule(input: ScheduleInput): Promise<Schedule> {
  return parseSchedule(SCHEDULES, await sendJson('POST', SCHEDULES, input));
}

export async function updateSchedule(id: string, patch: ScheduleUpdate): Promise<Schedule> {
  return parseSchedule(schedulePath(id), await sendJson('PATCH', schedulePath(id), patch));
}

export async function deleteSchedule(id: string): Promise<void> {
  await sendJson('DELETE', schedulePath(id));
}

/** What a change would do over the next 90 days, without saving it. */
export async function previewSchedule(id: string, patch: ScheduleUpdate): Promise<SchedulePreview> {
  const path = `${schedulePath(id)}/preview`;
  return expectRecord<SchedulePreview>(path, await sendJson('POST', path, patch), 'hoursByUser');
}

export const onCallQuery = (scheduleId: string) =>
  queryOptions({
    queryKey: ['schedules', 'on-call', scheduleId],
    queryFn: async ({ signal }) => {
      const path = `${schedulePath(scheduleId)}/on-call`;
      return expectRecord<OnCall>(path, await getJson(path, { signal }), 'onCall');
    },
  });

export const shiftsQuery = (scheduleId: string, range: { from: string; to: string }) =>
  queryOptions({
    queryKey: ['schedules', 'shifts', scheduleId, range],
    queryFn: async ({ signal }) => {
      const path = withRange(`${schedulePath(scheduleId)}/shifts`, range);
      return expectRecord<Shifts>(path, await getJson(path, { signal }), 'final');
    },
  });

export const overridesQuery = (scheduleId: string) =>
  queryOptions({
    queryKey: ['schedules', 'overrides', scheduleId],
    queryFn: async ({ signal }) => {
      const path = `${schedulePath(scheduleId)}/overrides`;
      return expectArray<Override>(path, await getJson(path, { signal }));
    },
  });

export async function createOverride(scheduleId: string, input: OverrideInput): Promise<Override> {
  const path = `${schedulePath(scheduleId)}/overrides`;
  return expectRecord<Override>(path, await sendJson('POST', path, input), 'userId');
}

export async function deleteOverride(scheduleId: string, overrideId: string): Promise<void> {
  await sendJson('DELETE', `${schedulePath(scheduleId)}/overrides/${encodeURIComponent(overrideId)}`);
}

export const scheduleFeedsQuery = (scheduleId: string) =>
  queryOptions({
    queryKey: ['schedules', 'ical-feeds', scheduleId],
    queryFn: async ({ signal }) => {
      const path = `${schedulePath(scheduleId)}/ical-feeds`;
      return expectArray<IcalFeed>(path, await getJson(path, { signal }));
    },
  });

export async function createScheduleFeed(scheduleId: string): Promise<IssuedIcalFeed> {
  const path = `${schedulePath(scheduleId)}/ical`;
  return expectRecord<IssuedIcalFeed>(path, await sendJson('POST', path), 'url');
}

export async function createMyFeed(): Promise<IssuedIcalFeed> {
  return expectRecord<IssuedIcalFeed>('/api/v1/me/ical', await sendJson('POST', '/api/v1/me/ical'), 'url');
}

export async function revokeFeed(feedId: string): Promise<void> {
  await sendJson('DELETE', `/api/v1/ical-feeds/${encodeURIComponent(feedId)}`);
}

export const myOnCallQuery = (range: { from: string; to: string }) =>
  queryOptions({
    queryKey: ['me', 'on-call', range],
    queryFn: async ({ signal }) => {
      const path = withRange('/api/v1/me/on-call', range);
      return expectRecord<MyOnCall>(path, await getJson(path, { signal }), 'shifts');
    },
  });

// ---------------------------------------------------------------------------------------------------------------
// Escalation policies

export const TARGET_TYPES = ['user', 'schedule', 'team', 'channel'] as const;
export type TargetType = (typeof TARGET_TYPES)[number];

export const TARGET_TYPE_LABELS: Record<TargetType, string> = {
  user: 'Person',
  schedule: 'Schedule (whoever is on call)',
  team: 'Team (on call in its schedules)',
  channel: 'Channel',
};

export interface PolicyTargetInput {
  type: TargetType;
  id: string;
}

export interface PolicyStepInput {
  escalateAfterMinutes: number;
  targets: PolicyTargetInput[];
  roundRobin?: boolean;
}

export interface PolicyInput {
  name: string;
  teamId: string;
  description?: string;
  steps: PolicyStepInput[];
  repeat?: number;
}

export interface PolicyTarget {
  type: TargetType;
  id: string;
  name: string | null;
  channelKind: ChannelKind | null;
  /** Why this target may page nobody (a deactivated person, a deleted schedule). */
  warning: string | null;
}

export interface EscalationPolicy {
  id: string;
  name: string;
  description: string;
  teamId: string;
  steps: { escalateAfterMinutes: number; roundRobin: boolean; targets: PolicyTarget[] }[];
  repeat: number;
  version: number;
  /** From the config file: read-only here. */
  declared: boolean;
  createdAt: string;
  updatedAt: string;
}

export const MAX_REPEAT = 9;
export const MAX_STEPS = 20;

const POLICIES = '/api/v1/escalation-policies';
const policyPath = (id: string) => `${POLICIES}/${encodeURIComponent(id)}`;
const parsePolicy = (path: string, body: unknown) => expectRecord<EscalationPolicy>(path, body, 'steps');

export const policiesQuery = queryOptions({
  queryKey: ['escalation-policies', 'list'],
  queryFn: async ({ signal }) => expectArray<EscalationPolicy>(POLICIES, await getJson(POLICIES, { signal })),
});

export const policyQuery = (id: string) =>
  queryOptions({
    queryKey: ['escalation-policies', 'one', id],
    queryFn: async ({ signal }) => parsePolicy(policyPath(id), await getJson(policyPath(id), { signal })),
  });

export async function createPolicy(input: PolicyInput): Promise<EscalationPolicy> {
  return parsePolicy(POLICIES, await sendJson('POST', POLICIES, input));
}

export async function updatePolicy(id: string, patch: Partial<PolicyInput>): Promise<EscalationPolicy> {
  return parsePolicy(policyPath(id), await sendJson('PATCH', policyPath(id), patch));
}

export async function deletePolicy(id: string): Promise<void> {
  await sendJson('DELETE', policyPath(id));
}

/** Picks the escalation policy that pages for a service's incidents (null: nobody is paged). */
export async function setServicePolicy(serviceId: string, policyId: string | null): Promise<Service> {
  const path = `/api/v1/services/${encodeURIComponent(serviceId)}`;
  return expectRecord<Service>(
    path,
    await sendJson('PATCH', path, { escalationPolicyId: policyId }),
    'teamId',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Channels

export const CHANNEL_KINDS = [
  'email',
  'slack',
  'teams',
  'discord',
  'mattermost',
  'telegram',
  'ntfy',
  'webhook',
  'sms',
  'voice',
  'push',
] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  email: 'E-mail',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  discord: 'Discord',
  mattermost: 'Mattermost',
  telegram: 'Telegram',
  ntfy: 'ntfy',
  webhook: 'Webhook',
  sms: 'SMS',
  voice: 'Voice call',
  push: 'Web push',
};

export interface Channel {
  id: string;
  name: string;
  teamId: string;
  kind: ChannelKind;
  /** Settings that may be shown (an address, a Slack channel id, extra headers). */
  config: Record<string, unknown>;
  /** Names of the secret settings; their values never come back. */
  secretKeys: string[];
  hasSecrets: boolean;
  declared: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelInput {
  name: string;
  teamId: string;
  kind: ChannelKind;
  config?: Record<string, unknown>;
  secrets?: Record<string, string>;
}

const CHANNELS = '/api/v1/channels';
const channelPath = (id: string) => `${CHANNELS}/${encodeURIComponent(id)}`;

export const channelsQuery = queryOptions({
  queryKey: ['channels', 'list'],
  queryFn: async ({ signal }) => expectArray<Channel>(CHANNELS, await getJson(CHANNELS, { signal })),
});

export async function createChannel(input: ChannelInput): Promise<Channel> {
  return expectRecord<Channel>(CHANNELS, await sendJson('POST', CHANNELS, input), 'kind');
}

/**
 * A change to a channel: its kind is fixed and `config` is replaced whole. `secrets` are merged into the ones the
 * channel has: a string sets that secret, `null` removes it, and secrets not named are kept.
 */
export interface ChannelUpdate {
  name?: string;
  teamId?: string;
  config?: Record<string, unknown>;
  secrets?: Record<string, string | null>;
}

export async function updateChannel(id: string, patch: ChannelUpdate): Promise<Channel> {
  return expectRecord<Channel>(channelPath(id), await sendJson('PATCH', channelPath(id), patch), 'kind');
}

export async function deleteChannel(id: string): Promise<void> {
  await sendJson('DELETE', channelPath(id));
}

// ---------------------------------------------------------------------------------------------------------------
// Contact methods and notification rules (the signed-in person's own, under /api/v1/me)

export const CONTACT_KINDS = [
  'email',
  'sms',
  'voice',
  'slack_dm',
  'telegram',
  'ntfy',
  'webhook',
  'push',
] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const CONTACT_KIND_LABELS: Record<ContactKind, string> = {
  email: 'E-mail',
  sms: 'SMS',
  voice: 'Voice call',
  slack_dm: 'Slack direct message',
  telegram: 'Telegram',
  ntfy: 'ntfy',
  webhook: 'Webhook',
  push: 'Web push',
};

export type Urgency = 'high' | 'low';

export interface ContactMethod {
  id: string;
  userId: string;
  kind: ContactKind;
  name: string;
  address: string;
  verified: boolean;
  verifiedAt: string | null;
  disabled: boolean;
  disabledAt: string | null;
  /**
   * The provider said the destination is gone (a push service dropped the browser's subscription): the server stopped
   * paging it until it is subscribed again. `expiredReason` is what the provider answered.
   */
  expired: boolean;
  expiredAt: string | null;
  expiredReason: string | null;
  /** A code is outstanding: it was sent and not yet entered right. */
  verification: { codeSent: boolean; expiresAt: string | null; attemptsLeft: number } | null;
  createdAt: string;
  updatedAt: string;
}

/** A new contact method; a webhook's signing secret is in this answer only. */
export type CreatedContactMethod = ContactMethod & { signingSecret?: string };

export interface NotificationRule {
  id: string;
  contactMethodId: string;
  contactMethodKind: ContactKind;
  contactMethodName: string;
  urgency: Urgency;
  delayMinutes: number;
  /** The method is verified, enabled and not expired, so the rule pages. */
  active: boolean;
  createdAt: string;
}

export interface NotificationSetup {
  contactMethods: ContactMethod[];
  rules: { high: NotificationRule[]; low: NotificationRule[] };
  warnings: { code: string; message: string }[];
}

export const MAX_DELAY_MINUTES = 240;

const METHODS = '/api/v1/me/contact-methods';
const methodPath = (id: string) => `${METHODS}/${encodeURIComponent(id)}`;
const RULES = '/api/v1/me/notification-rules';
const parseMethod = (path: string, body: unknown) => expectRecord<ContactMethod>(path, body, 'kind');

export const notificationSetupQuery = queryOptions({
  queryKey: ['me', 'notification-setup'],
  queryFn: async ({ signal }) =>
    expectRecord<NotificationSetup>(
      '/api/v1/me/notification-setup',
      await getJson('/api/v1/me/notification-setup', { signal }),
      'contactMethods',
    ),
});

export async function createContactMethod(input: {
  kind: ContactKind;
  name?: string;
  address: string;
  /** Web push only: the subscription's `toJSON().keys`. */
  keys?: { p256dh: string; auth: string };
}): Promise<CreatedContactMethod> {
  return parseMethod(METHODS, await sendJson('POST', METHODS, input));
}

/** Whether the operator set VAPID keys, and the public key a browser subscribes with. */
export interface WebPushSetup {
  enabled: boolean;
  publicKey: string | null;
}

export const webPushQuery = queryOptions({
  queryKey: ['web-push'],
  queryFn: async ({ signal }) =>
    expectRecord<WebPushSetup>('/api/v1/web-push', await getJson('/api/v1/web-push', { signal }), 'enabled'),
  staleTime: Infinity,
});

/**
 * Points the push method with `oldEndpoint` at a new subscription of this browser; it stays verified and, if it had
 * expired, pages again. The service worker does this on `pushsubscriptionchange`; the profile on "Re-enable push".
 */
export async function renewPushSubscription(input: {
  oldEndpoint: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
}): Promise<ContactMethod> {
  const path = '/api/v1/me/push-subscriptions/renew';
  return parseMethod(path, await sendJson('POST', path, input));
}

export async function verifyContactMethod(id: string, code: string): Promise<ContactMethod> {
  const path = `${methodPath(id)}/verify`;
  return parseMethod(path, await sendJson('POST', path, { code }));
}

export async function resendVerificationCode(id: string): Promise<ContactMethod> {
  const path = `${methodPath(id)}/resend-code`;
  return parseMethod(path, await sendJson('POST', path));
}

/** Renames a method or moves it to a new address; a new address is unverified until its new code is entered. */
export async function updateContactMethod(
  id: string,
  patch: { name?: string; address?: string },
): Promise<ContactMethod> {
  return parseMethod(methodPath(id), await sendJson('PATCH', methodPath(id), patch));
}

export async function setContactMethodDisabled(id: string, disabled: boolean): Promise<ContactMethod> {
  const path = `${methodPath(id)}/${disabled ? 'disable' : 'enable'}`;
  return parseMethod(path, await sendJson('POST', path));
}

export async function deleteContactMethod(id: string): Promise<void> {
  await sendJson('DELETE', methodPath(id));
}

export async function createNotificationRule(input: {
  contactMethodId: string;
  urgency: Urgency;
  delayMinutes: number;
}): Promise<NotificationRule> {
  return expectRecord<NotificationRule>(RULES, await sendJson('POST', RULES, input), 'urgency');
}

export async function deleteNotificationRule(id: string): Promise<void> {
  await sendJson('DELETE', `${RULES}/${encodeURIComponent(id)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Delivery log and paging drills

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown' | 'suppressed' | 'bundled';
export type AttemptOutcome = 'sent' | 'failed_temporary' | 'failed_permanent' | 'unknown';

export interface DeliveryAttempt {
  attempt: number;
  startedAt: string;
  latencyMs: number;
  outcome: AttemptOutcome;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: string | null;
}

export interface Delivery {
  id: string;
  kind: 'page' | 'status' | 'test' | 'handoff' | 'verification' | 'bundle';
  event: 'triggered' | 'acknowledged' | 'resolved' | 'notice';
  status: DeliveryStatus;
  channelKind: ChannelKind;
  /** Who or where, in words. */
  to: string;
  userId: string | null;
  contactMethodId: string | null;
  /** The person's own name for the contact method used, e.g. "Backup phone". */
  contactMethodName: string | null;
  channelId: string | null;
  /** The escalation step and round that sent it, counted from 1. */
  step: number | null;
  round: number | null;
  attempts: number;
  nextAttemptAt: string | null;
  reason: string | null;
  bundleId: string | null;
  createdAt: string;
  sentAt: string | null;
  /** What the provider reported after accepting it (Twilio: delivered, undelivered, no-answer…). */
  providerStatus: string | null;
  providerStatusAt: string | null;
  history: DeliveryAttempt[];
}

export interface Drill {
  id: string;
  userId: string | null;
  policyId: string | null;
  outcome: 'running' | 'passed' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  summary: {
    steps: { step: number; people: string[]; channels: string[]; warnings: string[] }[];
    warnings: string[];
  };
  deliveries: Delivery[];
}

/** Where an incident's escalation stands, from the policy snapshot it opened with; null when it pages nobody. */
export interface Escalation {
  policyId: string;
  policyName: string;
  policyVersion: number;
  state: 'active' | 'stopped' | 'exhausted';
  /** Counted from 1; null before the first step ran. */
  step: number | null;
  steps: number;
  round: number;
  rounds: number;
  /** When the next step runs (active only); after the last step of the last round, when paging runs out. */
  nextStepAt: string | null;
  startedAt: string;
}

export const escalationQuery = (incidentId: string) =>
  queryOptions({
    queryKey: ['incidents', 'escalation', incidentId],
    queryFn: async ({ signal }): Promise<Escalation | null> => {
      const path = `/api/v1/incidents/${encodeURIComponent(incidentId)}/escalation`;
      const body = await getJson(path, { signal });
      return body === null ? null : expectRecord<Escalation>(path, body, 'state');
    },
  });

export const deliveriesQuery = (incidentId: string) =>
  queryOptions({
    queryKey: ['incidents', 'deliveries', incidentId],
    queryFn: async ({ signal }) => {
      const path = `/api/v1/incidents/${encodeURIComponent(incidentId)}/deliveries`;
      return expectArray<Delivery>(path, await getJson(path, { signal }));
    },
  });

/** Sends a test page by the real path: to a person's verified methods, or through a policy's steps. */
export async function startDrill(target: { userId: string } | { policyId: string }): Promise<Drill> {
  return expectRecord<Drill>('/api/v1/drills', await sendJson('POST', '/api/v1/drills', target), 'outcome');
}

/** The latest drills of a person or a policy, newest first. */
export const drillsQuery = (of: { userId: string } | { policyId: string }) =>
  queryOptions({
    queryKey: ['drills', 'list', of],
    queryFn: async ({ signal }) => {
      const params = new URLSearchParams(of);
      const path = `/api/v1/drills?${params.toString()}`;
      return expectArray<Drill>(path, await getJson(path, { signal }));
    },
  });

export const drillQuery = (id: string) =>
  queryOptions({
    queryKey: ['drills', 'one', id],
    queryFn: async ({ signal }) => {
      const path = `/api/v1/drills/${encodeURIComponent(id)}`;
      return expectRecord<Drill>(path, await getJson(path, { signal }), 'outcome');
    },
  });
