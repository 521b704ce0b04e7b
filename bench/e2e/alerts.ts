/**
 * The alerts of the end-to-end benchmark and how a notification is traced back to them. Every alert carries its
 * sequence number twice: as the `seq` label (Alertmanager's webhook body repeats the labels) and at the end of the
 * `summary` annotation (Siaga titles an incident of a service grouped per alert with the alert's summary, and the
 * webhook body carries the title, also inside a bundle's list of incidents).
 */

export const ALERTNAME = 'E2EBenchAlert';

/** One Prometheus-shaped alert, posted alone (one alert per request) to both targets. */
export function alertBody(runId: string, seq: number, startsAt: string, endsAt: string): Buffer {
  return Buffer.from(
    JSON.stringify([
      {
        labels: { alertname: ALERTNAME, job: 'bench', run: runId, seq: String(seq), severity: 'critical' },
        annotations: { summary: summaryOf(runId, seq) },
        startsAt,
        endsAt,
        generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=e2e_bench_metric+%3E+0',
      },
    ]),
  );
}

export const summaryOf = (runId: string, seq: number): string => `e2e ${runId} #${seq}`;

/** The sequence number of a Siaga incident title of this run, or undefined for anything else. */
export function seqFromTitle(runId: string, title: unknown): number | undefined {
  if (typeof title !== 'string') return undefined;
  const prefix = `e2e ${runId} #`;
  if (!title.startsWith(prefix)) return undefined;
  const n = Number(title.slice(prefix.length));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** What one webhook request told the receiver: the sequence numbers it names, and in which form. */
export interface Notified {
  /** Alerts named on their own (an Alertmanager group of one, a Siaga incident notification). */
  readonly single: number[];
  /** Alerts named inside a Siaga bundle (the summary of notifications over a destination's throttle). */
  readonly bundled: number[];
  /** Siaga's delivery id (`X-Webhook-Id`), the same on every attempt of one message. */
  readonly webhookId: string | undefined;
}

interface AmWebhook {
  alerts?: { labels?: Record<string, string> }[];
}
interface SiagaWebhook {
  incident?: { title?: unknown };
  bundle?: { incidents?: { title?: unknown }[] };
}

/** Reads a webhook body of either target; foreign or unreadable bodies name nothing. */
export function parseNotification(runId: string, body: string, webhookId: string | undefined): Notified {
  const single: number[] = [];
  const bundled: number[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { single, bundled, webhookId };
  }
  if (doc === null || typeof doc !== 'object') return { single, bundled, webhookId };
  const am = doc as AmWebhook;
  if (Array.isArray(am.alerts)) {
    for (const a of am.alerts) {
      if (a.labels?.run !== runId) continue;
      const n = Number(a.labels.seq);
      if (Number.isInteger(n) && n >= 0) single.push(n);
    }
  }
  const siaga = doc as SiagaWebhook;
  const own = seqFromTitle(runId, siaga.incident?.title);
  if (own !== undefined) single.push(own);
  for (const i of siaga.bundle?.incidents ?? []) {
    const n = seqFromTitle(runId, i.title);
    if (n !== undefined) bundled.push(n);
  }
  return { single, bundled, webhookId };
}
