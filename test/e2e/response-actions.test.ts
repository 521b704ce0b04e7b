import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { twilioSignature } from '../../src/response/channels/twilio-signature.ts';
import { DEFAULT_SETTINGS } from '../../src/platform/settings.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { startFakeSlack, slackInteractionRequest, type FakeSlack } from '../harness/providers/slack.ts';
import { startFakeSmtp, type FakeSmtp } from '../harness/providers/smtp.ts';
import { startFakeTwilio, type FakeTwilio } from '../harness/providers/twilio.ts';
import { responseSettings, setupResponse, type Responder, type ResponseSetup } from '../harness/response.ts';

const MINUTE = 60_000;
const SID = 'AC00000000000000000000000000000001';
const TOKEN = 'twilio-auth-token-for-tests';
const SIGNING = 'slack-signing-secret-for-tests';
const PUBLIC = 'https://siaga.example.com';

/** Acknowledge and resolve from the notification itself, each recorded with who and through which channel. */
describe(`acting from notifications (${TEST_DIALECT})`, () => {
  let s: ResponseSetup | undefined;
  let slack: FakeSlack | undefined;
  let twilio: FakeTwilio | undefined;
  let smtp: FakeSmtp | undefined;
  afterEach(async () => {
    await s?.t.close();
    await slack?.close();
    await twilio?.close();
    await smtp?.close();
    s = slack = twilio = smtp = undefined;
  });

  async function withProviders(): Promise<ResponseSetup> {
    slack = await startFakeSlack();
    twilio = await startFakeTwilio({ accountSid: SID, authToken: TOKEN });
    smtp = await startFakeSmtp();
    const base = responseSettings();
    return setupResponse({
      settings: {
        ...base,
        publicUrl: PUBLIC,
        notify: {
          ...base.notify,
          providers: {
            ...DEFAULT_SETTINGS.notify.providers,
            slack: { apiBaseUrl: slack.apiBaseUrl, botToken: slack.botToken, signingSecret: SIGNING },
            twilio: { baseUrl: twilio.baseUrl, accountSid: SID, authToken: TOKEN, from: '+15550000000' },
            smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'siaga@example.com' },
          },
        },
      },
    });
  }

  /** Adds a contact method and verifies it with the code that reached the provider. */
  async function verified(
    x: ResponseSetup,
    r: Responder,
    kind: string,
    address: string,
    code: () => Promise<string>,
  ) {
    const created = await r.call('POST', '/api/v1/me/contact-methods', { kind, name: kind, address });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json<{ id: string }>().id;
    await x.drain();
    const ok = await r.call('POST', `/api/v1/me/contact-methods/${id}/verify`, { code: await code() });
    expect(ok.statusCode, ok.body).toBe(200);
    const rule = await r.call('POST', '/api/v1/me/notification-rules', {
      contactMethodId: id,
      urgency: 'high',
      delayMinutes: 0,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    return id;
  }

  const lastCode = (text: string): string => /(\d{6})/.exec(text)![1]!;

  async function incidentState(x: ResponseSetup) {
    const id = await x.incidentId();
    const timeline = await x.timeline(id);
    const row = await x.t.tdb.storage.db
      .selectFrom('incidents')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return { id, status: row.status, timeline };
  }

  it('a link in a page opens a confirmation page, and acknowledges only on its button (POST)', async () => {
    s = await setupResponse();
    const ana = await s.responder('ana');
    await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    await s.fire('link');
    const page = s.received(ana.path).find((m) => m.kind === 'page')!;
    const url = new URL(
      (page.req.json as { actions: { acknowledge: { url: string } } }).actions.acknowledge.url,
    );

    const confirm = await s.t.app.http.inject({ method: 'GET', url: url.pathname });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.headers['content-type']).toMatch(/text\/html/);
    expect(confirm.body).toMatch(/Acknowledge incident #1/);
    expect((await incidentState(s)).status).toBe('triggered'); // a link scanner's GET changes nothing

    const act = await s.t.app.http.inject({ method: 'POST', url: url.pathname, payload: {} });
    expect(act.statusCode, act.body).toBe(200);
    const after = await incidentState(s);
    expect(after.status).toBe('acknowledged');
    const ack = after.timeline.find((e) => e.type === 'incident.acknowledged');
    expect(ack?.data).toMatchObject({ via: 'link' });
    const actor = await s.t.tdb.storage.db
      .selectFrom('timeline_events')
      .select('actor')
      .where('incident_id', '=', after.id)
      .where('type', '=', 'incident.acknowledged')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(actor.actor)).toMatchObject({ kind: 'user', id: ana.id });

    const forged = await s.t.app.http.inject({
      method: 'POST',
      url: `${url.pathname.slice(0, -4)}AAAA`,
      payload: {},
    });
    expect(forged.statusCode).toBe(400);
  });

  it('counts alert events and notifications in /metrics, for operators to alert on', async () => {
    s = await setupResponse();
    const x = s;
    const ana = await x.responder('ana');
    await x.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    const scrape = async () => {
      const r = await x.t.app.http.inject({ url: '/metrics' });
      expect(r.statusCode).toBe(200);
      return (series: string) =>
        Number(
          r.body
            .split('\n')
            .find((line) => line.startsWith(`${series} `))
            ?.split(' ')[1] ?? 0,
        );
    };
    const sent = 'siaga_notifications_total{channel="webhook",outcome="sent"}';
    const timed = 'siaga_notification_duration_seconds_count{channel="webhook"}';
    const before = await scrape();
    await x.fire('metrics');
    await x.fire('metrics'); // the sender repeats itself: the same alert, counted as a repeat
    expect(x.received(ana.path).filter((m) => m.kind === 'page')).toHaveLength(1);
    const after = await scrape();
    expect(after('siaga_alert_events_total{source="pagerduty",outcome="opened"}')).toBe(1);
    expect(after('siaga_alert_events_total{source="pagerduty",outcome="repeated"}')).toBe(1);
    // One page, on top of the code that verified Ana's webhook before.
    expect(after(sent) - before(sent)).toBe(1);
    expect(after(timed) - before(timed)).toBe(1);
  });

  it('SMS pages can be acknowledged by replying "a <number>", with Twilio signatures checked', async () => {
    s = await withProviders();
    const x = s;
    const ana = await x.responder('ana');
    await verified(x, ana, 'sms', '+15551230001', async () => lastCode(twilio!.messages.at(-1)!.body));
    await x.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    await x.fire('sms');
    const sms = twilio!.messages.filter((m) => m.to === '+15551230001').at(-1)!;
    expect(sms.body).toMatch(/reply "a 1"/i);

    const params = { From: '+15551230001', To: '+15550000000', Body: 'a 1', MessageSid: 'SMx' };
    const path = '/api/v1/callbacks/twilio/sms';
    const unsigned = await x.t.app.http.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      payload: new URLSearchParams(params).toString(),
    });
    expect(unsigned.statusCode).toBe(403);
    const signed = await x.t.app.http.inject({
      method: 'POST',
      url: path,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TOKEN, `${PUBLIC}${path}`, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(signed.body).toMatch(/<Message>Incident #1 is acknowledged/);
    const state = await incidentState(x);
    expect(state.status).toBe('acknowledged');
    expect(state.timeline.find((e) => e.type === 'incident.acknowledged')?.data).toMatchObject({
      via: 'sms',
    });
  });

  it('a voice page resolves on keypress 2, through the callback URL in its TwiML', async () => {
    s = await withProviders();
    const x = s;
    const ana = await x.responder('ana');
    await verified(x, ana, 'voice', '+15551230002', async () => {
      const twiml = twilio!.calls.at(-1)!.twiml!;
      const digits = /code is[^<]*/i.exec(twiml)?.[0].replace(/\D/g, '') ?? '';
      if (digits.length < 6) throw new Error(`no code in ${twiml}`);
      return digits.slice(0, 6);
    });
    await x.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    await x.fire('voice');
    const twiml = twilio!.calls.at(-1)!.twiml!;
    const action = /action="([^"]+)"/.exec(twiml)![1]!.replace(/&amp;/g, '&');
    expect(action.startsWith(`${PUBLIC}/api/v1/callbacks/twilio/voice?`)).toBe(true);
    const params = { CallSid: 'CAx', Digits: '2', From: '+15550000000', To: '+15551230002' };
    const res = await x.t.app.http.inject({
      method: 'POST',
      url: action.slice(PUBLIC.length),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(TOKEN, action, params),
      },
      payload: new URLSearchParams(params).toString(),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toMatch(/<Say>.*resolved/);
    const state = await incidentState(x);
    expect(state.status).toBe('resolved');
    expect(state.timeline.find((e) => e.type === 'incident.resolved')?.data).toMatchObject({ via: 'voice' });
  });

  it("a Slack button acknowledges as the Slack user's Siaga account; a bad signature changes nothing", async () => {
    s = await withProviders();
    const x = s;
    const ana = await x.responder('ana');
    await verified(x, ana, 'slack_dm', 'U0ALICE', async () => lastCode(slack!.posted.at(-1)!.text));
    const channel = await x.admin('POST', '/api/v1/channels', {
      name: 'incidents',
      teamId: x.teamId,
      kind: 'slack',
      config: { channel: 'C0INCIDENTS' },
    });
    expect(channel.statusCode, channel.body).toBe(201);
    await x.usePolicy([
      {
        escalateAfterMinutes: 5,
        targets: [{ type: 'channel', id: channel.json<{ id: string }>().id }],
        roundRobin: false,
      },
    ]);
    await x.fire('slack');
    const post = slack!.posted.filter((p) => p.channel === 'C0INCIDENTS').at(-1)!;
    const button = JSON.stringify(post.blocks);
    const value =
      /"action_id":"siaga_ack"[^}]*"value":"([^"]+)"|"value":"([^"]+)"[^}]*"action_id":"siaga_ack"/.exec(
        button,
      )!;
    const token = value[1] ?? value[2]!;
    const now = Math.floor(x.t.clock.now() / 1000);
    const bad = slackInteractionRequest({
      signingSecret: 'wrong',
      actionId: 'siaga_ack',
      value: token,
      nowSeconds: now,
    });
    expect(
      (
        await x.t.app.http.inject({
          method: 'POST',
          url: '/api/v1/callbacks/slack',
          headers: bad.headers,
          payload: bad.body,
        })
      ).statusCode,
    ).toBe(401);
    expect((await incidentState(x)).status).toBe('triggered');

    const click = slackInteractionRequest({
      signingSecret: SIGNING,
      actionId: 'siaga_ack',
      value: token,
      nowSeconds: now,
    });
    const res = await x.t.app.http.inject({
      method: 'POST',
      url: '/api/v1/callbacks/slack',
      headers: click.headers,
      payload: click.body,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ text: string }>().text).toMatch(/#1 is acknowledged/);
    const state = await incidentState(x);
    expect(state.status).toBe('acknowledged');
    expect(state.timeline.find((e) => e.type === 'incident.acknowledged')?.data).toMatchObject({
      via: 'slack',
    });
  });

  it('e-mail pages go through a real SMTP server, with text and HTML parts and action links', async () => {
    s = await withProviders();
    const x = s;
    const ana = await x.responder('ana');
    const code = async () => lastCode((await simpleParser(smtp!.mails.at(-1)!.raw)).text ?? '');
    await verified(x, ana, 'email', 'ana@example.com', code);
    await x.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    await x.fire('mail', '<script>alert(1)</script> disk full');
    const mail = await simpleParser(smtp!.mails.at(-1)!.raw);
    expect(mail.subject).toMatch(/#1/);
    expect(mail.html).not.toContain('<script>alert(1)</script>');
    expect(mail.html).toContain(`${PUBLIC}/api/v1/actions/`);
    expect(mail.text).toContain('disk full');
  });

  it('tells whoever comes on call, 10 to 15 minutes before the shift', async () => {
    s = await setupResponse();
    const ana = await s.responder('ana');
    const start = new Date(s.t.clock.now() + 60 * MINUTE);
    const created = await s.admin('POST', '/api/v1/schedules', {
      name: 'Primary',
      teamId: s.teamId,
      timeZone: 'Europe/Berlin',
      layers: [
        {
          name: 'weekly',
          rotation: {
            shiftLength: { unit: 'days', count: 1 },
            handoffTime: `${String(start.getUTCHours() + 1).padStart(2, '0')}:00`,
            startDate: start.toISOString().slice(0, 10),
            timeZone: 'Europe/Berlin',
          },
          participants: [ana.id],
          restrictions: [],
        },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { sendHandoffNotices } = await import('../../src/response/index.ts');
    const ctx = s.t.app.ctx();
    expect(await sendHandoffNotices(ctx)).toBe(0); // an hour away: too early
    s.t.clock.advance(47 * MINUTE);
    expect(await sendHandoffNotices(ctx)).toBe(1);
    expect(await sendHandoffNotices(ctx)).toBe(0); // once
    await s.drain();
    const notice = s.received(ana.path).find((m) => m.kind === 'handoff');
    expect(notice?.subject).toBe('On call soon: Primary');
  });

  it('a paging drill sends a test page through the real path and stores its result', async () => {
    s = await setupResponse();
    const ana = await s.responder('ana');
    const policyId = await s.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'team', id: s.teamId }], roundRobin: false },
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);
    const started = await s.admin('POST', '/api/v1/drills', { policyId });
    expect(started.statusCode, started.body).toBe(201);
    await s.drain();
    const drill = (await s.admin('GET', `/api/v1/drills/${started.json<{ id: string }>().id}`)).json<{
      outcome: string;
      summary: { steps: { step: number; warnings: string[] }[] };
      deliveries: { status: string }[];
    }>();
    expect(s.received(ana.path).filter((m) => m.kind === 'test')).toHaveLength(1);
    expect(drill.deliveries.map((d) => d.status)).toEqual(['sent']);
    // Step 1 pages nobody: the drill says so and does not pass.
    expect(drill.summary.steps[0]!.warnings.join(' ')).toMatch(/nobody/);
    expect(drill.outcome).toBe('failed');

    const mine = await ana.call('POST', '/api/v1/drills', { userId: ana.id });
    expect(mine.statusCode).toBe(201);
    await s.drain();
    const passed = await ana.call('GET', `/api/v1/drills/${mine.json<{ id: string }>().id}`);
    expect(passed.json<{ outcome: string }>().outcome).toBe('passed');
  });
});
