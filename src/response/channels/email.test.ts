import { simpleParser, type ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import {
  NOW,
  pageMessage,
  sendContext,
  statusMessage,
  testIncident,
} from '../../../test/harness/providers/messages.ts';
import { createSimpleHttpSender } from '../../../test/harness/providers/simple-http-sender-twilio.ts';
import {
  startDroppingSmtp,
  startFakeSmtp,
  type DroppingSmtp,
  type FakeSmtp,
} from '../../../test/harness/providers/smtp.ts';
import { createEmailNotifier, emailAddressProblems, type SmtpSettings } from './email.ts';
import type { OutboundMessage, SendOutcome } from './notifier.ts';

const servers: (FakeSmtp | DroppingSmtp)[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function smtpServer(auth?: { user: string; password: string }): Promise<FakeSmtp> {
  const s = await startFakeSmtp(auth ? { auth } : {});
  servers.push(s);
  return s;
}

const TO = 'ana@example.com';
const dest = (address = TO) => ({ kind: 'email' as const, address, config: {}, secrets: {} });

function notifier(port: number, over: Partial<SmtpSettings> = {}) {
  return createEmailNotifier({
    smtp: { host: '127.0.0.1', port, secure: false, from: 'Siaga <siaga@example.com>', ...over },
  });
}

async function send(
  port: number,
  message: OutboundMessage,
  over: Partial<SmtpSettings> = {},
): Promise<SendOutcome> {
  return notifier(port, over).send(message, dest(), sendContext(createSimpleHttpSender()));
}

const parse = (raw: Buffer): Promise<ParsedMail> => simpleParser(raw);

describe('email notifier', () => {
  it('sends a triggered page as text and HTML with acknowledge and resolve links, threaded on the incident', async () => {
    const smtp = await smtpServer();
    const outcome = await send(smtp.port, pageMessage());
    expect(outcome).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^250 /) });
    expect(smtp.mails).toHaveLength(1);
    const [received] = smtp.mails;
    expect(received!.from).toBe('siaga@example.com');
    expect(received!.to).toEqual([TO]);

    const mail = await parse(received!.raw);
    expect(mail.subject).toBe('[Siaga] #42 TRIGGERED Checkout error rate above 5%');
    expect(mail.messageId).toBe('<dlv_01JTESTDELIVERY0000000000@siaga>');
    expect(mail.inReplyTo).toBe('<incident-inc_01JTESTINCIDENT00000000000@siaga>');
    expect(mail.references).toBe('<incident-inc_01JTESTINCIDENT00000000000@siaga>');
    expect(mail.headers.get('x-siaga-delivery')).toBe('dlv_01JTESTDELIVERY0000000000');
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.date?.getTime()).toBe(NOW);

    expect(mail.text).toContain('Acknowledge: https://siaga.example.com/a/ack-token-1');
    expect(mail.text).toContain('Resolve: https://siaga.example.com/a/res-token-1');
    expect(mail.text).toContain('Open incident #42: https://siaga.example.com/incidents/');
    expect(mail.html).toContain('href="https://siaga.example.com/a/ack-token-1"');
    expect(mail.html).toContain('href="https://siaga.example.com/a/res-token-1"');
    expect(mail.html).toContain('>Acknowledge</a>');
    // Nothing for the mail client to fetch.
    expect(mail.html).not.toMatch(/<img|src=|url\(/i);
  });

  it('HTML-escapes everything that came from an alert, so a title cannot inject markup', async () => {
    const smtp = await smtpServer();
    const incident = testIncident({
      title: '<script>alert("x")</script> & <b>bold</b>',
      serviceName: '<img src=x onerror=alert(1)>',
    });
    await send(smtp.port, pageMessage({ incident, text: 'Runbook: <a href="javascript:evil()">click</a>' }));
    const mail = await parse(smtp.mails[0]!.raw);
    const html = mail.html as string;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<a href="javascript:');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The text part carries the title as written.
    expect(mail.text).toContain('<script>alert("x")</script> & <b>bold</b>');
    expect(mail.subject).toBe('[Siaga] #42 TRIGGERED <script>alert("x")</script> & <b>bold</b>');
  });

  it('drops action links that are not http(s)', async () => {
    const smtp = await smtpServer();
    const message = pageMessage({
      actions: { acknowledge: { url: 'javascript:alert(1)', token: 't' } },
    });
    await send(smtp.port, message);
    const mail = await parse(smtp.mails[0]!.raw);
    expect(mail.html).not.toContain('javascript:');
    expect(mail.text).not.toContain('Acknowledge:');
  });

  it('sends status updates without action links, in the same thread, and the same Message-ID on every re-send', async () => {
    const smtp = await smtpServer();
    const resolved = statusMessage('resolved');
    await send(smtp.port, resolved);
    await send(smtp.port, resolved);
    const [first, second] = await Promise.all(smtp.mails.map((m) => parse(m.raw)));
    expect(first!.subject).toBe('[Siaga] #42 RESOLVED Checkout error rate above 5%');
    expect(first!.messageId).toBe(`<${resolved.id}@siaga>`);
    expect(second!.messageId).toBe(first!.messageId);
    expect(first!.inReplyTo).toBe('<incident-inc_01JTESTINCIDENT00000000000@siaga>');
    expect(first!.text).not.toContain('Acknowledge');
    expect(first!.html).not.toContain('Acknowledge');
    expect(first!.html).not.toContain('/a/ack-token-1');
    expect(first!.text).toContain('Open incident #42');

    const acknowledged = statusMessage('acknowledged');
    await send(smtp.port, acknowledged);
    const third = await parse(smtp.mails[2]!.raw);
    expect(third.subject).toBe('[Siaga] #42 ACKNOWLEDGED Checkout error rate above 5%');
    expect(third.html).not.toContain('>Resolve</a>');
  });

  it('lists the incidents of a bundled summary and threads it on none of them', async () => {
    const smtp = await smtpServer();
    const incidents = [
      testIncident(),
      testIncident({
        id: 'inc_2',
        number: 43,
        title: 'Disk <full>',
        url: 'https://siaga.example.com/incidents/inc_2',
      }),
    ];
    const message: OutboundMessage = {
      id: 'dlv_bundle',
      kind: 'bundle',
      event: 'notice',
      subject: '5 incidents in the last minute',
      text: 'You were paged for 5 incidents.',
      bundle: { count: 5, incidents },
      createdAt: NOW,
    };
    await send(smtp.port, message);
    const mail = await parse(smtp.mails[0]!.raw);
    expect(mail.subject).toBe('[Siaga] 5 incidents in the last minute');
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.text).toContain(
      '- #43 [critical] Disk <full> (payments) https://siaga.example.com/incidents/inc_2',
    );
    expect(mail.text).toContain('...and 3 more');
    expect(mail.html).toContain('#43 Disk &lt;full&gt;');
  });

  it('authenticates with the configured user', async () => {
    const smtp = await smtpServer({ user: 'siaga', password: 's3cret' });
    const ok = await send(smtp.port, pageMessage(), { user: 'siaga', password: 's3cret' });
    expect(ok.status).toBe('sent');
    expect(smtp.mails[0]!.user).toBe('siaga');
    const bad = await send(smtp.port, pageMessage(), { user: 'siaga', password: 'wrong' });
    expect(bad).toMatchObject({ status: 'failed_permanent', statusCode: 535 });
  });

  it('classifies a 451 reply as temporary and a 550 reply as permanent', async () => {
    const smtp = await smtpServer();
    smtp.refuseNext({ at: 'rcpt', code: 451, message: 'Greylisted, try again later' });
    const greylisted = await send(smtp.port, pageMessage());
    expect(greylisted).toMatchObject({ status: 'failed_temporary', statusCode: 451 });
    expect((greylisted as { reason: string }).reason).toContain('Greylisted');

    smtp.refuseNext({ at: 'rcpt', code: 550, message: 'No such user here' });
    const unknownUser = await send(smtp.port, pageMessage());
    expect(unknownUser).toMatchObject({ status: 'failed_permanent', statusCode: 550 });
    expect((unknownUser as { reason: string }).reason).toContain('No such user');

    smtp.refuseNext({ at: 'data', code: 452, message: 'Mailbox full for now' });
    expect(await send(smtp.port, pageMessage())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 452,
    });
    smtp.refuseNext({ at: 'data', code: 554, message: 'Rejected as spam' });
    expect(await send(smtp.port, pageMessage())).toMatchObject({
      status: 'failed_permanent',
      statusCode: 554,
    });
    expect(smtp.mails).toHaveLength(0);
  });

  it('treats an unreachable server as temporary, with nothing possibly delivered', async () => {
    const smtp = await smtpServer();
    const port = smtp.port;
    await smtp.close();
    servers.length = 0;
    const outcome = await send(port, pageMessage());
    expect(outcome).toMatchObject({ status: 'failed_temporary', maybeDelivered: false });
  });

  it('says the mail may have been delivered when the connection drops after the message data, not before', async () => {
    const early = await startDroppingSmtp('rcpt');
    servers.push(early);
    expect(await send(early.port, pageMessage())).toMatchObject({
      status: 'failed_temporary',
      maybeDelivered: false,
    });

    const late = await startDroppingSmtp('after-data');
    servers.push(late);
    expect(await send(late.port, pageMessage())).toMatchObject({
      status: 'failed_temporary',
      maybeDelivered: true,
    });
  });

  it('gives up when the send is cancelled', async () => {
    const smtp = await smtpServer();
    const controller = new AbortController();
    controller.abort();
    const outcome = await notifier(smtp.port).send(
      pageMessage(),
      dest(),
      sendContext(createSimpleHttpSender(), { signal: controller.signal }),
    );
    expect(outcome.status).toBe('failed_temporary');
    expect(smtp.mails).toHaveLength(0);
  });

  it('declares its capabilities and checks addresses', () => {
    const n = notifier(25);
    expect(n.kind).toBe('email');
    expect(n.capabilities).toEqual({ statusUpdates: true, interactiveAck: true, resendWhenUnknown: true });
    for (const ok of [
      'ana@example.com',
      'first.last+oncall@sub.example.co.uk',
      'root@localhost',
      'ana@bücher.de',
    ]) {
      expect(emailAddressProblems(dest(ok)), ok).toEqual([]);
    }
    for (const bad of [
      '',
      'ana',
      '@example.com',
      'ana@',
      'a b@example.com',
      'Ana <ana@example.com>',
      'ana@exa mple.com',
      'ana..b@example.com',
      'ana@-x.com',
      'a\r\nBcc: x@y.com@example.com',
    ]) {
      expect(emailAddressProblems(dest(bad)), bad).toEqual([
        { pointer: '/address', detail: expect.any(String) },
      ]);
    }
  });
});
