import { Counter, Histogram, type Registry } from 'prom-client';
import type { DomainMetrics } from '../platform/context.ts';

/** What operators alert on: alerts arriving, notifications going out, and providers' later word on them. */
export function createDomainMetrics(registry: Registry): DomainMetrics {
  const alerts = new Counter({
    name: 'siaga_alert_events_total',
    help: 'Alert events received, by source and by what each became (opened, repeated, acknowledged, resolved, ignored).',
    labelNames: ['source', 'outcome'] as const,
    registers: [registry],
  });
  const sent = new Counter({
    name: 'siaga_notifications_total',
    help: 'Provider calls by channel kind and recorded outcome (sent, failed_temporary, failed_permanent).',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'siaga_notification_duration_seconds',
    help: 'Time a provider call took, by channel kind.',
    labelNames: ['channel'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const reported = new Counter({
    name: 'siaga_notification_reports_total',
    help: "Providers' final word on messages they had accepted (Twilio status callbacks): delivered or failed.",
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
  });
  return {
    alertEvents(source, outcome, count) {
      alerts.inc({ source, outcome }, count);
    },
    notificationSent(channel, outcome, seconds) {
      sent.inc({ channel, outcome });
      duration.observe({ channel }, seconds);
    },
    notificationReported(channel, status) {
      reported.inc({ channel, status });
    },
  };
}
