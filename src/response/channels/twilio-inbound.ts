/**
 * What Twilio sends back to us, parsed without side effects: SMS replies ("a 42" acknowledges incident 42) and
 * voice keypresses, and the TwiML documents we answer those webhooks with. The routes that receive the webhooks
 * verify `X-Twilio-Signature` first (twilio-signature.ts) and find the person by the `From` number.
 */

export type ReplyAction = 'acknowledge' | 'resolve';

export interface SmsReply {
  readonly action: ReplyAction;
  readonly incidentNumber: number;
}

const ACTION_WORDS: Readonly<Record<string, ReplyAction>> = {
  a: 'acknowledge',
  ack: 'acknowledge',
  acknowledge: 'acknowledge',
  r: 'resolve',
  res: 'resolve',
  resolve: 'resolve',
};

// A word, optional spaces or '#', the incident number; trailing punctuation from phone keyboards is tolerated.
const REPLY = /^([a-z]+)\s*#?\s*(\d{1,9})[\s.!]*$/i;

/**
 * `a 42`, `ack 42`, `A42`, `acknowledge #42`, `r 42`, `res 42`, `resolve 42` (any case, surrounding spaces
 * ignored). Anything else is null, so the route can answer with a short usage hint instead of guessing.
 */
export function parseSmsReply(body: string): SmsReply | null {
  const m = REPLY.exec(body.trim());
  if (!m) return null;
  const action = ACTION_WORDS[m[1]!.toLowerCase()];
  const incidentNumber = Number(m[2]);
  if (!action || !Number.isSafeInteger(incidentNumber) || incidentNumber < 1) return null;
  return { action, incidentNumber };
}

/** The key pressed in answer to the voice call's menu: 1 acknowledges, 2 resolves, anything else is nothing. */
export function parseVoiceDigits(digits: string | undefined): ReplyAction | null {
  const key = digits?.trim();
  if (key === '1') return 'acknowledge';
  if (key === '2') return 'resolve';
  return null;
}

/** Escapes text for an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  // Characters XML 1.0 cannot carry at all are dropped rather than sent as a document Twilio would reject.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  return clean.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** TwiML answering an inbound SMS with one reply message. */
export function twimlMessage(text: string): string {
  return `${XML_DECLARATION}<Response><Message>${escapeXml(text)}</Message></Response>`;
}

/** TwiML saying `text` on a call and hanging up. */
export function twimlSay(text: string): string {
  return `${XML_DECLARATION}<Response><Say>${escapeXml(text)}</Say></Response>`;
}

/** TwiML for a webhook that needs no answer (an SMS we do not reply to). */
export function twimlEmpty(): string {
  return `${XML_DECLARATION}<Response></Response>`;
}
