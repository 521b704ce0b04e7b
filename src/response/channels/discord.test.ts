import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../../test/harness/providers/discord.ts';
import {
  ACK_URL,
  bundleSummary,
  destination,
  hostilePage,
  INCIDENT,
  RESOLVE_URL,
  resolvedUpdate,
  sendContext,
  triggeredPage,
} from '../../../test/harness/providers/sample-messages.ts';
import { checkDiscordDestination, createDiscordNotifier } from './discord.ts';

interface Body {
  content: string;
  embeds: {
    title: string;
    url?: string;
    description: string;
    color: number;
    fields: { name: string; value: string; inline: boolean }[];
  }[];
  allowed_mentions: { parse: string[] };
  username?: string;
}

let fake: FakeDiscord;
const notifier = createDiscordNotifier();
const dest = () => destination('discord', { secrets: { webhookUrl: fake.webhookUrl } });

beforeEach(async () => {
  fake = await startFakeDiscord();
});
afterEach(async () => {
  await fake.close();
});

describe('Discord webhook', () => {
  it('executes the webhook with wait=true and records the message id Discord returns', async () => {
    const outcome = await notifier.send(triggeredPage(), dest(), sendContext());

    expect(outcome).toEqual({ status: 'sent', providerMessageId: fake.messages[0]?.id, statusCode: 200 });
    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toMatch(/^\/api\/webhooks\/\d+\/[^/]+$/);
    expect(req.url.searchParams.get('wait')).toBe('true');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers['x-siaga-delivery']).toBe('dlv_01JFAKE0000000000000000001');
    const body = req.json as Body;
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toContain('Checkout latency above 2s');
    const embed = body.embeds[0]!;
    expect(embed.title).toBe('Incident #42');
    expect(embed.url).toBe(INCIDENT.url);
    expect(embed.color).toBe(0xd32f2f);
    expect(embed.fields.map((f) => f.name)).toEqual(['Service', 'Severity', 'Urgency', 'Status', 'Alerts']);
    expect(embed.description).toContain(`[Acknowledge](${ACK_URL})`);
    expect(embed.description).toContain(`[Resolve](${RESOLVE_URL})`);
  });

  it('sends no acknowledge/resolve links with a resolved update', async () => {
    await notifier.send(resolvedUpdate(), dest(), sendContext());
    const body = fake.last().json as Body;
    expect(body.embeds[0]?.description).not.toContain('Acknowledge');
    expect(JSON.stringify(body)).not.toContain('/a/ack');
    expect(JSON.stringify(body)).not.toContain('/a/resolve');
    expect(body.embeds[0]?.color).toBe(0x388e3c);
  });

  it('neutralises mentions and markdown in alert text', async () => {
    await notifier.send(hostilePage(), dest(), sendContext());
    const body = fake.last().json as Body;
    const all = [body.content, body.embeds[0]!.description, ...body.embeds[0]!.fields.map((f) => f.value)];
    for (const text of all) {
      expect(text).not.toMatch(/@(everyone|here|channel|all)/);
      expect(text).not.toContain('[click](');
      expect(text).not.toContain('**bold**');
    }
    expect(body.content).toContain('@\u200beveryone');
    expect(body.embeds[0]?.fields[0]?.value).toContain(String.raw`\[click\]\(http\:`);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it('waits as long as a 429 says in its JSON retry_after (seconds, fractional)', async () => {
    fake.rateLimit(1.5);
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toEqual({
      status: 'failed_temporary',
      reason: 'HTTP 429: Discord webhook rate limit',
      retryAfterMs: 1_500,
      statusCode: 429,
    });
  });

  it('retries 5xx and gives up on an unknown webhook', async () => {
    fake.reply({ status: 503, body: { message: 'upstream connect error' } });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 503,
    });

    const unknown = destination('discord', {
      secrets: { webhookUrl: fake.webhookUrl.replace(/webhooks\/\d+/, 'webhooks/999') },
    });
    expect(await notifier.send(triggeredPage(), unknown, sendContext())).toMatchObject({
      status: 'failed_permanent',
      statusCode: 404,
    });
  });

  it('uses the configured name', async () => {
    await createDiscordNotifier({ username: 'Siaga on-call' }).send(triggeredPage(), dest(), sendContext());
    expect((fake.last().json as Body).username).toBe('Siaga on-call');
  });

  it('lists the incidents of a bundled summary as links', async () => {
    await notifier.send(bundleSummary(), dest(), sendContext());
    const description = (fake.last().json as Body).embeds[0]!.description;
    expect(description).toContain('](https://siaga.example.com/incidents/inc_0000000043)');
    expect(description).toContain('Disk almost full on db\\-44');
    expect(description).toContain('… and 9 more');
  });

  it('checks the webhook URL shape without calling it', () => {
    const check = (webhookUrl: string) =>
      checkDiscordDestination(destination('discord', { secrets: { webhookUrl } }));
    expect(check('https://discord.com/api/webhooks/1180000000000000001/abc-DEF_1')).toEqual([]);
    expect(check('https://discord.com/api/v10/webhooks/1180000000000000001/abc')).toEqual([]);
    expect(check('https://discord.com/channels/1/2')).toEqual([
      { pointer: '/secrets/webhookUrl', detail: 'does not look like a Discord webhook URL' },
    ]);
    expect(check('javascript:alert(1)')).toHaveLength(1);
    expect(checkDiscordDestination(destination('discord'))).toHaveLength(1);
  });
});
