import type { ParsedMail } from 'mailparser';
import type { EpochMs } from '../../../platform/clock.ts';

/**
 * The parts of an inbound mail an alert can use, bounded so that one large mail cannot bloat an alert row or
 * a log line. Built by the listener from mailparser's output; everything after it is a pure function of it.
 */
export interface ParsedEmail {
  /** The `Message-ID` header, angle brackets included. */
  readonly messageId: string | null;
  /** Decoded `Subject`; empty when there is none. */
  readonly subject: string;
  /** The sender's address, lower-cased: the `From` header's, else the envelope sender's (`MAIL FROM`). */
  readonly from: string | null;
  /** The plain-text body, at most 64 KiB. mailparser derives it from the HTML part when there is no text part. */
  readonly text: string;
  /** The `Date` header: the sender's clock, kept for display. Never the receive time — that is the caller's `now`. */
  readonly date: EpochMs | null;
  /** `X-Siaga-*` and `Auto-Submitted` headers only, names lower-cased, values at most 1,024 characters. */
  readonly headers: Readonly<Record<string, string>>;
}

export const MAX_TEXT_BYTES = 64 * 1024;
const MAX_HEADER_VALUE = 1024;
const MAX_HEADERS = 20;
/** RFC 5321 caps a forward path at 256 octets; anything longer is not an address worth keeping whole. */
const MAX_ADDRESS = 320;

/**
 * Maps mailparser's result to a `ParsedEmail`. `envelopeFrom` is the `MAIL FROM` address, used when the
 * `From` header has none (some monitoring tools send bare messages).
 */
export function toParsedEmail(mail: ParsedMail, envelopeFrom: string | null): ParsedEmail {
  const date = mail.date?.getTime();
  return {
    messageId: mail.messageId?.trim() || null,
    subject: (mail.subject ?? '').trim(),
    from: senderAddress(mail) ?? (envelopeFrom ? envelopeFrom.toLowerCase().slice(0, MAX_ADDRESS) : null),
    text: truncateUtf8(trimBlankLines(mail.text ?? ''), MAX_TEXT_BYTES),
    date: date !== undefined && Number.isFinite(date) ? (date as EpochMs) : null,
    headers: headerSubset(mail.headers),
  };
}

function senderAddress(mail: ParsedMail): string | null {
  for (const entry of mail.from?.value ?? []) {
    const address = entry.address ?? entry.group?.find((m) => m.address)?.address;
    if (address) return address.toLowerCase().slice(0, MAX_ADDRESS);
  }
  return null;
}

/** The headers a sender can use to steer Siaga, plus `Auto-Submitted` so a caller can spot auto-replies. */
function headerSubset(headers: ParsedMail['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [name, value] of headers) {
    if (!name.startsWith('x-siaga-') && name !== 'auto-submitted') continue;
    const text = headerText(value);
    if (text === undefined) continue;
    out[name] = text.slice(0, MAX_HEADER_VALUE);
    if (++count >= MAX_HEADERS) break;
  }
  return out;
}

/** Unstructured headers arrive as a string, or as a list when repeated: the first one counts. */
function headerText(value: unknown): string | undefined {
  const first: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first.trim();
  if (typeof first === 'object' && first !== null && 'value' in first && typeof first.value === 'string') {
    return first.value.trim();
  }
  return undefined;
}

/** Leading blank lines and trailing whitespace only: indentation on the first line may be a table's. */
const trimBlankLines = (text: string) => text.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  // A UTF-16 code unit never takes more than 3 bytes in UTF-8, so short strings need no encoding.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--; // back off continuation bytes
  return bytes.subarray(0, end).toString('utf8');
}
