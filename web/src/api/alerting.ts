import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { expectArray, expectRecord, getJson, isRecord, sendJson, unexpected } from './client.ts';

/**
 * Alerts, incidents, silences (Alertmanager API v2 shapes), routing rules, maintenance windows and inhibition
 * rules (src/http/routes/alerting).
 */

export const SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AlertStatus = 'triggered' | 'acknowledged' | 'resolved';
/** What the lists filter by: `open` is triggered or acknowledged. */
export const STATUS_FILTERS = ['open', 'triggered', 'acknowledged', 'resolved', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export type Labels = Record<string, string>;

export interface Alert {
  id: string;
  serviceId: string | null;
  integrationId: string | null;
  fingerprint: string;
  source: string;
  status: AlertStatus;
  summary: string;
  severity: Severity;
  labels: Labels;
  annotations: Labels;
  generatorUrl: string | null;
  startsAt: string;
  endsAt: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  occurrences: number;
  incidentId: string | null;
  /** The service's name and the incident's number, for display. */
  serviceName: string | null;
  incidentNumber: number | null;
  /** Why no incident was opened: `silence:<id>`, `maintenance:<id>`, `inhibited:<rule>`, `flapping`. */
  mutedBy: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
}

export interface AlertDetail extends Alert {
  /** The payload it arrived with, while kept. */
  raw: unknown;
}

export interface AlertFilter {
  status?: StatusFilter;
  serviceId?: string;
  /** Label matchers, e.g. `env="prod"` or `{env="prod", team=~"db.*"}`. */
  filter?: string;
  q?: string;
}

export interface Incident {
  id: string;
  number: number;
  serviceId: string;
  serviceName: string;
  title: string;
  severity: Severity;
  urgency: 'high' | 'low';
  status: AlertStatus;
  alertCount: number;
  openAlertCount: number;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  version: number;
}

export interface TimelineEntry {
  id: string;
  at: string;
  type: string;
  actor: Record<string, unknown>;
  data: Record<string, unknown>;
}

export interface ChangeEvent {
  id: string;
  summary: string;
  source: string | null;
  at: string;
  links: unknown;
}

export interface IncidentDetail {
  incident: Incident;
  alerts: Alert[];
  timeline: TimelineEntry[];
  changes: ChangeEvent[];
}

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

export type SilenceState = 'pending' | 'active' | 'expired';

export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  createdBy: string;
  comment: string;
  status: { state: SilenceState };
}

export interface SilenceInput {
  /** Given: the silence is updated (Alertmanager may replace it with a new id). */
  id?: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface Route {
  id: string;
  name: string;
  position?: number;
  matchers: Matcher[];
  /** null: the rule takes the alert but sends it nowhere (unrouted). */
  serviceId: string | null;
  serviceName?: string | null;
  continue: boolean;
  isDefault: boolean;
  setSeverity: Severity | null;
  setLabels: Labels;
  declared?: boolean;
}

export interface RouteInput {
  name: string;
  matchers: Matcher[];
  serviceId: string | null;
  continue: boolean;
  isDefault: boolean;
  setSeverity: Severity | null;
  setLabels: Labels;
}

export type RouteOutcome = 'matched' | 'not-matched' | 'skipped' | 'default';

export interface DryRunResult {
  targets: {
    ruleId: string;
    ruleName?: string;
    serviceId: string | null;
    serviceName?: string | null;
    setSeverity?: Severity | null;
    setLabels?: Labels;
    /** What would mute the alert at that service right now: `silence:<id>`, `maintenance:<id>`, `inhibited:<rule>`. */
    suppressedBy?: string | null;
  }[];
  steps: { ruleId: string; name: string; outcome: RouteOutcome; reason: string }[];
  unrouted?: boolean;
  suppressedBy?: string | null;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** An instant as the API gives it: an ISO string, or epoch milliseconds (a once-schedule's bounds). */
export type Instant = string | number;

export type MaintenanceSchedule =
  /** The API takes and gives these bounds in epoch milliseconds. */
  | { kind: 'once'; startsAt: Instant; endsAt: Instant }
  | {
      kind: 'weekly';
      days: Weekday[];
      /** Wall-clock `HH:MM` in `timeZone`. */
      start: string;
      durationMinutes: number;
      timeZone: string;
    };

export interface MaintenanceWindow {
  id: string;
  name: string;
  serviceId: string | null;
  serviceName?: string | null;
  matchers: Matcher[];
  schedule: MaintenanceSchedule;
  createdBy?: string;
  /** Mutes new alert openings right now. */
  active: boolean;
  next: { startsAt: Instant; endsAt: Instant }[];
}

export interface MaintenanceInput {
  name: string;
  serviceId: string | null;
  matchers: Matcher[];
  schedule: MaintenanceSchedule;
}

export interface InhibitionRule {
  id: string;
  name: string;
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
  declared?: boolean;
}

export type InhibitionInput = Omit<InhibitionRule, 'id' | 'declared'>;

// ---------------------------------------------------------------------------------------------------------------
// Alerts

const ALERTS = '/api/v1/alerts';
const alertPath = (id: string) => `${ALERTS}/${encodeURIComponent(id)}`;
export const ALERT_PAGE_SIZE = 100;

export function alertSearch(filter: AlertFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.serviceId) params.set('serviceId', filter.serviceId);
  if (filter.filter?.trim()) params.set('filter', filter.filter.trim());
  if (filter.q?.trim()) params.set('q', filter.q.trim());
  return params;
}

interface AlertPage {
  items: Alert[];
  nextCursor: string | null;
}

export const alertsQuery = (filter: AlertFilter) =>
  infiniteQueryOptions({
    queryKey: ['alerts', 'list', filter],
    initialPageParam: '',
    queryFn: async ({ pageParam, signal }) => {
      const params = alertSearch(filter);
      params.set('limit', String(ALERT_PAGE_SIZE));
      if (pageParam) params.set('cursor', pageParam);
      const path = `${ALERTS}?${params.toString()}`;
      return expectRecord<AlertPage>(path, await getJson(path, { signal }), 'items');
    },
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const alertQuery = (id: string) =>
  queryOptions({
    queryKey: ['alerts', 'one', id],
    queryFn: async ({ signal }) =>
      expectRecord<AlertDetail>(alertPath(id), await getJson(alertPath(id), { signal }), 'labels'),
  });

export async function acknowledgeAlert(id: string): Promise<AlertDetail> {
  const path = `${alertPath(id)}/acknowledge`;
  return expectRecord<AlertDetail>(path, await sendJson('POST', path, {}), 'labels');
}

export async function resolveAlert(id: string): Promise<AlertDetail> {
  const path = `${alertPath(id)}/resolve`;
  return expectRecord<AlertDetail>(path, await sendJson('POST', path, {}), 'labels');
}

// ---------------------------------------------------------------------------------------------------------------
// Incidents

const INCIDENTS = '/api/v1/incidents';
const incidentPath = (id: string) => `${INCIDENTS}/${encodeURIComponent(id)}`;

interface IncidentPage {
  items: Incident[];
  nextBefore: number | null;
}

export const incidentsQuery = (filter: { status?: StatusFilter; serviceId?: string }) =>
  infiniteQueryOptions({
    queryKey: ['incidents', 'list', filter],
    initialPageParam: 0,
    queryFn: async ({ pageParam, signal }) => {
      const params = new URLSearchParams();
      if (filter.status) params.set('status', filter.status);
      if (filter.serviceId) params.set('serviceId', filter.serviceId);
      if (pageParam) params.set('before', String(pageParam));
      const path = `${INCIDENTS}${params.size > 0 ? `?${params.toString()}` : ''}`;
      return expectRecord<IncidentPage>(path, await getJson(path, { signal }), 'items');
    },
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });

export const incidentQuery = (id: string) =>
  queryOptions({
    queryKey: ['incidents', 'one', id],
    queryFn: async ({ signal }) =>
      expectRecord<IncidentDetail>(incidentPath(id), await getJson(incidentPath(id), { signal }), 'incident'),
  });

/** `acknowledge`, `resolve`, or `unacknowledge` (the incident triggers again and escalation restarts). */
export async function actOnIncident(
  id: string,
  action: 'acknowledge' | 'resolve' | 'unacknowledge',
): Promise<Incident> {
  const path = `${incidentPath(id)}/${action}`;
  return expectRecord<Incident>(path, await sendJson('POST', path, {}), 'status');
}

export const acknowledgeIncident = (id: string): Promise<Incident> => actOnIncident(id, 'acknowledge');
export const resolveIncident = (id: string): Promise<Incident> => actOnIncident(id, 'resolve');

// ---------------------------------------------------------------------------------------------------------------
// Silences (Alertmanager API v2)

export const silencesQuery = (filter: string) =>
  queryOptions({
    queryKey: ['silences', 'list', filter],
    queryFn: async ({ signal }) => {
      const params = new URLSearchParams();
      if (filter.trim()) params.set('filter', filter.trim());
      const path = `/api/v2/silences${params.size > 0 ? `?${params.toString()}` : ''}`;
      return expectArray<Silence>(path, await getJson(path, { signal }));
    },
  });

/** Creates a silence, or updates the one with `input.id`; resolves with the silence's id. */
export async function saveSilence(input: SilenceInput): Promise<string> {
  const body = await sendJson('POST', '/api/v2/silences', input);
  return expectRecord<{ silenceID: string }>('/api/v2/silences', body, 'silenceID').silenceID;
}

export async function expireSilence(id: string): Promise<void> {
  await sendJson('DELETE', `/api/v2/silence/${encodeURIComponent(id)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Routing rules, maintenance windows, inhibition rules

/** A list answer: a plain array, or `{items: [...]}`. */
function listOf<T>(path: string, body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (isRecord(body) && Array.isArray(body['items'])) return body['items'] as T[];
  throw unexpected(path);
}

function crud<T, I>(base: string, key: string) {
  const one = (id: string) => `${base}/${encodeURIComponent(id)}`;
  return {
    query: queryOptions({
      queryKey: [key, 'list'],
      queryFn: async ({ signal }) => listOf<T>(base, await getJson(base, { signal })),
    }),
    create: async (input: I): Promise<T> => expectRecord<T>(base, await sendJson('POST', base, input), 'id'),
    update: async (id: string, patch: Partial<I>): Promise<T> =>
      expectRecord<T>(one(id), await sendJson('PATCH', one(id), patch), 'id'),
    remove: async (id: string): Promise<void> => {
      await sendJson('DELETE', one(id));
    },
  };
}

export const routesApi = crud<Route, RouteInput & { position?: number }>('/api/v1/routes', 'routes');
export const maintenanceApi = crud<MaintenanceWindow, MaintenanceInput>(
  '/api/v1/maintenance-windows',
  'maintenance-windows',
);
export const inhibitionApi = crud<InhibitionRule, InhibitionInput>(
  '/api/v1/inhibition-rules',
  'inhibition-rules',
);

export async function dryRunRoutes(labels: Labels): Promise<DryRunResult> {
  const path = '/api/v1/routes/dry-run';
  return expectRecord<DryRunResult>(path, await sendJson('POST', path, { labels }), 'steps');
}

// ---------------------------------------------------------------------------------------------------------------
// Matchers and labels as people type them

export const OPERATORS = ['=', '!=', '=~', '!~'] as const;
export type Operator = (typeof OPERATORS)[number];

export const operatorOf = (m: Matcher): Operator => {
  const equal = m.isEqual !== false;
  if (m.isRegex) return equal ? '=~' : '!~';
  return equal ? '=' : '!=';
};

export const matcherFrom = (name: string, op: Operator, value: string): Matcher => ({
  name,
  value,
  isRegex: op === '=~' || op === '!~',
  isEqual: op === '=' || op === '=~',
});

/** `env="prod"`, as Alertmanager and amtool write a matcher. */
export const formatMatcher = (m: Matcher): string => `${m.name}${operatorOf(m)}${JSON.stringify(m.value)}`;

/** `{"a":"b"}` or lines of `key=value` (quotes around the value optional) → labels; throws with the bad line. */
export function parseLabels(text: string): Labels {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  if (trimmed.startsWith('{')) {
    const parsed = parseJson(trimmed);
    if (parsed !== undefined) {
      if (!isRecord(parsed)) throw new Error('The JSON must be an object of label names to values.');
      const labels: Labels = {};
      for (const [name, value] of Object.entries(parsed)) {
        if (typeof value !== 'string') throw new Error(`The value of ${name} must be a string.`);
        labels[name] = value;
      }
      return labels;
    }
  }
  const labels: Labels = {};
  const lines = trimmed
    .replace(/^\{|\}$/g, '')
    .split(/\n|,(?=\s*[A-Za-z_][A-Za-z0-9_]*\s*=)/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  for (const line of lines) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*(.*)$/.exec(line);
    if (!match?.[1]) throw new Error(`Cannot read “${line}”: write one name=value per line.`);
    let value = (match[2] ?? '').trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      try {
        value = JSON.parse(value) as string;
      } catch {
        value = value.slice(1, -1);
      }
    }
    labels[match[1]] = value;
  }
  return labels;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** An instant the API gave as ISO text or epoch ms, as ISO text. */
export function instantIso(value: Instant): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
