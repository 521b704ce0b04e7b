import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeMattermost, type FakeMattermost } from '../../../test/harness/providers/mattermost.ts';
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
import { checkMattermostDestination, createMattermostNotifier } from './mattermost.ts';

let fake: FakeMattermost;
const notifier = createMattermostNotifier();
const dest = () => destination('mattermost', { secrets: { webhookUrl: fake.webhookUrl } });
const text = () => (fake.last().json as { text: string }).text;

beforeEach(async () => {
  fake = await startFakeMattermost();
});
afterEach(async () => {
  await fake.close();
});

describe('Mattermost incoming webhook', () => {
  it('posts markdown with the incident facts and acknowledge/resolve links; 200 ok is sent', async () => {
    const outcome = await notifier.send(triggeredPage(), dest(), sendContext());

    expect(outcome).toEqual({ status: 'sent', statusCode: 200 });
    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toMatch(/^\/hooks\/[a-z0-9]+$/);
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers['x-siaga-delivery']).toBe('dlv_01JFAKE0000000000000000001');
    expect(text()).toMatch(/^#### 🚨 /);
    expect(text()).toContain(`[Incident #42](${INCIDENT.url})`);
    expect(text()).toContain('**Severity:** critical');
    expect(text()).toContain(`**[Acknowledge](${ACK_URL})** · **[Resolve](${RESOLVE_URL})**`);
    expect(fake.posts).toHaveLength(1);
  });

  it('sends no acknowledge/resolve links with a resolved update', async () => {
    await notifier.send(resolvedUpdate(), dest(), sendContext());
    expect(text()).toMatch(/^#### ✅ /);
    expect(text()).not.toContain('Acknowledge');
    expect(text()).not.toContain('/a/resolve');
  });

  it('neutralises @channel/@all/@here and markdown in alert text', async () => {
    await notifier.send(hostilePage(), dest(), sendContext());
    expect(text()).not.toMatch(/@(everyone|here|channel|all)/);
    expect(text()).toContain('@\u200bchannel');
    expect(text()).not.toContain('[click](');
    expect(text()).toContain(String.raw`\[click\]\(http\:`);
    expect(text()).not.toContain('**bold**');
    // Siaga's own links survive.
    expect(text()).toContain(`**[Acknowledge](${ACK_URL})**`);
  });

  it('classifies failures: 503 temporary, 429 honours Retry-After, an unknown hook is permanent', async () => {
    fake.reply({ status: 503, body: 'maintenance' });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 503,
    });

    fake.reply({ status: 429, headers: { 'retry-after': '12' }, body: { message: 'too many requests' } });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      retryAfterMs: 12_000,
    });

    const unknown = destination('mattermost', {
      secrets: { webhookUrl: `${fake.baseUrl}/hooks/nosuchhook` },
    });
    expect(await notifier.send(triggeredPage(), unknown, sendContext())).toMatchObject({
      status: 'failed_permanent',
      statusCode: 400,
    });
  });

  it('lists the incidents of a bundled summary as links', async () => {
    await notifier.send(bundleSummary(), dest(), sendContext());
    expect(text()).toContain('](https://siaga.example.com/incidents/inc_0000000043)');
    expect(text()).toContain('- … and 9 more');
  });

  it('checks the hook URL without calling it', () => {
    const check = (webhookUrl: string) =>
      checkMattermostDestination(destination('mattermost', { secrets: { webhookUrl } }));
    expect(check('https://chat.example.com/hooks/xq7bz5kd3jgfdnbm8ycurpwh1e')).toEqual([]);
    expect(check('https://chat.example.com/api/v4/posts')).toHaveLength(1);
    expect(check('not a url')).toHaveLength(1);
  });
});
