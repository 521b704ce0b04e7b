import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import {
  SMTPServer,
  type SMTPServerDataStream,
  type SMTPServerError,
  type SMTPServerSession,
} from 'smtp-server';
import { toParsedEmail, type ParsedEmail } from './parsed-email.ts';

/**
 * Email-in: an SMTP listener that accepts mail for `<integration-key>@<domain>` and hands each message to
 * `onMail`. The reply to the sending MTA is the delivery guarantee: 250 only once `onMail` has finished, 4xx
 * when it failed for a reason that may pass (the MTA queues and retries, so nothing is lost), 5xx when retrying
 * cannot help (the MTA bounces to the sender, who learns the address is wrong).
 *
 * No AUTH: the key in the address is the credential, as for the HTTP integrations. No STARTTLS for now: without
 * an operator-supplied certificate smtp-server would offer a built-in one whose private key is public, which is
 * encryption in name only. Put the listener behind an MTA or a TLS-terminating proxy when mail crosses networks.
 */

export interface InboundMail {
  /** The integration keys the mail was addressed to, each once, in RCPT order. */
  readonly recipientKeys: readonly string[];
  readonly mail: ParsedEmail;
}

export interface EmailListenerOptions {
  readonly host: string;
  /** 0 picks a free port; the bound one is on the returned listener. */
  readonly port: number;
  /** Mail is accepted for `<key>@<domain>` only (case-insensitive domain); this server relays nothing. */
  readonly domain: string;
  /** The largest message accepted, headers and attachments included. Advertised with SIZE. Default 1 MiB. */
  readonly maxBytes?: number;
  /** Recipients per message; more get 452 and the MTA sends them in another transaction. Default 10. */
  readonly maxRecipients?: number;
  /** Concurrent SMTP connections; more are turned away with 421. Default 50. */
  readonly maxClients?: number;
  readonly log: Pick<Logger, 'info' | 'warn' | 'error'>;
  /**
   * Ingests one mail; the SMTP reply waits for it. Throw an error with `code: 'not_found'` when no recipient key
   * names an email integration (550, the MTA bounces); anything else thrown is answered 451 (the MTA retries).
   * With several recipients, ingest for the known keys and throw `not_found` only when none is known: after DATA
   * SMTP has one reply for the whole message.
   */
  readonly onMail: (mail: InboundMail) => Promise<void>;
}

export interface EmailListener {
  readonly port: number;
  /** Stops accepting connections and resolves once open sessions have ended (forced after 10 s). */
  close(): Promise<void>;
}

const KEY = /^[A-Za-z0-9_-]{16,128}$/;
const MIB = 1024 * 1024;

export async function startEmailListener(opts: EmailListenerOptions): Promise<EmailListener> {
  const { log, onMail } = opts;
  const domain = opts.domain.toLowerCase();
  const maxBytes = opts.maxBytes ?? MIB;

  const server = new SMTPServer({
    name: domain,
    banner: `Siaga email-in: send alerts to <integration-key>@${domain}`,
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: maxBytes,
    rejectOversized: true,
    maxRecipients: opts.maxRecipients ?? 10,
    maxClients: opts.maxClients ?? 50,
    // A reverse DNS lookup per connection would only slow every delivery down; nothing uses the name.
    disableReverseLookup: true,
    closeTimeout: 10_000,
    logger: false,

    onRcptTo(address, _session, callback) {
      const problem = recipientProblem(address.address, domain);
      if (problem) {
        log.info({ to: redactAddress(address.address) }, 'email-in: refused a recipient');
        return callback(smtpError(550, problem));
      }
      callback();
    },

    onData(stream, session, callback) {
      receive(stream, session).then(
        (reply) => callback(null, reply),
        (err: unknown) => callback(toSmtpError(err, session)),
      );
    },
  });

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession) {
    const raw = await readAtMost(stream, maxBytes);
    if (!raw || stream.sizeExceeded) throw smtpError(552, `Message too big: the limit is ${maxBytes} bytes`);
    const parsed = await simpleParser(raw, { skipTextToHtml: true, skipImageLinks: true });
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
    const recipientKeys = [
      ...new Set(session.envelope.rcptTo.map((r) => keyOf(r.address)).filter((k) => k !== null)),
    ];
    await onMail({ recipientKeys, mail: toParsedEmail(parsed, envelopeFrom || null) });
    return 'OK: alert received';
  }

  function toSmtpError(err: unknown, session: SMTPServerSession): SMTPServerError {
    if (err instanceof SmtpReply) return err;
    if (hasCode(err, 'not_found')) {
      log.info({ session: session.id }, 'email-in: no integration for the recipient keys');
      return smtpError(550, 'No such integration: check the address in the sending tool');
    }
    log.error({ err, session: session.id }, 'email-in: could not ingest a mail; the sender will retry');
    return smtpError(451, 'Temporary failure, please retry later');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Connection-level errors (a client resetting mid-session) end up here; they affect that session only.
  server.on('error', (err) => log.warn({ err }, 'email-in: SMTP error'));

  const { port } = server.server.address() as AddressInfo;
  log.info({ host: opts.host, port, domain }, 'email-in: listening for SMTP');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Why `address` is not an integration address, as the 550 text the sender will see in the bounce; or null. */
function recipientProblem(address: string, domain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain) {
    return `Relay denied: this server only accepts mail for <integration-key>@${domain}`;
  }
  if (!KEY.test(address.slice(0, at))) {
    return `No such mailbox <${address}>: the part before @ must be an integration key (16-128 letters, digits, - or _)`;
  }
  return null;
}

/** The key of an accepted recipient. Case is kept: keys are case-sensitive, only the domain is not. */
function keyOf(address: string): string | null {
  const local = address.slice(0, address.lastIndexOf('@'));
  return KEY.test(local) ? local : null;
}

/** The local part may be an integration key, which is a credential: logs keep only enough to tell keys apart. */
function redactAddress(address: string): string {
  const at = address.lastIndexOf('@');
  const local = at < 0 ? address : address.slice(0, at);
  return `${local.length > 4 ? `${local.slice(0, 4)}…` : local}${at < 0 ? '' : address.slice(at)}`;
}

/** The message bytes, or null when over `maxBytes`; the rest is still drained so the SMTP session can go on. */
async function readAtMost(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
    else chunks.length = 0;
  }
  return size <= maxBytes ? Buffer.concat(chunks) : null;
}

/** A reply this module chose. Only these pass their code through: `onMail`'s own errors never pick the reply. */
class SmtpReply extends Error implements SMTPServerError {
  readonly responseCode: number;

  constructor(responseCode: number, message: string) {
    super(message);
    this.responseCode = responseCode;
  }
}

const smtpError = (responseCode: number, message: string) => new SmtpReply(responseCode, message);

const hasCode = (err: unknown, code: string): boolean =>
  typeof err === 'object' && err !== null && 'code' in err && err.code === code;
