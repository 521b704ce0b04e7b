import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { epochMs } from '../../../platform/clock.ts';
import { mailToAlertEvent, normalizeSubject } from './parse-mail.ts';
import { toParsedEmail, truncateUtf8, type ParsedEmail } from './parsed-email.ts';

const now = epochMs(Date.parse('2025-06-01T12:00:00Z'));
const fingerprint = (labels: Readonly<Record<string, string>>) =>
  createHash('sha256')
    .update(JSON.stringify(Object.entries(labels).sort()))
    .digest('hex')
    .slice(0, 16);
const mail = (over: Partial<ParsedEmail> = {}): ParsedEmail => ({
  messageId: '<m1@nagios.example.com>',
  subject: '[critical] db-1 disk full',
  from: 'nagios@example.com',
  text: 'Disk /var is 98% full on db-1.\nSecond line.',
  date: epochMs(Date.parse('2025-06-01T11:59:58Z')),
  headers: {},
  ...over,
});
const toEvent = (m: ParsedEmail) => mailToAlertEvent(m, { now, fingerprint });

describe('mailToAlertEvent', () => {
  it('turns a mail into a trigger with the subject as summary, received now', () => {
    expect(toEvent(mail())).toEqual({
      action: 'trigger',
      fingerprint: fingerprint({ subject: 'db-1 disk full', from: 'nagios@example.com' }),
      summary: '[critical] db-1 disk full',
      severity: 'critical',
      labels: { source: 'email', from: 'nagios@example.com' },
      annotations: { description: 'Disk /var is 98% full on db-1.\nSecond line.' },
      startsAt: now,
      endsAt: null,
      raw: {
        messageId: '<m1@nagios.example.com>',
        from: 'nagios@example.com',
        subject: '[critical] db-1 disk full',
        date: Date.parse('2025-06-01T11:59:58Z'),
        text: 'Disk /var is 98% full on db-1.\nSecond line.',
      },
    });
  });

  it.each([
    'RESOLVED: [critical] db-1 disk full',
    'RESOLVED [critical] db-1 disk full',
    '[RESOLVED] [critical] db-1 disk full',
    'resolved: [critical] db-1 disk full',
    'OK: [critical] db-1 disk full',
    'Re: RESOLVED: [critical] db-1 disk full',
  ])('resolves the alert the plain subject opened: %j', (subject) => {
    const event = toEvent(mail({ subject }));
    expect(event.action).toBe('resolve');
    expect(event.fingerprint).toBe(toEvent(mail()).fingerprint);
    expect(event.summary).toBe('[critical] db-1 disk full');
  });

  it('does not read "OK" or "resolved" inside a word or without a colon as a resolution', () => {
    for (const subject of ['OK computer is down', 'Unresolved DNS names on web-1', 'OKAY: web-1 slow']) {
      expect(toEvent(mail({ subject })).action).toBe('trigger');
    }
  });

  it('keeps replies, forwards, severity changes and spacing on the same alert, but not other senders', () => {
    const key = toEvent(mail()).fingerprint;
    for (const subject of [
      'Re: [critical] db-1 disk full',
      'Fwd: RE: db-1  disk FULL',
      '[warning] db-1 disk full',
    ]) {
      expect(toEvent(mail({ subject })).fingerprint).toBe(key);
    }
    expect(toEvent(mail({ from: 'zabbix@example.com' })).fingerprint).not.toBe(key);
    expect(toEvent(mail({ subject: 'db-2 disk full' })).fingerprint).not.toBe(key);
    expect(normalizeSubject('Fw: Re: [RESOLVED] [warning] Disk full')).toBe('disk full');
  });

  it('uses the X-Siaga-Dedup-Key header as the dedup key, hashing an overlong one', () => {
    expect(toEvent(mail({ headers: { 'x-siaga-dedup-key': ' db-1/disk ' } })).fingerprint).toBe('db-1/disk');
    const long = 'k'.repeat(300);
    const event = toEvent(mail({ headers: { 'x-siaga-dedup-key': long } }));
    expect(event.fingerprint).toBe(fingerprint({ dedupKey: long }));
  });

  it('takes severity from X-Siaga-Severity, then a subject tag, then defaults to warning', () => {
    expect(toEvent(mail({ headers: { 'x-siaga-severity': 'Info' } })).severity).toBe('info');
    expect(toEvent(mail({ headers: { 'x-siaga-severity': 'bogus' } })).severity).toBe('critical');
    expect(toEvent(mail({ subject: 'db-1 slow [ERROR]' })).severity).toBe('error');
    expect(toEvent(mail({ subject: 'db-1 slow' })).severity).toBe('warning');
  });

  it('falls back to the first text line for an empty subject, and caps the summary at 1,024 characters', () => {
    expect(toEvent(mail({ subject: '', text: '\n\n  Backup   failed  \nmore' })).summary).toBe(
      'Backup failed',
    );
    expect(toEvent(mail({ subject: 'RESOLVED:', text: 'Backup ok' })).summary).toBe('Backup ok');
    expect(toEvent(mail({ subject: '', text: '' })).summary).toBe('(no subject)');
    const summary = toEvent(mail({ subject: 'x'.repeat(5_000) })).summary;
    expect(summary).toHaveLength(1_024);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('bounds the description to 4 KiB and the raw text to 16 KiB without splitting characters', () => {
    const text = 'é'.repeat(20_000); // 2 bytes each
    const event = toEvent(mail({ text }));
    expect(event.annotations.description).toBe('é'.repeat(2_048));
    expect((event.raw as { text: string }).text).toBe('é'.repeat(8_192));
    expect(truncateUtf8('a€', 3)).toBe('a'); // € is 3 bytes: cut before it, not through it
  });

  it('leaves out labels and annotations it has no value for', () => {
    const event = toEvent(mail({ from: null, text: '  ' }));
    expect(event.labels).toEqual({ source: 'email' });
    expect(event.annotations).toEqual({});
  });
});

describe('toParsedEmail', () => {
  const parse = async (raw: string, envelopeFrom: string | null = null) =>
    toParsedEmail(await simpleParser(raw.replaceAll('\n', '\r\n')), envelopeFrom);

  it('keeps the sender address, the text, the date and only the headers Siaga reads', async () => {
    const parsed = await parse(
      [
        'From: "Nagios" <Nagios@Example.COM>',
        'To: key@alerts.example.com',
        'Subject: =?UTF-8?B?W2NyaXRpY2FsXSBkYi0xIGRpc2sgZnVsbCDinJM=?=',
        'Date: Sun, 01 Jun 2025 13:59:58 +0200',
        'Message-ID: <m1@nagios.example.com>',
        'X-Siaga-Severity: critical',
        'X-Siaga-Dedup-Key: db-1/disk',
        'Auto-Submitted: auto-generated',
        'X-Mailer: Nagios',
        '',
        'Disk full.',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      messageId: '<m1@nagios.example.com>',
      subject: '[critical] db-1 disk full ✓',
      from: 'nagios@example.com',
      text: 'Disk full.',
      date: Date.parse('2025-06-01T11:59:58Z'),
      headers: {
        'x-siaga-severity': 'critical',
        'x-siaga-dedup-key': 'db-1/disk',
        'auto-submitted': 'auto-generated',
      },
    });
  });

  it('falls back to the envelope sender, and caps the text at 64 KiB', async () => {
    const parsed = await parse(`Subject: big\n\n${'a'.repeat(70_000)}`, 'Bounce@Example.com');
    expect(parsed.from).toBe('bounce@example.com');
    expect(parsed.text).toHaveLength(64 * 1024);
    expect(parsed.date).toBeNull();
    expect(parsed.messageId).toBeNull();
  });
});
