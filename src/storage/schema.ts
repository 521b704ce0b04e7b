import type { EpochMs } from '../platform/clock.ts';
import type {
  ATTEMPT_OUTCOMES,
  CHANNEL_KINDS,
  CONTACT_KINDS,
  DELIVERY_EVENTS,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
} from './migrations/0006-response.ts';

/**
 * Row types exactly as stored, one interface per table; domain types and the mapping live in each module's
 * repository. Column rules (enforced by the migration helpers and checked by test/e2e/migrations.test.ts):
 * ids are TEXT `<prefix>_<ULID>`; times are epoch milliseconds (`*_at`, BIGINT / INTEGER); JSON is TEXT parsed
 * at the repository boundary; booleans are BOOLEAN / INTEGER 0-1 read with `Boolean()`.
 */

export const JOB_STATES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobsTable {
  id: string;
  kind: string;
  /** JSON: ids and fencing tokens, never entity snapshots. */
  payload: string;
  state: JobState;
  /** Lower runs first. */
  priority: number;
  run_at: EpochMs;
  attempts: number;
  max_attempts: number;
  lease_owner: string | null;
  lease_expires_at: EpochMs | null;
  dedup_key: string | null;
  last_error: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  finished_at: EpochMs | null;
}

export interface LeasesTable {
  name: string;
  owner: string | null;
  expires_at: EpochMs;
  acquired_at: EpochMs | null;
}

export const ROLES = ['admin', 'responder', 'observer', 'stakeholder'] as const;
export type RoleName = (typeof ROLES)[number];

export interface UsersTable {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  time_zone: string;
  locale: string;
  role: RoleName;
  status: 'active' | 'deactivated';
  /** PHC-style scrypt string; null for users who only sign in with SSO. */
  password_hash: string | null;
  /** `<issuer>#<sub>` of the SSO identity that created or claimed this user. */
  sso_subject: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  last_login_at: EpochMs | null;
  deactivated_at: EpochMs | null;
}

export interface TeamsTable {
  id: string;
  name: string;
  description: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: RoleName;
  created_at: EpochMs;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  method: 'password' | 'sso' | 'setup';
  ip: string;
  user_agent: string;
  created_at: EpochMs;
  last_seen_at: EpochMs;
  expires_at: EpochMs;
  revoked_at: EpochMs | null;
}

export interface ApiTokensTable {
  id: string;
  token_hash: string;
  /** First characters of the token, shown in lists so people can tell their tokens apart. */
  prefix: string;
  name: string;
  kind: 'personal' | 'service';
  /** Owner (personal) or creator (service). */
  user_id: string;
  team_id: string | null;
  role: RoleName;
  /** JSON array of scopes. */
  scopes: string;
  created_at: EpochMs;
  expires_at: EpochMs | null;
  last_used_at: EpochMs | null;
  revoked_at: EpochMs | null;
}

export interface SetupTokensTable {
  id: string;
  token_hash: string;
  created_at: EpochMs;
  expires_at: EpochMs;
  used_at: EpochMs | null;
}

export interface AuditLogTable {
  id: string;
  at: EpochMs;
  actor_kind: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  outcome: 'success' | 'failure';
  object_type: string | null;
  object_id: string | null;
  team_id: string | null;
  /** JSON, secrets redacted. */
  before: string | null;
  after: string | null;
  detail: string | null;
  ip: string | null;
  request_id: string | null;
}

export interface RateLimitsTable {
  bucket: string;
  window_started_at: EpochMs;
  count: number;
}

export interface SsoProvidersTable {
  id: string;
  /** URL-safe name in the sign-in and callback paths; unique. */
  slug: string;
  display_name: string;
  issuer: string;
  client_id: string;
  /** Sealed with the SecretBox (AAD `sso_providers.client_secret:<id>`); never shown. */
  client_secret: string;
  /** Space-separated, always including `openid`. */
  scopes: string;
  groups_claim: string;
  /** JSON `[{ group, role }]`: the global role a group grants. */
  role_mappings: string;
  /** JSON `[{ group, teamId, role }]`: the team membership a group grants. */
  team_mappings: string;
  /** Role of a just-in-time user whose groups match no mapping; null refuses such a sign-in. */
  default_role: RoleName | null;
  /** Write booleans; SQLite reads them back as 0/1, so read with `Boolean()`. */
  jit: boolean | number;
  enabled: boolean | number;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface SsoLoginStatesTable {
  id: string;
  provider_id: string;
  /** SHA-256 of the `state` parameter. */
  state_hash: string;
  nonce: string;
  /** PKCE code verifier, sealed (AAD `sso_login_states.code_verifier:<id>`). */
  code_verifier: string;
  /** A same-origin path, checked when the row is written. */
  return_to: string;
  created_at: EpochMs;
  expires_at: EpochMs;
}

type Bool = boolean | number;

export interface ServicesTable {
  id: string;
  name: string;
  description: string;
  team_id: string;
  escalation_policy_id: string | null;
  /** JSON `{mode: 'labels', labels: string[]} | {mode: 'sender'} | {mode: 'alert'}`. */
  grouping: string;
  auto_resolve: Bool;
  urgency: 'high' | 'low';
  /** Declared in the YAML config file: edits through the API are refused (the file is the source of truth). */
  declared: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface IntegrationsTable {
  id: string;
  service_id: string;
  name: string;
  kind: 'alertmanager' | 'pagerduty' | 'webhook' | 'email';
  /** SHA-256 (hex) of the key; the key is shown once. */
  key_hash: string;
  /** First characters of the key, to recognise it in lists. */
  key_prefix: string;
  /** JSON per-kind settings, never secrets. */
  config: string;
  /** Sealed JSON list of HMAC secrets, newest first (AAD `integrations.signing_secrets:<id>`). */
  signing_secrets: string | null;
  declared: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
  last_event_at: EpochMs | null;
}

export interface RoutesTable {
  id: string;
  position: number;
  name: string;
  /** JSON `Matcher[]`. */
  matchers: string;
  service_id: string | null;
  continue: Bool;
  is_default: Bool;
  set_severity: AlertSeverity | null;
  /** JSON `Record<string, string>`. */
  set_labels: string;
  declared: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface CountersTable {
  name: string;
  value: number;
}

export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';
export type AlertStatus = 'triggered' | 'acknowledged' | 'resolved';

export interface IncidentsTable {
  id: string;
  number: number;
  service_id: string;
  title: string;
  severity: AlertSeverity;
  urgency: 'high' | 'low';
  status: AlertStatus;
  group_key: string;
  alert_count: number;
  open_alert_count: number;
  opened_at: EpochMs;
  acknowledged_at: EpochMs | null;
  resolved_at: EpochMs | null;
  updated_at: EpochMs;
  version: number;
}

export interface AlertsTable {
  id: string;
  /** The service id, or '' while no route takes the alert. */
  service_key: string;
  service_id: string | null;
  integration_id: string | null;
  fingerprint: string;
  source: 'alertmanager_api' | 'alertmanager_webhook' | 'pagerduty' | 'webhook' | 'email' | 'api';
  status: AlertStatus;
  summary: string;
  severity: AlertSeverity;
  /** JSON `Record<string, string>`. */
  labels: string;
  annotations: string;
  generator_url: string | null;
  sender_group_key: string | null;
  starts_at: EpochMs;
  ends_at: EpochMs | null;
  /**
   * When the sweep next looks at this open alert: never later than `ends_at`, and moved forward by the sweep
   * rather than by every repeat (which would move it in its index each time). Null when `ends_at` is.
   */
  ends_check_at: EpochMs | null;
  first_seen_at: EpochMs;
  last_seen_at: EpochMs;
  occurrences: number;
  incident_id: string | null;
  muted_by: string | null;
  acknowledged_at: EpochMs | null;
  resolved_at: EpochMs | null;
  raw: string | null;
  raw_expires_at: EpochMs | null;
  updated_at: EpochMs;
}

export interface TimelineEventsTable {
  id: string;
  incident_id: string;
  at: EpochMs;
  type: string;
  actor: string;
  data: string;
}

export interface ChangeEventsTable {
  id: string;
  service_id: string;
  integration_id: string | null;
  summary: string;
  source: string | null;
  at: EpochMs;
  links: string;
  details: string;
  created_at: EpochMs;
}

export interface SilencesTable {
  id: string;
  matchers: string;
  starts_at: EpochMs;
  ends_at: EpochMs;
  created_by: string;
  comment: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface MaintenanceWindowsTable {
  id: string;
  name: string;
  service_id: string | null;
  matchers: string;
  schedule: string;
  created_by: string;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface InboundNoncesTable {
  key: string;
  expires_at: EpochMs;
}

export interface InhibitionRulesTable {
  id: string;
  name: string;
  source_matchers: string;
  target_matchers: string;
  /** JSON `string[]`: label names that must be equal in source and target. */
  equal: string;
  declared: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

// ---- Stage 3: response (on-call, escalation, notification) ----

export type ContactKind = (typeof CONTACT_KINDS)[number];
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];
export type DeliveryEvent = (typeof DELIVERY_EVENTS)[number];
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export interface SchedulesTable {
  id: string;
  team_id: string;
  name: string;
  description: string;
  time_zone: string;
  /** JSON: the layers document (src/response/schedules). */
  layers: string;
  version: number;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface ScheduleOverridesTable {
  id: string;
  schedule_id: string;
  user_id: string;
  replaces_user_id: string | null;
  starts_at: EpochMs;
  ends_at: EpochMs;
  note: string;
  created_by: string;
  created_at: EpochMs;
}

export interface IcalFeedsTable {
  id: string;
  token_hash: string;
  schedule_id: string | null;
  user_id: string | null;
  created_by: string;
  created_at: EpochMs;
  revoked_at: EpochMs | null;
}

export interface EscalationPoliciesTable {
  id: string;
  team_id: string;
  name: string;
  description: string;
  /** JSON: ordered steps (src/response/policies). */
  steps: string;
  repeat: number;
  version: number;
  declared: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface EscalationsTable {
  incident_id: string;
  policy_id: string;
  /** JSON: the policy as it was when the incident opened. */
  policy_snapshot: string;
  step_index: number;
  round: number;
  seq: number;
  state: 'active' | 'stopped' | 'exhausted';
  /** JSON: round-robin position per step index. */
  cursors: string;
  next_step_at: EpochMs | null;
  started_at: EpochMs;
  updated_at: EpochMs;
}

export interface ChannelsTable {
  id: string;
  team_id: string;
  name: string;
  kind: ChannelKind;
  /** JSON: settings that may be shown. */
  config: string;
  /** Sealed JSON: the secret settings. */
  secrets: string | null;
  declared: Bool;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface ContactMethodsTable {
  id: string;
  user_id: string;
  kind: ContactKind;
  name: string;
  address: string;
  /** Sealed JSON. */
  secrets: string | null;
  verified_at: EpochMs | null;
  verification_hash: string | null;
  verification_expires_at: EpochMs | null;
  verification_attempts: number;
  disabled_at: EpochMs | null;
  /** Set by the server when the provider said the destination is gone (a dropped push subscription). */
  expired_at: EpochMs | null;
  /** Why, for the owner: the provider's answer in a few words. Null when not expired. */
  expired_reason: string | null;
  created_at: EpochMs;
  updated_at: EpochMs;
}

export interface NotificationRulesTable {
  id: string;
  user_id: string;
  contact_method_id: string;
  urgency: 'high' | 'low';
  delay_minutes: number;
  created_at: EpochMs;
}

export interface DeliveriesTable {
  id: string;
  incident_id: string | null;
  kind: DeliveryKind;
  event: DeliveryEvent;
  user_id: string | null;
  contact_method_id: string | null;
  channel_id: string | null;
  channel_kind: ChannelKind;
  destination: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: EpochMs;
  send_deadline_at: EpochMs | null;
  provider_message_id: string | null;
  /** The provider's latest report after the send (Twilio: `delivered`, `undelivered`, `no-answer`, …). */
  provider_status: string | null;
  provider_status_at: EpochMs | null;
  dedup_key: string;
  bundle_id: string | null;
  /** JSON (may hold sealed parts). */
  payload: string;
  reason: string | null;
  step: number | null;
  round: number | null;
  created_at: EpochMs;
  updated_at: EpochMs;
  sent_at: EpochMs | null;
}

export interface DeliveryAttemptsTable {
  id: string;
  delivery_id: string;
  attempt: number;
  started_at: EpochMs;
  latency_ms: number;
  outcome: AttemptOutcome;
  status_code: number | null;
  error: string | null;
  next_attempt_at: EpochMs | null;
}

export interface PagingDrillsTable {
  id: string;
  user_id: string | null;
  policy_id: string | null;
  started_by: string;
  started_at: EpochMs;
  finished_at: EpochMs | null;
  outcome: 'running' | 'passed' | 'failed';
  /** JSON. */
  summary: string;
}

export interface Database {
  jobs: JobsTable;
  leases: LeasesTable;
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  setup_tokens: SetupTokensTable;
  audit_log: AuditLogTable;
  rate_limits: RateLimitsTable;
  sso_providers: SsoProvidersTable;
  sso_login_states: SsoLoginStatesTable;
  services: ServicesTable;
  integrations: IntegrationsTable;
  routes: RoutesTable;
  counters: CountersTable;
  incidents: IncidentsTable;
  alerts: AlertsTable;
  timeline_events: TimelineEventsTable;
  change_events: ChangeEventsTable;
  silences: SilencesTable;
  maintenance_windows: MaintenanceWindowsTable;
  inbound_nonces: InboundNoncesTable;
  inhibition_rules: InhibitionRulesTable;
  schedules: SchedulesTable;
  schedule_overrides: ScheduleOverridesTable;
  ical_feeds: IcalFeedsTable;
  escalation_policies: EscalationPoliciesTable;
  escalations: EscalationsTable;
  channels: ChannelsTable;
  contact_methods: ContactMethodsTable;
  notification_rules: NotificationRulesTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  paging_drills: PagingDrillsTable;
}
