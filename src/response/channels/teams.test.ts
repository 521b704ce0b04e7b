import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeTeams, type FakeTeams } from '../../../test/harness/providers/teams.ts';
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
import { checkTeamsDestination, createTeamsNotifier } from './teams.ts';

interface Card {
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; url: string }[];
}

let fake: FakeTeams;
const notifier = createTeamsNotifier();
const dest = () => destination('teams', { secrets: { webhookUrl: fake.webhookUrl } });

beforeEach(async () => {
  fake = await startFakeTeams();
});
afterEach(async () => {
  await fake.close();
});

describe('Teams workflow webhook', () => {
  it('posts an Adaptive Card with the incident and acknowledge/resolve links, and counts 202 as sent', async () => {
    const outcome = await notifier.send(triggeredPage(), dest(), sendContext());

    expect(outcome).toEqual({ status: 'sent', statusCode: 202 });
    const req = fake.last();
    expect(req.method).toBe('POST');
    expect(req.url.searchParams.get('sig')).toBe('fake-teams-signature');
    expect(req.headers['content-type']).toMatch(/^application\/json/);
    expect(req.headers['x-siaga-delivery']).toBe('dlv_01JFAKE0000000000000000001');
    const body = req.json as { type: string; attachments: { contentType: string; content: Card }[] };
    expect(body.type).toBe('message');
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const card = fake.cards()[0] as unknown as Card;
    expect(card.body[0]?.text).toContain('Checkout latency above 2s');
    const facts = card.body.find((b) => b.type === 'FactSet')?.facts ?? [];
    expect(facts).toEqual(
      expect.arrayContaining([
        { title: 'Incident', value: '#42' },
        { title: 'Service', value: 'checkout-api' },
        { title: 'Severity', value: 'critical' },
        { title: 'Status', value: 'triggered' },
      ]),
    );
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Acknowledge', url: ACK_URL },
      { type: 'Action.OpenUrl', title: 'Resolve', url: RESOLVE_URL },
      { type: 'Action.OpenUrl', title: 'Open incident', url: INCIDENT.url },
    ]);
  });

  it('leaves acknowledge/resolve out of a resolved update but keeps the link to the incident', async () => {
    await notifier.send(resolvedUpdate(), dest(), sendContext());
    const card = fake.cards()[0] as unknown as Card;
    expect(card.actions?.map((a) => a.title)).toEqual(['Open incident']);
    expect(JSON.stringify(card)).not.toContain('/a/ack');
  });

  it('escapes card markdown in labels so alert text cannot add links or formatting', async () => {
    await notifier.send(hostilePage(), dest(), sendContext());
    const text = JSON.stringify(fake.cards()[0]);
    expect(text).not.toContain('[click](http://evil.example/x)');
    expect(text).toContain(String.raw`\\[click\\]\\(http://evil.example/x\\)`);
    expect(text).toContain(String.raw`\\*\\*bold\\*\\*`);
    // The only links are the ones Siaga made.
    const card = fake.cards()[0] as unknown as Card;
    expect(card.actions?.every((a) => a.url.startsWith('https://siaga.example.com/'))).toBe(true);
  });

  it('classifies failures: 5xx and 429 are temporary (honouring Retry-After), other 4xx permanent', async () => {
    fake.reply({ status: 502, body: 'bad gateway' });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      statusCode: 502,
    });

    fake.reply({
      status: 429,
      headers: { 'retry-after': '30' },
      body: { error: { code: 'TooManyRequests' } },
    });
    expect(await notifier.send(triggeredPage(), dest(), sendContext())).toMatchObject({
      status: 'failed_temporary',
      retryAfterMs: 30_000,
    });

    const wrongSig = destination('teams', {
      secrets: { webhookUrl: fake.webhookUrl.replace(/sig=.*$/, 'sig=nope') },
    });
    expect(await notifier.send(triggeredPage(), wrongSig, sendContext())).toMatchObject({
      status: 'failed_permanent',
      statusCode: 401,
    });
    expect(fake.requests).toHaveLength(3);
  });

  it('gives up on a workflow that does not answer in time, as a temporary failure that may have been delivered', async () => {
    fake.reply({ status: 202, delayMs: 2_000 });
    const outcome = await notifier.send(triggeredPage(), dest(), sendContext({ timeoutMs: 100 }));
    expect(outcome).toMatchObject({ status: 'failed_temporary', maybeDelivered: true });
  });

  it('lists the incidents of a bundled summary, with how many more there are', async () => {
    await notifier.send(bundleSummary(), dest(), sendContext());
    const texts = (fake.cards()[0] as unknown as Card).body.map((b) => b.text);
    expect(texts).toContain(
      String.raw`[#43 \[warning\] Disk almost full on db-43 \(checkout-api\)](https://siaga.example.com/incidents/inc_0000000043)`,
    );
    expect(texts).toContain('… and 9 more');
  });

  it('checks the workflow URL without calling it', () => {
    expect(checkTeamsDestination(destination('teams'))).toEqual([
      { pointer: '/secrets/webhookUrl', detail: expect.stringContaining('required') as string },
    ]);
    expect(
      checkTeamsDestination(destination('teams', { secrets: { webhookUrl: 'ftp://x/y' } })),
    ).toHaveLength(1);
    expect(
      checkTeamsDestination(
        destination('teams', {
          secrets: {
            webhookUrl:
              'https://prod-01.westeurope.logic.azure.com/workflows/a/triggers/manual/paths/invoke?sig=x',
          },
        }),
      ),
    ).toEqual([]);
    expect(notifier.secretKeys).toEqual(['webhookUrl']);
    expect(notifier.capabilities).toEqual({
      statusUpdates: true,
      interactiveAck: true,
      resendWhenUnknown: true,
    });
  });
});
