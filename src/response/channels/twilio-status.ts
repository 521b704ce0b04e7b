/**
 * Twilio's status callbacks (`StatusCallback`), parsed and classified without side effects. Twilio posts one for
 * each step a message or call takes (an SMS: queued, sent, then delivered or undelivered/failed; a call: by
 * default only its end, completed or busy/no-answer/failed/canceled). They can arrive twice or out of order, so
 * each status has a rank: a later report only counts when it moves the delivery forward, and the first final
 * status is the last word.
 */

export const TWILIO_STATUS_CALLBACK_PATH = '/api/v1/callbacks/twilio/status';

/** Where Twilio reports on one delivery: the status callback URL, naming the delivery so it is found directly. */
export function twilioStatusCallbackUrl(base: string, deliveryId: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}delivery=${encodeURIComponent(deliveryId)}`;
}

export type TwilioStatusChannel = 'sms' | 'voice';

export interface TwilioStatusClass {
  /** Order within the channel's progress; a report with a lower or equal rank than the recorded one is old news. */
  readonly rank: number;
  /** Twilio sends nothing after it (for this message or call). */
  readonly final: boolean;
  /** The message or call did not reach the person: the delivery fails. */
  readonly failed: boolean;
  /** What it means, in words, for the delivery log. */
  readonly meaning: string;
}

const progress = (rank: number, meaning: string): TwilioStatusClass => ({
  rank,
  final: false,
  failed: false,
  meaning,
});
const reached = (meaning: string): TwilioStatusClass => ({ rank: 10, final: true, failed: false, meaning });
const missed = (meaning: string): TwilioStatusClass => ({ rank: 10, final: true, failed: true, meaning });

const SMS: Readonly<Record<string, TwilioStatusClass>> = {
  accepted: progress(0, 'accepted by Twilio'),
  scheduled: progress(0, 'scheduled by Twilio'),
  queued: progress(1, 'queued at Twilio'),
  sending: progress(2, 'being sent to the carrier'),
  sent: progress(3, 'handed to the carrier'),
  delivered: reached('delivered to the phone'),
  read: reached('read'),
  undelivered: missed('the carrier could not deliver the SMS'),
  failed: missed('Twilio could not send the SMS'),
  canceled: missed('the SMS was canceled before it was sent'),
};

const VOICE: Readonly<Record<string, TwilioStatusClass>> = {
  queued: progress(1, 'queued at Twilio'),
  initiated: progress(2, 'dialling'),
  ringing: progress(3, 'ringing'),
  'in-progress': progress(4, 'answered'),
  completed: reached('answered and finished'),
  busy: missed('the line was busy'),
  'no-answer': missed('nobody answered the call'),
  failed: missed('the call could not be placed'),
  canceled: missed('the call was canceled before it was answered'),
};

/** The class of a Twilio status on a channel; undefined for a status Siaga does not know (it is ignored). */
export function classifyTwilioStatus(
  channel: TwilioStatusChannel,
  status: string,
): TwilioStatusClass | undefined {
  const table = channel === 'sms' ? SMS : VOICE;
  return Object.hasOwn(table, status) ? table[status] : undefined;
}

/** One status callback: which message or call, and what became of it. */
export interface TwilioStatusReport {
  readonly channel: TwilioStatusChannel;
  /** The message (`SM…`/`MM…`) or call (`CA…`) SID, which Twilio answered the send with. */
  readonly sid: string;
  /** Twilio's status, lower case (`delivered`, `undelivered`, `no-answer`, …). */
  readonly status: string;
  /** Twilio's error code for a failed message (`30003` unreachable handset, `30007` carrier filtering, …). */
  readonly errorCode?: string;
}

const SID = /^[A-Z]{2}[0-9a-fA-F]{32}$/;
const STATUS = /^[a-z][a-z_-]{0,31}$/;
const ERROR_CODE = /^\d{1,10}$/;

/**
 * The report in a status callback's form parameters: `MessageSid` + `MessageStatus` (also sent as `SmsSid` +
 * `SmsStatus`) for a message, `CallSid` + `CallStatus` for a call, `ErrorCode` when there is one. Undefined when
 * the form is not a status callback Siaga understands.
 */
export function parseTwilioStatusCallback(
  params: Readonly<Record<string, string | undefined>>,
): TwilioStatusReport | undefined {
  const messageSid = params.MessageSid ?? params.SmsSid;
  const messageStatus = params.MessageStatus ?? params.SmsStatus;
  const report =
    messageSid !== undefined && messageStatus !== undefined
      ? { channel: 'sms' as const, sid: messageSid, status: messageStatus }
      : params.CallSid !== undefined && params.CallStatus !== undefined
        ? { channel: 'voice' as const, sid: params.CallSid, status: params.CallStatus }
        : undefined;
  if (!report) return undefined;
  const status = report.status.trim().toLowerCase();
  if (!SID.test(report.sid) || !STATUS.test(status)) return undefined;
  const errorCode = params.ErrorCode?.trim();
  return {
    ...report,
    status,
    ...(errorCode && ERROR_CODE.test(errorCode) && errorCode !== '0' ? { errorCode } : {}),
  };
}

/** The delivery log's reason for a failed final status: `Twilio: undelivered, the carrier could not … (error 30003)`. */
export function twilioFailureReason(
  channel: TwilioStatusChannel,
  status: string,
  errorCode: string | undefined,
): string {
  const meaning = classifyTwilioStatus(channel, status)?.meaning;
  return `Twilio reported ${status}${meaning ? `: ${meaning}` : ''}${errorCode ? ` (error ${errorCode})` : ''}`;
}
