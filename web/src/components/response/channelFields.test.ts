import { describe, expect, it } from 'vitest';
import type { Channel } from '../../api/response.ts';
import { channelBody, channelFields, channelPatch } from './channelFields.ts';
import { draftOf, layerOf, move, newLayerDraft } from './layerDraft.ts';
import { policyBody, stepsProblem, type StepDraft } from './policyDraft.ts';

describe('forms of the Respond pages', () => {
  it('puts a chat webhook URL in the secrets and a shown address in the config', () => {
    const base = { name: 'Pager', teamId: 'tem_0123456789', kind: 'slack' as const };
    expect(
      channelBody(base, channelFields('slack'), { webhookUrl: ' https://hooks.slack.com/services/T/B/x ' }),
    ).toEqual({ ...base, secrets: { webhookUrl: 'https://hooks.slack.com/services/T/B/x' } });
    const hook = { ...base, kind: 'webhook' as const };
    expect(
      channelBody(hook, channelFields('webhook'), { address: 'https://example.com/hook', authorization: '' }),
    ).toEqual({ ...hook, config: { address: 'https://example.com/hook' } });
    expect(channelFields('slack', 'bot').map((f) => `${f.target}.${f.key}`)).toEqual([
      'config.channel',
      'secrets.botToken',
    ]);
  });

  it('edits a channel with only what changed: empty secrets are kept, typed ones set, removed ones null', () => {
    const hook: Channel = {
      id: 'chn_0123456789',
      name: 'Deploys',
      teamId: 'tem_0123456789',
      kind: 'webhook',
      config: { address: 'https://example.com/hook', headers: { 'X-Env': 'prod' } },
      secretKeys: ['authorization', 'signingSecret'],
      hasSecrets: true,
      declared: false,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const fields = channelFields('webhook');
    const base = { name: 'Deploys', teamId: 'tem_0123456789' };
    const shown = { address: 'https://example.com/hook' };
    // Nothing typed: nothing to send, and the secrets stay as they are.
    expect(channelPatch(hook, base, fields, { ...shown, signingSecret: '', authorization: '' })).toEqual({});
    // One secret rotated: only it goes, the other is kept by the server.
    expect(channelPatch(hook, base, fields, { ...shown, signingSecret: ' new-secret-0123456789 ' })).toEqual({
      secrets: { signingSecret: 'new-secret-0123456789' },
    });
    // Removed on request (only one the channel has), whatever was typed into it.
    expect(
      channelPatch(
        hook,
        { ...base, name: 'Deploys v2' },
        fields,
        { ...shown, authorization: 'typed anyway' },
        new Set(['authorization']),
      ),
    ).toEqual({ name: 'Deploys v2', secrets: { authorization: null } });
    expect(
      channelPatch({ ...hook, secretKeys: [] }, base, fields, shown, new Set(['authorization'])),
    ).toEqual({});
    // A changed address sends the whole config, keeping settings the form has no field for.
    expect(channelPatch(hook, base, fields, { address: 'https://example.com/v2' })).toEqual({
      config: { address: 'https://example.com/v2', headers: { 'X-Env': 'prod' } },
    });
  });

  it('turns a layer form into the API’s layer and back', () => {
    const draft = {
      ...newLayerDraft(1, 'Europe/Berlin', '2026-03-02'),
      participants: ['usr_a', 'usr_b'],
      restrictions: [
        { days: ['fri', 'mon'] as ('mon' | 'fri')[], from: '09:00', to: '17:00' },
        { days: [], from: '22:00', to: '06:00' },
      ],
    };
    const layer = layerOf(draft);
    expect(layer.restrictions).toEqual([
      { days: ['mon', 'fri'], from: '09:00', to: '17:00' },
      { from: '22:00', to: '06:00' },
    ]);
    expect(draftOf({ ...layer, id: 'L1' }).restrictions[1]!.days).toEqual([]);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('refuses a policy step that pages nobody, and drops unchosen targets', () => {
    const steps: StepDraft[] = [
      {
        escalateAfterMinutes: 10,
        roundRobin: false,
        targets: [{ type: 'schedule', id: 'sch_0123456789' }],
      },
      { escalateAfterMinutes: 10, roundRobin: false, targets: [{ type: 'user', id: '' }] },
    ];
    expect(stepsProblem(steps)).toBe('Step 2 pages nobody: choose who it pages.');
    steps[1]!.targets.push({ type: 'user', id: 'usr_0123456789' });
    expect(stepsProblem(steps)).toBeUndefined();
    expect(
      policyBody({ name: ' P ', teamId: 'tem_0123456789', description: '', repeat: 1, steps }).steps[1]!
        .targets,
    ).toEqual([{ type: 'user', id: 'usr_0123456789' }]);
  });
});
