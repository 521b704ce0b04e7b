import type { EpochMs } from '../../../platform/clock.ts';
import type { AlertSeverity } from '../../../storage/schema.ts';
import type { AlertEvent } from '../../events.ts';
import { truncateUtf8, type ParsedEmail } from './parsed-email.ts';

/**
 * Mail → alert, for monitoring tools that can only send email. Mail has no structure to rely on, so the
 * conventions are the ones such tools already follow: "RESOLVED: …" subjects close what the plain subject
 * opened, and `[critical]` tags carry severity. Senders that can set headers get exact control with
 * `X-Siaga-Dedup-Key` and `X-Siaga-Severity`.
 */

export interface MailToAlertOptions {
  /** The receive time: the alert's start. The mail's own `Date` is the sender's clock and may be off. */
  readonly now: EpochMs;
  /** The dedup key of a set of labels (the shared label fingerprint), applied to `{ subject, from }`. */
  readonly fingerprint: (labels: Readonly<Record<string, string>>) => string;
}

const MAX_SUMMARY = 1024;
const MAX_DESCRIPTION_BYTES = 4 * 1024;
const MAX_RAW_TEXT_BYTES = 16 * 1024;
/** Longer sender-chosen keys are hashed: kept distinct, but bounded like every other dedup key. */
const MAX_DEDUP_KEY = 255;
const SEVERITIES: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];

/** `RESOLVED`, `[RESOLVED]`, `Resolved:` and `OK:` at the start of the subject, with a following `:` or `-`. */
const RESOLVE_PREFIX = /^(?:\[resolved\]|resolved\b|ok\s*:)\s*[:-]?\s*/i;
const REPLY_PREFIXES = /^(?:(?:re|fwd?)\s*:\s*)+/i;
const SEVERITY_TAG = /\[(critical|error|warning|info)\]/gi;

export function mailToAlertEvent(mail: ParsedEmail, opts: MailToAlertOptions): AlertEvent {
  // "Re: RESOLVED: …" resolves too: a reply-all to a recovery mail must not reopen the alert it closed.
  const bare = mail.subject.replace(REPLY_PREFIXES, '');
  const resolving = RESOLVE_PREFIX.test(bare);
  const subject = resolving ? bare.replace(RESOLVE_PREFIX, '') : mail.subject;
  const labels: Record<string, string> = { source: 'email' };
  if (mail.from) labels.from = mail.from;
  const description = truncateUtf8(mail.text, MAX_DESCRIPTION_BYTES);
  return {
    action: resolving ? 'resolve' : 'trigger',
    fingerprint: dedupKey(mail, opts.fingerprint),
    summary: summaryOf(subject, mail.text),
    severity: severityOf(mail),
    labels,
    annotations: description.trim() ? { description } : {},
    startsAt: opts.now,
    endsAt: null,
    raw: {
      messageId: mail.messageId,
      from: mail.from,
      subject: mail.subject,
      date: mail.date,
      text: truncateUtf8(mail.text, MAX_RAW_TEXT_BYTES),
    },
  };
}

/**
 * The subject reduced to what names the problem, so the trigger, its repeats, its resolution, forwards and
 * severity changes ("[warning] disk 90%" → "[critical] disk 90%") all land on one alert: prefixes and severity
 * tags removed, whitespace collapsed, lower-cased.
 */
export function normalizeSubject(subject: string): string {
  let s = subject.replace(SEVERITY_TAG, ' ').trim();
  for (;;) {
    const next = s.replace(RESOLVE_PREFIX, '').replace(REPLY_PREFIXES, '').trimStart();
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

function dedupKey(mail: ParsedEmail, fingerprint: MailToAlertOptions['fingerprint']): string {
  const key = mail.headers['x-siaga-dedup-key']?.trim();
  if (key) return key.length <= MAX_DEDUP_KEY ? key : fingerprint({ dedupKey: key });
  return fingerprint({ subject: normalizeSubject(mail.subject), from: mail.from ?? '' });
}

function summaryOf(subject: string, text: string): string {
  const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
  const firstLine = text.split(/\r?\n/).map(oneLine).find(Boolean);
  const summary = oneLine(subject) || firstLine || '(no subject)';
  if (summary.length <= MAX_SUMMARY) return summary;
  const cut = summary.slice(0, MAX_SUMMARY - 1);
  return `${/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut}…`;
}

/** `X-Siaga-Severity` wins; an unknown value there falls back to the subject's tag, then to `warning`. */
function severityOf(mail: ParsedEmail): AlertSeverity {
  const header = mail.headers['x-siaga-severity']?.trim().toLowerCase();
  const fromHeader = SEVERITIES.find((s) => s === header);
  if (fromHeader) return fromHeader;
  const tag = /\[(critical|error|warning|info)\]/i.exec(mail.subject)?.[1]?.toLowerCase();
  return SEVERITIES.find((s) => s === tag) ?? 'warning';
}
