/**
 * Stage 2 — Alerting: ingestion (Alertmanager, PagerDuty Events v2, webhooks, email), dedup, routing, grouping
 * into incidents, silences, maintenance windows, inhibition and flap detection.
 *
 * Other modules import this module through this file only.
 */
export type { AlertEvent, AlertSource, ChangeEvent } from './events.ts';
export { ingestAlertEvents, type IngestInput } from './ingest/ingest.ts';
export type { AppliedEvent } from './ingest/apply.ts';
export { listAlerts, getAlert, type AlertFilter, type AlertPage } from './alerts/query.ts';
export { acknowledgeAlert, resolveAlert } from './alerts/actions.ts';
export type { AlertView } from './alerts/views.ts';
export {
  listAlertmanagerAlerts,
  listAlertmanagerGroups,
  listReceivers,
  UNROUTED_RECEIVER,
  type AmAlertFilter,
  type AmAlertView,
} from './alerts/alertmanager-view.ts';
export {
  listIncidents,
  getIncident,
  acknowledgeIncident,
  resolveIncident,
  unacknowledgeIncident,
  type ActionVia,
  type IncidentDetail,
  type IncidentFilter,
} from './incidents/incidents.ts';
export type { IncidentView, TimelineEntryView } from './incidents/views.ts';
export {
  IncidentOpened,
  IncidentAcknowledged,
  IncidentUnacknowledged,
  IncidentResolved,
  type IncidentFact,
} from './incidents/facts.ts';
export { appendTimeline, type TimelineActor, type TimelineType } from './incidents/timeline.ts';
export { servicesInMaintenance } from './noise/muted-services.ts';
export {
  saveSilence,
  expireSilence,
  getSilence,
  listSilences,
  type SilenceView,
  type SilenceInput,
  type SilenceState,
} from './silences/silences.ts';
export {
  parseMatchers,
  parseMatcher,
  fingerprint,
  formatMatcher,
  type Matcher,
  type MatcherInput,
} from './matchers/index.ts';
export * as Sources from './sources/index.ts';
export { recordChangeEvent } from './changes.ts';
export { SenderRateLimiter } from './ingest/sender-limits.ts';
export {
  alertingSweepHandler,
  scheduleAlertingSweep,
  resolveExpiredAlerts,
  SWEEP_INTERVAL_MS,
} from './sweep.ts';
export {
  listRoutes,
  getRoute,
  createRoute,
  updateRoute,
  deleteRoute,
  reorderRoutes,
  type RouteView,
  type CreateRouteInput,
  type UpdateRouteInput,
} from './routing/routes.ts';
export { dryRunRoutes, type DryRunResult, type DryRunTarget } from './routing/dry-run.ts';
export type { RouteStep } from './routing/evaluate.ts';
export {
  listMaintenanceWindows,
  getMaintenanceWindow,
  createMaintenanceWindow,
  updateMaintenanceWindow,
  deleteMaintenanceWindow,
  type MaintenanceWindowView,
  type MaintenanceWindowInput,
} from './noise/maintenance-windows.ts';
export { MaintenanceScheduleSchema, type MaintenanceSchedule, WEEKDAYS } from './noise/maintenance.ts';
export {
  listInhibitionRules,
  getInhibitionRule,
  createInhibitionRule,
  updateInhibitionRule,
  deleteInhibitionRule,
  type InhibitionRuleView,
  type InhibitionRuleInput,
} from './noise/inhibition-rules.ts';
