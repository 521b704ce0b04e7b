import { connect } from 'node:net';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { epochMs } from '../../../platform/clock.ts';
import { AppError, notFound } from '../../../platform/errors.ts';
import type { AlertEvent } from '../../events.ts';
import { mailToAlertEvent } from './parse-mail.ts';
import {
  startEmailListener,
  type EmailListener,
  type EmailListenerOptions,
  type InboundMail,
} from './smtp-listener.ts';

const DOMAIN = 'alerts.example.com';
const KEY = 'Ab3dEf6hIj9kLm2n';
const KEY2 = 'zz_zz-zzzzzzzzzzzzzz';

const listeners: EmailListener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

function fakeLog() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

async function start(
  onMail: EmailListenerOptions['onMail'],
  over: Partial<EmailListenerOptions> = {},
): Promise<EmailListener & { log: ReturnType<typeof fakeLog> }> {
  const log = fakeLog();
  const listener = await startEmailListener({
    host: '127.0.0.1',
    port: 0,
    domain: DOMAIN,
    log,
    onMail,
    ...over,
  });
  listeners.push(listener);
  return Object.assign(listener, { log });
}

/** Sends over real SMTP, as a monitoring tool's MTA would. */
function send(port: number, message: Mail.Options) {
  const transport = createTransport({ host: '127.0.0.1', port, name: 'client.example.com', ignoreTLS: true });
  return transport.sendMail({ from: 'Nagios <nagios@example.com>', to: `${KEY}@${DOMAIN}`, ...message });
}

/** What the sending MTA learns from a refusal: the SMTP reply code and text. */
async function refusal(sending: Promise<unknown>): Promise<{ responseCode: number; response: string }> {
  const err = (await sending.then(
    () => {
      throw new Error('expected the server to refuse the mail');
    },
    (e: unknown) => e,
  )) as { responseCode: number; response: string };
  return { responseCode: err.responseCode, response: err.response };
}

function collect() {
  const received: InboundMail[] = [];
  const onMail = vi.fn(async (m: InboundMail) => {
    received.push(m);
  });
  return { received, onMail };
}

describe('email listener', () => {
  it('accepts mail for <key>@domain and hands the parsed mail to onMail before replying 250', async () => {
    const { received, onMail } = collect();
    const { port } = await start(onMail);
    const info = await send(port, {
      subject: '[critical] db-1 disk full',
      text: 'Disk /var is 98% full.',
      date: new Date('2025-06-01T11:59:58Z'),
      messageId: '<m1@nagios.example.com>',
      headers: { 'X-Siaga-Dedup-Key': 'db-1/disk', 'X-Mailer': 'Nagios' },
    });
    expect(info.response).toMatch(/^250 /);
    expect(received).toEqual([
      {
        recipientKeys: [KEY],
        mail: {
          messageId: '<m1@nagios.example.com>',
          subject: '[critical] db-1 disk full',
          from: 'nagios@example.com',
          text: 'Disk /var is 98% full.',
          date: Date.parse('2025-06-01T11:59:58Z'),
          headers: { 'x-siaga-dedup-key': 'db-1/disk' },
        },
      },
    ]);
  });

  it('refuses an address whose local part is not an integration key with 550, before the message is sent', async () => {
    const { onMail } = collect();
    const { port } = await start(onMail);
    const { responseCode, response } = await refusal(send(port, { to: `ops@${DOMAIN}`, text: 'x' }));
    expect(responseCode).toBe(550);
    expect(response).toMatch(/integration key/);
    expect(onMail).not.toHaveBeenCalled();
  });

  it('refuses other domains with 550 (no relaying) without logging the key in full', async () => {
    const { onMail } = collect();
    const { port, log } = await start(onMail);
    const { responseCode, response } = await refusal(send(port, { to: `${KEY}@example.org`, text: 'x' }));
    expect(responseCode).toBe(550);
    expect(response).toContain(`@${DOMAIN}`);
    expect(JSON.stringify(log.info.mock.calls)).not.toContain(KEY);
  });

  it('delivers to the valid recipients of a mixed list and turns away those over maxRecipients', async () => {
    const { received, onMail } = collect();
    const { port } = await start(onMail, { maxRecipients: 2 });
    const info = await send(port, {
      to: [`${KEY}@${DOMAIN}`, `bad@${DOMAIN}`, `${KEY2}@ALERTS.example.com`, `${'x'.repeat(16)}@${DOMAIN}`],
      text: 'x',
    });
    expect(received.map((m) => m.recipientKeys)).toEqual([[KEY, KEY2]]);
    expect(info.rejected).toEqual([`bad@${DOMAIN}`, `${'x'.repeat(16)}@${DOMAIN}`]);
    expect(info.rejectedErrors?.map((e) => (e as { responseCode?: number }).responseCode)).toEqual([
      550, 452,
    ]);
  });

  it('answers 550 "no such integration" when onMail reports not_found, so the sender gets a bounce', async () => {
    const { port } = await start(async () => {
      throw notFound('integration', 'by email key');
    });
    const { responseCode, response } = await refusal(send(port, { text: 'x' }));
    expect(responseCode).toBe(550);
    expect(response).toMatch(/no such integration/i);
  });

  it('answers 451 when onMail fails otherwise, so the sending MTA keeps the mail and retries', async () => {
    const { port, log } = await start(async () => {
      throw new AppError('unavailable', 'database is locked');
    });
    const { responseCode, response } = await refusal(send(port, { text: 'x' }));
    expect(responseCode).toBe(451);
    expect(response).not.toContain('database'); // internal detail stays in the log
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it('takes several messages over one connection, as an MTA reusing its connection sends them', async () => {
    const { received, onMail } = collect();
    const { port } = await start(onMail);
    const transport = createTransport({
      pool: true,
      maxConnections: 1,
      host: '127.0.0.1',
      port,
      ignoreTLS: true,
    });
    try {
      const from = 'nagios@example.com';
      const to = `${KEY}@${DOMAIN}`;
      await Promise.all(
        [1, 2, 3].map((n) => transport.sendMail({ from, to, subject: `check ${n}`, text: 'x' })),
      );
    } finally {
      transport.close();
    }
    expect(received.map((m) => m.mail.subject).sort()).toEqual(['check 1', 'check 2', 'check 3']);
  });

  it('refuses a message over maxBytes with 552 and never parses it', async () => {
    const { onMail } = collect();
    const { port } = await start(onMail, { maxBytes: 4_096 });
    const { responseCode } = await refusal(send(port, { text: 'x'.repeat(10_000) }));
    expect(responseCode).toBe(552);
    expect(onMail).not.toHaveBeenCalled();
    // The session survives: a small mail on a fresh connection still goes through.
    await send(port, { text: 'small' });
    expect(onMail).toHaveBeenCalledTimes(1);
  });

  it('gives the text part of a multipart HTML+text mail, and text made from HTML when that is all there is', async () => {
    const { received, onMail } = collect();
    const { port } = await start(onMail);
    await send(port, { subject: 'both', text: 'Plain body', html: '<p>HTML <b>body</b></p>' });
    await send(port, { subject: 'html only', html: '<p>Only <b>HTML</b></p>' });
    expect(received.map((m) => m.mail.text)).toEqual(['Plain body', 'Only HTML']);
  });

  it('resolves the alert end to end when a RESOLVED mail follows the trigger', async () => {
    const events: AlertEvent[] = [];
    const now = epochMs(Date.parse('2025-06-01T12:00:00Z'));
    const { port } = await start(async ({ mail }) => {
      events.push(mailToAlertEvent(mail, { now, fingerprint: (l) => JSON.stringify(l) }));
    });
    await send(port, { subject: '[critical] db-1 disk full', text: 'Disk full' });
    await send(port, { subject: 'RESOLVED: [critical] db-1 disk full', text: 'Disk ok' });
    expect(events.map((e) => [e.action, e.severity, e.summary])).toEqual([
      ['trigger', 'critical', '[critical] db-1 disk full'],
      ['resolve', 'critical', '[critical] db-1 disk full'],
    ]);
    expect(events[1]?.fingerprint).toBe(events[0]?.fingerprint);
  });

  it('greets with the domain, advertises SIZE and offers neither AUTH nor STARTTLS', async () => {
    const { port } = await start(collect().onMail, { maxBytes: 2_048 });
    const smtp = rawSmtp(port);
    try {
      expect(await smtp.reply()).toMatch(new RegExp(`^220 ${DOMAIN} ESMTP Siaga email-in`));
      const ehlo = await smtp.send('EHLO client.example.com');
      expect(ehlo).toContain('SIZE 2048');
      expect(ehlo).not.toMatch(/AUTH|STARTTLS/);
      expect(await smtp.send('STARTTLS')).toMatch(/^5\d\d /);
    } finally {
      smtp.close();
    }
  });

  it('reports a port already in use, and stops accepting connections once closed', async () => {
    const first = await start(collect().onMail);
    await expect(start(collect().onMail, { port: first.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
    listeners.splice(listeners.indexOf(first), 1);
    await expect(
      new Promise((resolve, reject) =>
        connect(first.port, '127.0.0.1').on('connect', resolve).on('error', reject),
      ),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

/** A bare SMTP session, for what nodemailer hides: the greeting and the EHLO capability list. */
function rawSmtp(port: number) {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    wake?.();
  });
  const reply = () =>
    new Promise<string>((resolve, reject) => {
      socket.once('error', reject);
      wake = () => {
        const complete = /^(?:\d{3}-.*\r\n)*\d{3} .*\r\n/.exec(buffer);
        if (!complete) return;
        buffer = buffer.slice(complete[0].length);
        wake = undefined;
        socket.off('error', reject);
        resolve(complete[0]);
      };
      wake();
    });
  return {
    reply,
    send: (line: string) => {
      socket.write(`${line}\r\n`);
      return reply();
    },
    close: () => socket.destroy(),
  };
}
