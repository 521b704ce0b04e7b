/**
 * Source adapters: pure functions from a sender's payload (and the receive time) to `AlertEvent`s. Everything
 * after them — routing, dedup, grouping, silences — is shared by every source.
 */
export {
  DEFAULT_RESOLVE_TIMEOUT_MS,
  MAX_ALERTS_PER_REQUEST,
  SUMMARY_MAX_CHARS,
  mapSeverity,
  parseAmApiAlerts,
  parseRfc3339,
  toAlertEventsFromAmApi,
  type AmApiOptions,
  type AmApiParseResult,
  type Fingerprinter,
} from './alertmanager-api.ts';
export {
  MAX_WEBHOOK_ALERTS,
  toAlertEventsFromAmWebhook,
  type AmWebhookOptions,
} from './alertmanager-webhook.ts';
export {
  PD_DEDUP_KEY_MAX_CHARS,
  pagerDutyErrorBody,
  parsePagerDutyChangeEvent,
  parsePagerDutyEvent,
  parsePagerDutyV1Event,
  type PagerDutyAction,
  type PagerDutyChangeEnqueue,
  type PagerDutyEnqueue,
  type PagerDutyErrorBody,
  type PagerDutyEventOptions,
} from './pagerduty.ts';
export {
  resolvePointer,
  toAlertEventsFromGeneric,
  validateGenericMapping,
  type GenericMapping,
  type GenericOptions,
  type MappedAction,
} from './generic-webhook.ts';
export {
  DEFAULT_LIQUID_LIMITS,
  RenderBudget,
  createSandboxedLiquid,
  type LiquidLimits,
  type SandboxedLiquid,
  type TemplateSite,
} from './liquid.ts';
export {
  DEFAULT_SIGNATURE_TOLERANCE_MS,
  signWebhook,
  verifyWebhookSignature,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
} from './signature.ts';
export * from './schemas.ts';
