/**
 * Stage 3 — Triage & Notify: on-call schedules, escalation policies, people's contact methods and rules, the
 * notify pipeline with its delivery log, channels, one-click actions and paging drills.
 *
 * Other modules import this module through this file only.
 */
export { RESPONSE_HANDLERS } from './escalation/handlers.ts';
export { EscalationStep } from './escalation/engine.ts';
export { createDispatcher, type DispatcherDeps } from './notify/dispatcher.ts';
export { createNotifiers, destinationProblems } from './channels/registry.ts';
export type { Notifier, OutboundMessage, Destination, SendOutcome } from './channels/notifier.ts';
export { PEOPLE_SECRET_COLUMNS } from './people/index.ts';
export { CHANNEL_SECRETS } from './channels/channels.repo.ts';
export { onCallUserIds, scheduleShifts, teamOnCallUserIds, userShifts } from './schedules/index.ts';
export { policySnapshot } from './policies/index.ts';
export { scheduleHandoffScan, sendHandoffNotices } from './notify/handoff-notices.ts';
