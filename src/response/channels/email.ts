import { withDeadline } from '../../platform/net/deadline.ts';
import type {
  Destination,
  DestinationProblem,
  Notifier,
  OutboundMessage,
  SendContext,
  SendOutcome,
} from './notifier.ts';
import { emailContent } from './email-content.ts';
import { CHANNEL_CAPABILITIES } from './capabilities.ts';

/**
 * E-mail over SMTP (nodemailer), text and HTML. The SMTP server is operator configuration (`notify.smtp.*`), not a
 * user-supplied URL, so it does not go through the outbound HTTP policy: Siaga connects to whatever host the
 * operator names.
 *
 * Every send of one delivery carries the same `Message-ID: <delivery id@siaga>`, so a re-send after an unknown
 * outcome is recognisable as the same mail; the messages of one incident reference `<incident-{id}@siaga>` so mail
 * clients thread the page and its updates together.
 */
export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465). False: plain connection, upgraded with STARTTLS when offered. */
  readonly secure: boolean;
  /** Refuse to send unless the server offers STARTTLS (with `secure: false`). */
  readonly requireTls?: boolean;
  readonly user?: string;
  readonly password?: string;
  /** The From address, e.g. `Siaga <siaga@example.com>`. */
  readonly from: string;
}

export interface EmailNotifierOptions {
  readonly smtp: SmtpSettings;
  /** Upper bound for the connection, greeting and each socket wait; the send's own time limit still applies. */
  readonly timeoutMs?: number;
}

export function createEmailNotifier(opts: EmailNotifierOptions): Notifier {
  return {
    kind: 'email',
    capabilities: CHANNEL_CAPABILITIES.email,
    secretKeys: [],
    check: emailAddressProblems,
    send: (message, dest, ctx) => sendEmail(opts, message, dest, ctx),
  };
}

async function sendEmail(
  opts: EmailNotifierOptions,
  message: OutboundMessage,
  dest: Destination,
  ctx: SendContext,
): Promise<SendOutcome> {
  const timeoutMs = Math.max(1, Math.min(ctx.timeoutMs, opts.timeoutMs ?? ctx.timeoutMs));
  const { smtp } = opts;
  // Whether the server answered DATA with 354: from then on, a lost connection may have lost only the reply.
  let dataStarted = false;
  // Loaded on first use: nodemailer costs ~20 MiB of memory, which a server without e-mail should not carry.
  const { createTransport } = await import('nodemailer');
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTls ?? false,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
    // The content is built here from plain strings; nothing may make nodemailer read files or fetch URLs.
    disableFileAccess: true,
    disableUrlAccess: true,
    // SMTP commands and replies without the message body, to see the 354 go by.
    transactionLog: true,
    logger: {
      debug(entry: { tnx?: string }, line: unknown) {
        if (entry.tnx === 'server' && typeof line === 'string' && line.startsWith('354')) dataStarted = true;
      },
    },
  });
  const content = emailContent(message);
  const incident = message.kind === 'bundle' ? undefined : message.incident;
  const thread = incident ? `<incident-${incident.id}@siaga>` : undefined;
  const send = async (signal: AbortSignal): Promise<SendOutcome> => {
    try {
      const info = (await transport.sendMail({
        from: smtp.from,
        to: dest.address,
        subject: content.subject,
        text: content.text,
        html: content.html,
        messageId: `<${message.id}@siaga>`,
        date: new Date(ctx.now),
        ...(thread ? { inReplyTo: thread, references: thread } : {}),
        headers: {
          'X-Siaga-Delivery': message.id,
          // RFC 3834: vacation responders and auto-replies must not answer a page.
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'All',
        },
        signal,
      })) as { response?: string; messageId?: string };
      const id = info.response?.trim() || info.messageId;
      return id ? { status: 'sent', providerMessageId: id.slice(0, 250) } : { status: 'sent' };
    } catch (err) {
      return smtpFailure(err, dataStarted, signal.aborted);
    }
  };
  try {
    return await withDeadline(timeoutMs, ctx.signal, send);
  } finally {
    transport.close();
  }
}

interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
  readonly message?: string;
}

/**
 * An SMTP reply code decides when there is one: 5xx is permanent (the server refused for good: unknown mailbox,
 * relay denied, bad credentials), 4xx temporary. With no reply (refused connection, DNS, TLS, timeout, lost
 * connection) the failure is temporary, and the mail may have been delivered when the body had gone out.
 * Failures nodemailer reports before contacting the server (an unusable address) are permanent.
 */
export function smtpFailure(err: unknown, dataStarted: boolean, aborted = false): SendOutcome {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const detail = (e.response ?? e.message ?? String(err)).replace(/\s+/g, ' ').trim().slice(0, 300);
  if (code !== undefined && code >= 500) {
    return { status: 'failed_permanent', reason: `SMTP ${code}: ${detail}`, statusCode: code };
  }
  if (code !== undefined && code >= 400) {
    return { status: 'failed_temporary', reason: `SMTP ${code}: ${detail}`, statusCode: code };
  }
  if (aborted || e.code === 'EABORT') {
    return { status: 'failed_temporary', reason: 'SMTP: no answer in time', maybeDelivered: dataStarted };
  }
  if (e.command === 'API' && (e.code === 'EENVELOPE' || e.code === 'EMESSAGE')) {
    return { status: 'failed_permanent', reason: `SMTP: ${detail}` };
  }
  return {
    status: 'failed_temporary',
    reason: `SMTP ${e.code ?? 'error'}: ${detail}`,
    maybeDelivered: dataStarted,
  };
}

const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** A plain `local@domain` address: no display name, no comments, no quoted local part, no IP literal. */
export function emailAddressProblems(dest: Destination): DestinationProblem[] {
  const address = dest.address;
  const at = address.lastIndexOf('@');
  const local = address.slice(0, Math.max(0, at));
  const domain = address.slice(at + 1);
  const ok =
    at > 0 &&
    address.length <= 254 &&
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    domain.length > 0 &&
    domain.split('.').every((label) => DOMAIN_LABEL.test(label));
  return ok ? [] : [{ pointer: '/address', detail: 'must be an e-mail address such as oncall@example.com' }];
}
