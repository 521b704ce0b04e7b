import type { EpochMs } from '../../platform/clock.ts';
import { validationError } from '../../platform/errors.ts';
import type { AlertEvent } from '../events.ts';
import {
  FieldErrors,
  describe,
  invalid,
  isRecord,
  mapSeverity,
  pointerOf,
  readAnnotations,
  readInstant,
  readLabelSet,
  safeHttpUrl,
  summaryOf,
  type Fingerprinter,
} from './alertmanager-api.ts';

/**
 * An existing Alertmanager forwarding to Siaga through a `webhook_config` receiver (payload version 4).
 *
 * Alertmanager retries a 5xx forever and drops a 4xx, so everything wrong with a payload must come out as a
 * 4xx AppError — never a TypeError from an unexpected shape. There is deliberately no catch-all turning
 * exceptions into 4xx (it would hide real bugs); a property test feeds this arbitrary JSON instead.
 */

export interface AmWebhookOptions {
  readonly now: EpochMs;
  readonly fingerprint: Fingerprinter;
}

/**
 * Above Alertmanager's usual groups but bounded: a group larger than this is refused rather than
 * monopolising the ingest transaction (Alertmanager's `max_alerts` keeps groups small on the sender side).
 */
export const MAX_WEBHOOK_ALERTS = 10_000;

/** Alertmanager's fingerprint: 64-bit FNV-1a of the label set, printed as 16 hex digits. */
const AM_FINGERPRINT = /^[0-9a-f]{16}$/;

/**
 * One event per alert of the notification. `firing` → trigger with no end (Alertmanager re-sends the group
 * every `repeat_interval` and sends `resolved` when it ends); `resolved` → resolve at its `endsAt`.
 */
export function toAlertEventsFromAmWebhook(body: unknown, opts: AmWebhookOptions): AlertEvent[] {
  if (!isRecord(body)) {
    throw validationError('expected an Alertmanager webhook notification (a JSON object)', [
      { pointer: '', detail: `expected an object, got ${describe(body)}` },
    ]);
  }
  const version = body['version'];
  if (version !== '4') {
    throw validationError(
      `unsupported webhook payload version ${describe(version)}: Siaga accepts Alertmanager webhook version "4"`,
      [{ pointer: '/version', detail: 'expected "4"' }],
    );
  }
  const alerts = body['alerts'];
  if (!Array.isArray(alerts)) {
    throw validationError('the webhook notification has no alerts array', [
      { pointer: '/alerts', detail: `expected an array, got ${describe(alerts)}` },
    ]);
  }
  if (alerts.length > MAX_WEBHOOK_ALERTS) {
    throw validationError(
      `too many alerts in one notification: ${alerts.length} (at most ${MAX_WEBHOOK_ALERTS})`,
      [{ pointer: '/alerts', detail: `at most ${MAX_WEBHOOK_ALERTS} alerts` }],
    );
  }
  const errors = new FieldErrors();
  const groupKey = body['groupKey'];
  if (groupKey !== undefined && typeof groupKey !== 'string') {
    errors.add('/groupKey', `expected a string, got ${describe(groupKey)}`);
  }
  const senderGroupKey = typeof groupKey === 'string' && groupKey !== '' ? groupKey : undefined;
  const events: AlertEvent[] = [];
  alerts.forEach((alert: unknown, i) => {
    const event = parseAlert(alert, pointerOf('alerts', i), senderGroupKey, opts, errors);
    if (event) events.push(event);
  });
  if (errors.count > 0) throw invalid('invalid Alertmanager webhook payload', errors.list, errors.count);
  return events;
}

function parseAlert(
  alert: unknown,
  at: string,
  senderGroupKey: string | undefined,
  { now, fingerprint }: AmWebhookOptions,
  errors: FieldErrors,
): AlertEvent | undefined {
  if (!isRecord(alert)) {
    errors.add(at, `expected an alert object, got ${describe(alert)}`);
    return undefined;
  }
  const status = alert['status'];
  if (status !== 'firing' && status !== 'resolved') {
    errors.add(`${at}/status`, `expected "firing" or "resolved", got ${describe(status)}`);
  }
  const labels = readLabelSet(alert['labels'], `${at}/labels`, errors);
  const annotations = readAnnotations(alert['annotations'], `${at}/annotations`, errors);
  const startsAtIn = readInstant(alert['startsAt'], `${at}/startsAt`, errors);
  const endsAtIn = readInstant(alert['endsAt'], `${at}/endsAt`, errors);
  const sent = alert['fingerprint'];
  if (sent !== undefined && typeof sent !== 'string') {
    errors.add(`${at}/fingerprint`, `expected a string, got ${describe(sent)}`);
  }
  if ((status !== 'firing' && status !== 'resolved') || !labels || !annotations) return undefined;
  if (startsAtIn === null || endsAtIn === null || (sent !== undefined && typeof sent !== 'string'))
    return undefined;

  const resolved = status === 'resolved';
  const startsAt = startsAtIn ?? (resolved && endsAtIn !== undefined && endsAtIn < now ? endsAtIn : now);
  // Alertmanager hides the end of a firing alert (zero time); a resolved one ends at its endsAt, or now.
  const endsAt = resolved ? (endsAtIn ?? now) : null;
  if (endsAt !== null && endsAt < startsAt) {
    errors.add(`${at}/endsAt`, 'endsAt is before startsAt');
    return undefined;
  }
  const fp = typeof sent === 'string' && AM_FINGERPRINT.test(sent) ? sent : fingerprint(labels);
  return {
    action: resolved ? 'resolve' : 'trigger',
    fingerprint: fp,
    summary: summaryOf(annotations, labels, fp),
    severity: mapSeverity(labels['severity']),
    labels,
    annotations,
    startsAt,
    endsAt,
    generatorUrl: safeHttpUrl(alert['generatorURL']),
    senderGroupKey,
    raw: alert,
  };
}
