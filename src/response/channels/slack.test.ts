import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FAKE_SLACK_CHANNEL,
  FAKE_SLACK_USER,
  type FakeSlack,
  startFakeSlack,
} from '../../../test/harness/providers/slack.ts';
import { SECOND, epochMs } from '../../platform/clock.ts';
import { createHttpSender } from '../../platform/net/http-sender.ts';
import type { Destination, OutboundMessage, SendContext } from './notifier.ts';
import {
  checkSlackDestination,
  checkSlackDmDestination,
  createSlackNotifier,
  escapeSlackText,
  slackBlocks,
  slackFallbackText,
} from './slack.ts';

const T0 = epochMs(Date.parse('2026-03-01T09:00:00Z'));

const page: OutboundMessage = {
  id: 'dlv_slack_1',
  kind: 'page',
  event: 'triggered',
  subject: '[#42] Checkout API down <!channel>',
  text: 'Label team=<!channel> and @here & friends <https://evil.example|click me>',
  incident: {
    id: 'inc_1',
    number: 42,
    title: 'Checkout API down',
    severity: 'critical',
    urgency: 'high',
    status: 'triggered',
    serviceName: 'checkout <@U0BOSS>',
    url: 'https://siaga.example/incidents/inc_1',
    openedAt: epochMs(T0 - 60 * SECOND),
    alertCount: 3,
  },
  actions: {
    acknowledge: { url: 'https://siaga.example/a/ack', token: 'tok_ack_123' },
    resolve: { url: 'https://siaga.example/a/res', token: 'tok_res_456' },
  },
  createdAt: T0,
};

let slack: FakeSlack;
beforeEach(async () => {
  slack = await startFakeSlack();
});
afterEach(async () => {
  await slack.close();
});

const ctx = (over: Partial<SendContext> = {}): SendContext => ({
  http: createHttpSender({ allowPrivate: false, allow: [new URL(slack.origin).host] }),
  signal: new AbortController().signal,
  timeoutMs: 5_000,
  now: T0,
  ...over,
});
const botDest = (over: Partial<Destination> = {}): Destination => ({
  kind: 'slack',
  address: '',
  config: { channel: FAKE_SLACK_CHANNEL },
  secrets: { botToken: slack.botToken },
  ...over,
});

function actionsOf(blocks: readonly Record<string, unknown>[]) {
  const actions = blocks.find((b) => b.type === 'actions') as
    { elements: Record<string, unknown>[] } | undefined;
  return actions?.elements ?? [];
}

describe('Slack channel: bot token and chat.postMessage', () => {
  it('posts to the channel with Acknowledge/Resolve buttons carrying the action tokens', async () => {
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl });
    const outcome = await notifier.send(page, botDest(), ctx());
    expect(outcome).toEqual({
      status: 'sent',
      statusCode: 200,
      providerMessageId: `${FAKE_SLACK_CHANNEL}:1772355600.000001`,
    });
    const req = slack.requests[0]!;
    expect(req.path).toBe('/api/chat.postMessage');
    expect(req.headers.authorization).toBe(`Bearer ${slack.botToken}`);
    expect(req.headers['content-type']).toBe('application/json; charset=utf-8');
    const [post] = slack.posted;
    expect(post?.channel).toBe(FAKE_SLACK_CHANNEL);
    expect(actionsOf(post!.blocks)).toEqual([
      expect.objectContaining({
        action_id: 'siaga_ack',
        value: 'tok_ack_123',
        text: expect.objectContaining({ text: 'Acknowledge' }),
      }),
      expect.objectContaining({
        action_id: 'siaga_resolve',
        value: 'tok_res_456',
        text: expect.objectContaining({ text: 'Resolve' }),
      }),
    ]);
    expect(JSON.stringify(post!.blocks)).toContain(
      '<https://siaga.example/incidents/inc_1|Open incident #42 in Siaga>',
    );
  });

  it('uses the provider-wide bot token when the destination has none', async () => {
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl, botToken: slack.botToken });
    const outcome = await notifier.send(page, botDest({ secrets: {} }), ctx());
    expect(outcome.status).toBe('sent');
  });

  it('sends a direct message when the address is a Slack user id (slack_dm)', async () => {
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl, botToken: slack.botToken });
    const outcome = await notifier.send(
      page,
      { kind: 'slack', address: FAKE_SLACK_USER, config: {}, secrets: {} },
      ctx(),
    );
    expect(outcome).toMatchObject({ status: 'sent', providerMessageId: 'D0ALICE:1772355600.000001' });
    expect(slack.requests[0]?.json).toMatchObject({ channel: FAKE_SLACK_USER });
  });

  it.each([
    ['invalid_auth', { secrets: { botToken: 'xoxb-wrong-token' } }, /bot token is not valid/],
    ['channel_not_found', { config: { channel: 'C0NOSUCH' } }, /no such channel/],
    ['not_in_channel', { config: { channel: 'C0NOTJOINED' } }, /invite the bot/],
  ])('ok:false %s is permanent', async (error, over, hint) => {
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl });
    const outcome = await notifier.send(page, botDest(over), ctx());
    expect(outcome).toMatchObject({ status: 'failed_permanent', statusCode: 200 });
    expect(outcome.status === 'failed_permanent' && outcome.reason).toMatch(new RegExp(`^Slack: ${error}`));
    expect(outcome.status === 'failed_permanent' && outcome.reason).toMatch(hint);
    expect(slack.posted).toHaveLength(0);
  });

  it('account_inactive is permanent; internal_error is temporary', async () => {
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl });
    slack.failNext('account_inactive');
    expect((await notifier.send(page, botDest(), ctx())).status).toBe('failed_permanent');
    slack.failNext('internal_error');
    expect((await notifier.send(page, botDest(), ctx())).status).toBe('failed_temporary');
  });

  it('HTTP 429 ratelimited is temporary and honours Retry-After', async () => {
    slack.script({
      status: 429,
      headers: { 'Retry-After': '30', 'content-type': 'application/json' },
      body: '{"ok":false,"error":"ratelimited"}',
    });
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl });
    expect(await notifier.send(page, botDest(), ctx())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 429,
      retryAfterMs: 30_000,
    });
  });

  it('a 200 that is not Web API JSON is temporary and may have been posted', async () => {
    slack.script({ status: 200, body: '<html>proxy</html>' });
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl });
    expect(await notifier.send(page, botDest(), ctx())).toMatchObject({
      status: 'failed_temporary',
      maybeDelivered: true,
    });
  });

  it('without any bot token the send fails permanently without a request', async () => {
    const notifier = createSlackNotifier({ apiBaseUrl: slack.apiBaseUrl });
    expect(await notifier.send(page, botDest({ secrets: {} }), ctx())).toEqual({
      status: 'failed_permanent',
      reason: 'no Slack bot token is configured',
    });
    expect(slack.requests).toHaveLength(0);
  });
});

describe('Slack channel: incoming webhook', () => {
  const hookDest = (): Destination => ({
    kind: 'slack',
    address: '',
    config: {},
    secrets: { webhookUrl: slack.webhookUrl },
  });

  it('posts text and blocks to the webhook URL; Slack answers "ok"', async () => {
    const notifier = createSlackNotifier();
    expect(await notifier.send(page, hookDest(), ctx())).toEqual({ status: 'sent', statusCode: 200 });
    expect(slack.posted[0]).toMatchObject({ via: 'webhook', channel: '#incidents' });
    expect(slack.requests[0]?.headers.authorization).toBeUndefined();
    expect(slack.requests[0]?.json).toMatchObject({ text: expect.any(String), blocks: expect.any(Array) });
  });

  it('a removed webhook (404 no_service) is permanent; a 500 is temporary', async () => {
    const notifier = createSlackNotifier();
    const gone = await notifier.send(
      page,
      {
        kind: 'slack',
        address: '',
        config: {},
        secrets: { webhookUrl: `${slack.origin}/services/T0/B0/gone` },
      },
      ctx(),
    );
    expect(gone).toEqual({
      status: 'failed_permanent',
      statusCode: 404,
      reason: 'Slack: no_service (the incoming webhook was removed or disabled)',
    });
    slack.script({ status: 500, body: 'rollup_error' });
    expect(await notifier.send(page, hookDest(), ctx())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 500,
    });
  });
});

describe('Slack message layout', () => {
  it('escapes user-provided text so <!channel>, <@user>, disguised links and @here do nothing', () => {
    // Every mrkdwn text Slack parses, plus the top-level fallback text; plain_text (the header) is never parsed.
    const mrkdwnTexts: string[] = [slackFallbackText(page)];
    JSON.stringify(slackBlocks(page), (_key, value: unknown) => {
      const v = value as { type?: string; text?: unknown };
      if (v && v.type === 'mrkdwn' && typeof v.text === 'string') mrkdwnTexts.push(v.text);
      return value;
    });
    expect(mrkdwnTexts.length).toBeGreaterThan(5);
    const all = mrkdwnTexts.join('\n');
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<@U0BOSS>');
    expect(all).not.toContain('<https://evil.example|');
    expect(all).not.toMatch(/@here/);
    expect(slackFallbackText(page)).toBe('[#42] Checkout API down &lt;!channel&gt;');
    expect(escapeSlackText('a & b <!here> @channel @Everyone')).toBe(
      'a &amp; b &lt;!here&gt; @\u200bchannel @\u200bEveryone',
    );
  });

  it('shows service, severity, status and opening time, and a link to the incident', () => {
    const blocks = slackBlocks(page);
    expect(blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '[#42] Checkout API down <!channel>', emoji: true },
    });
    expect(blocks[1]).toEqual({
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: '*Service*\ncheckout &lt;@U0BOSS&gt;' },
        { type: 'mrkdwn', text: '*Severity*\nCritical' },
        { type: 'mrkdwn', text: '*Status*\nTriggered' },
        {
          type: 'mrkdwn',
          text: '*Opened*\n<!date^1772355540^{date_short_pretty} {time}|2026-03-01T08:59:00.000Z>',
        },
      ],
    });
  });

  it('offers only Resolve once acknowledged, and no buttons once resolved', () => {
    const ids = (m: OutboundMessage) => actionsOf(slackBlocks(m)).map((e) => e.action_id);
    expect(ids({ ...page, event: 'acknowledged' })).toEqual(['siaga_resolve']);
    expect(ids({ ...page, event: 'resolved' })).toEqual([]);
    expect(ids({ ...page, actions: undefined as never })).toEqual([]);
  });

  it('lists a bundle with a count of the rest', () => {
    const incidents = Array.from({ length: 12 }, (_, i) => ({
      ...page.incident!,
      id: `inc_${i}`,
      number: i + 1,
    }));
    const text = JSON.stringify(slackBlocks({ ...page, kind: 'bundle', bundle: { count: 40, incidents } }));
    expect(text).toContain('#10>');
    expect(text).not.toContain('#11>');
    expect(text).toContain('…and 30 more');
  });
});

describe('Slack destination checks', () => {
  const dest = (over: Partial<Destination>): Destination => ({
    kind: 'slack',
    address: '',
    config: {},
    secrets: {},
    ...over,
  });

  it('accepts an incoming webhook, or a channel with a token', () => {
    expect(
      checkSlackDestination(dest({ secrets: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' } })),
    ).toEqual([]);
    expect(
      checkSlackDestination(
        dest({ config: { channel: 'C0123ABCD' }, secrets: { botToken: 'xoxb-123-456-abc' } }),
      ),
    ).toEqual([]);
    expect(
      checkSlackDestination(dest({ config: { channel: '#incidents' } }), { providerBotToken: true }),
    ).toEqual([]);
  });

  it('points at what is missing or wrong', () => {
    expect(checkSlackDestination(dest({ secrets: { webhookUrl: 'hooks.slack.com' } }))).toEqual([
      { pointer: '/secrets/webhookUrl', detail: 'not a valid URL' },
    ]);
    expect(checkSlackDestination(dest({})).map((p) => p.pointer)).toEqual([
      '/config/channel',
      '/secrets/botToken',
    ]);
    expect(
      checkSlackDestination(dest({ config: { channel: 'has spaces' } }), { providerBotToken: true }),
    ).toEqual([{ pointer: '/config/channel', detail: 'a Slack channel id (C0123ABCD) or #name' }]);
    expect(checkSlackDmDestination(dest({ address: 'alice' }), { providerBotToken: true })[0]?.pointer).toBe(
      '/address',
    );
    expect(checkSlackDmDestination(dest({ address: 'U0123ABCD' }), { providerBotToken: true })).toEqual([]);
  });

  it('the notifier checks a DM address when there is no channel', () => {
    const notifier = createSlackNotifier({ botToken: 'xoxb-provider-token' });
    expect(notifier.check(dest({ address: 'U0123ABCD' }))).toEqual([]);
    expect(notifier.check(dest({ address: 'nobody' })).map((p) => p.pointer)).toEqual(['/config/channel']);
    expect(notifier.capabilities).toEqual({
      statusUpdates: true,
      interactiveAck: true,
      resendWhenUnknown: true,
    });
  });
});
