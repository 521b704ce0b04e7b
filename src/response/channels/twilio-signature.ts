import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Twilio's request signature (`X-Twilio-Signature`) on the webhooks it sends us (inbound SMS, voice keypress,
 * status callbacks): HMAC-SHA1 keyed with the account's auth token over the full URL Twilio called, followed by
 * every POST parameter as name + value with no separator, names in byte order; base64.
 */
export function twilioSignature(
  authToken: string,
  fullUrl: string,
  params: Readonly<Record<string, string>>,
): string {
  const names = Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hmac = createHmac('sha1', authToken).update(fullUrl, 'utf8');
  for (const name of names) hmac.update(name + params[name], 'utf8');
  return hmac.digest('base64');
}

export interface TwilioSignatureInput {
  readonly authToken: string;
  /** The URL exactly as Twilio requested it, query string included (the public URL, not the one behind a proxy). */
  readonly url: string;
  /** The form parameters of the POST body (none for a GET). */
  readonly params: Readonly<Record<string, string>>;
  /** The `X-Twilio-Signature` header; undefined or '' when it was missing. */
  readonly signature: string | undefined;
}

/**
 * True when `signature` is Twilio's signature of the request. Twilio signs with or without the default port
 * depending on the product (its own SDKs accept both), so the URL is tried as given, with `:443`/`:80` added and
 * with it removed. Comparison is constant-time.
 */
export function verifyTwilioSignature(input: TwilioSignatureInput): boolean {
  const given = Buffer.from(input.signature ?? '', 'utf8');
  if (given.length === 0 || input.authToken === '') return false;
  let valid = false;
  for (const url of urlVariants(input.url)) {
    const expected = Buffer.from(twilioSignature(input.authToken, url, input.params), 'utf8');
    // Every variant is compared (no early exit) so the time taken does not tell which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/** The URL as given, and with the scheme's default port added or removed; the rest is kept byte for byte. */
function urlVariants(raw: string): string[] {
  const m = /^(https?):\/\/([^/?#]*)(.*)$/is.exec(raw);
  if (!m) return [raw];
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const defaultPort = scheme.toLowerCase() === 'https' ? ':443' : ':80';
  const port = /:\d*$/.exec(authority)?.[0];
  if (port === undefined) return [raw, `${scheme}://${authority}${defaultPort}${rest}`];
  if (port === defaultPort) return [raw, `${scheme}://${authority.slice(0, -port.length)}${rest}`];
  return [raw];
}
