import type { MessageIncident, Notifier, OutboundMessage } from './notifier.ts';
import { escapeXml } from './twilio-inbound.ts';
import { phoneNumberProblems, postTwilioForm, type TwilioAccountOptions } from './twilio-rest.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';
import { twilioStatusCallbackUrl } from './twilio-status.ts';

/**
 * Phone calls through Twilio's Calls API with the call's TwiML inline (`Twiml`), so Twilio never has to fetch
 * instructions from us while the phone rings. The callee presses 1 to acknowledge or 2 to resolve; Twilio posts
 * the key to `{publicUrl}/api/v1/callbacks/twilio/voice` with the message's action tokens in the query string.
 *
 * Like SMS, a call whose outcome is unknown is not placed again: a second call in the night is worse than relying
 * on the next rule or escalation step.
 */
export interface TwilioVoiceOptions extends TwilioAccountOptions {
  /** Siaga's public URL (`server.publicUrl`), which Twilio must be able to reach for the keypress callback. */
  readonly publicUrl: string;
}

export const TWILIO_VOICE_CALLBACK_PATH = '/api/v1/callbacks/twilio/voice';

export function createTwilioVoiceNotifier(opts: TwilioVoiceOptions): Notifier {
  return {
    kind: 'voice',
    capabilities: CHANNEL_CAPABILITIES.voice,
    secretKeys: [],
    check: phoneNumberProblems,
    async send(message, dest, ctx) {
      const form: Record<string, string> = {
        To: dest.address,
        From: opts.from,
        Twiml: voiceTwiml(message, opts.publicUrl),
      };
      if (opts.statusCallbackUrl)
        form.StatusCallback = twilioStatusCallbackUrl(opts.statusCallbackUrl, message.id);
      return postTwilioForm(ctx, opts, 'Calls', form);
    },
  };
}

/**
 * The call: what happened, then the keypress menu when the message carries acknowledge/resolve tokens. Everything
 * that came from outside (titles, service names) is XML-escaped; the tokens are URL-encoded, then escaped.
 */
export function voiceTwiml(message: OutboundMessage, publicUrl: string): string {
  const speech = escapeXml(spokenText(message));
  const ack = message.event === 'triggered' ? message.actions?.acknowledge : undefined;
  if (!ack) return `<Response><Say>${speech}</Say></Response>`;
  const resolve = message.actions?.resolve;
  const query = `token=${encodeURIComponent(ack.token)}${resolve ? `&rtoken=${encodeURIComponent(resolve.token)}` : ''}`;
  const action = `${publicUrl.replace(/\/+$/, '')}${TWILIO_VOICE_CALLBACK_PATH}?${query}`;
  const menu = resolve ? 'Press 1 to acknowledge, 2 to resolve.' : 'Press 1 to acknowledge.';
  return (
    `<Response><Gather numDigits="1" action="${escapeXml(action)}" method="POST">` +
    `<Say>${speech} ${menu}</Say></Gather><Say>No input received. Goodbye.</Say></Response>`
  );
}

const MAX_TITLE = 200;

function spokenText(message: OutboundMessage): string {
  const incident = message.incident;
  if (incident && message.kind !== 'bundle') return `This is Siaga. ${incidentSentence(message, incident)}`;
  // A verification code is read digit by digit ("1 2 3"), not as a number ("one hundred and twenty-three").
  const subject = message.kind === 'verification' ? spellDigits(message.subject) : message.subject;
  return `This is Siaga. ${oneLine(subject)}`;
}

function incidentSentence(message: OutboundMessage, incident: MessageIncident): string {
  const title = oneLine(incident.title);
  const shortTitle = title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE)}` : title;
  const what = `${incident.severity} incident ${incident.number} on ${oneLine(incident.serviceName)}: ${shortTitle}.`;
  switch (message.event) {
    case 'acknowledged':
      return `Acknowledged: ${what}`;
    case 'resolved':
      return `Resolved: ${what}`;
    case 'triggered':
    case 'notice':
      return `${what[0]!.toUpperCase()}${what.slice(1)}`;
  }
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

const spellDigits = (text: string): string => text.replace(/\d{2,}/g, (run) => run.split('').join(' '));
