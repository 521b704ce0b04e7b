import type { Notifier, OutboundMessage } from './notifier.ts';
import { phoneNumberProblems, postTwilioForm, type TwilioAccountOptions } from './twilio-rest.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';
import { twilioStatusCallbackUrl } from './twilio-status.ts';

/**
 * SMS through Twilio's Messages API (or any API-compatible gateway at `baseUrl`). One text per message, kept to
 * one 160-character segment where the title allows; the person answers by replying `a 42` / `r 42`, which Twilio
 * posts to the inbound webhook (twilio-inbound.ts).
 *
 * An SMS whose outcome is unknown (timeout after the request left, crash before the answer was recorded) is not
 * sent again: Twilio has no idempotency key for messages, so a re-send is a second text on the person's phone at
 * 3 a.m., and the next notification rule or escalation step fires anyway if nobody acknowledges.
 */
export type TwilioSmsOptions = TwilioAccountOptions;

export function createTwilioSmsNotifier(opts: TwilioSmsOptions): Notifier {
  return {
    kind: 'sms',
    capabilities: CHANNEL_CAPABILITIES.sms,
    secretKeys: [],
    check: phoneNumberProblems,
    async send(message, dest, ctx) {
      const form: Record<string, string> = { To: dest.address, From: opts.from, Body: smsText(message) };
      if (opts.statusCallbackUrl)
        form.StatusCallback = twilioStatusCallbackUrl(opts.statusCallbackUrl, message.id);
      return postTwilioForm(ctx, opts, 'Messages', form);
    },
  };
}

const SEGMENT = 160;
const MIN_TITLE = 24;

/**
 * `Siaga #42 CRITICAL payments: Checkout error rate high - reply "a 42" to acknowledge, "r 42" to resolve`.
 * Only the title is shortened to fit one segment; the reply hint is never cut, since it is how the person acts.
 * ASCII punctuation only (no dashes or ellipses outside GSM-7), so the text is not sent as UCS-2 with its
 * 70-character segments.
 */
export function smsText(message: OutboundMessage): string {
  const incident = message.incident;
  if (!incident || message.kind === 'bundle') return `Siaga: ${oneLine(message.subject)}`;
  const label =
    message.event === 'acknowledged' || message.event === 'resolved'
      ? message.event.toUpperCase()
      : incident.severity.toUpperCase();
  const head = `Siaga #${incident.number} ${label} ${oneLine(incident.serviceName)}: `;
  const tail = replyHint(message, incident.number);
  const room = Math.max(MIN_TITLE, SEGMENT - head.length - tail.length);
  return `${head}${shorten(oneLine(incident.title), room)}${tail}`;
}

function replyHint(message: OutboundMessage, n: number): string {
  if (message.event !== 'triggered' || !message.actions?.acknowledge) return '';
  const resolve = message.actions.resolve ? `, "r ${n}" to resolve` : '';
  return ` - reply "a ${n}" to acknowledge${resolve}`;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

function shorten(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 3)
        .join('')
        .trimEnd()}...`;
}
