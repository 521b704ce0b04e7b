import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { slackInteractionRequest } from '../../../test/harness/providers/slack.ts';
import { parseSlackInteraction, signSlackRequest, verifySlackRequest } from './slack-interaction.ts';

const signingSecret = '8f742231b10e8888abcd99yyyzzz85a5';
const now = 1_772_355_600;

describe('Slack interaction callbacks', () => {
  const click = slackInteractionRequest({
    signingSecret,
    actionId: 'siaga_ack',
    value: 'tok_ack_123',
    userId: 'U0ALICE',
    userName: 'alice',
    nowSeconds: now,
  });
  const verify = (over: Partial<Parameters<typeof verifySlackRequest>[0]> = {}) =>
    verifySlackRequest({
      signingSecret,
      timestamp: click.headers['x-slack-request-timestamp'],
      signature: click.headers['x-slack-signature'],
      rawBody: click.body,
      nowSeconds: now + 5,
      ...over,
    });

  it('signs like Slack documents: v0=HMAC_SHA256(secret, "v0:" + ts + ":" + body)', () => {
    const expected = createHmac('sha256', signingSecret).update(`v0:${now}:${click.body}`).digest('hex');
    expect(signSlackRequest(signingSecret, now, click.body)).toBe(`v0=${expected}`);
    expect(click.headers['x-slack-signature']).toBe(`v0=${expected}`);
  });

  it('accepts a request signed with the signing secret', () => {
    expect(verify()).toEqual({ ok: true });
    expect(verify({ rawBody: Buffer.from(click.body) })).toEqual({ ok: true });
  });

  it('rejects another secret, a changed body and a missing or malformed signature', () => {
    expect(verify({ signingSecret: 'not-the-secret' })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify({ rawBody: click.body.replace('tok_ack_123', 'tok_ack_124') })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verify({ signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(verify({ timestamp: '' })).toEqual({ ok: false, reason: 'missing' });
    expect(verify({ signature: 'v1=abc' })).toEqual({ ok: false, reason: 'malformed' });
    expect(verify({ timestamp: 'yesterday' })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('rejects a replay more than 5 minutes old (or from the future)', () => {
    expect(verify({ nowSeconds: now + 300 })).toEqual({ ok: true });
    expect(verify({ nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'stale' });
    expect(verify({ nowSeconds: now - 301 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('reads the clicked button, the Slack user and the response URL from the form body', () => {
    expect(parseSlackInteraction(click.body)).toEqual({
      actionId: 'siaga_ack',
      value: 'tok_ack_123',
      slackUserId: 'U0ALICE',
      slackUserName: 'alice',
      responseUrl: 'https://hooks.slack.com/actions/T0FAKE/1/xyz',
      teamId: 'T0FAKE',
    });
  });

  it('returns null for anything that is not a button click', () => {
    expect(parseSlackInteraction('')).toBeNull();
    expect(parseSlackInteraction('payload=not-json')).toBeNull();
    const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    expect(parseSlackInteraction(form({ type: 'view_submission', user: { id: 'U1' } }))).toBeNull();
    expect(
      parseSlackInteraction(form({ type: 'block_actions', user: { id: 'U1' }, actions: [] })),
    ).toBeNull();
    expect(
      parseSlackInteraction(
        form({ type: 'block_actions', actions: [{ action_id: 'siaga_ack', value: 'x' }] }),
      ),
    ).toBeNull();
  });
});
