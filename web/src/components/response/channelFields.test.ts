import { describe, expect, it } from 'vitest';
import { channelBody, channelFields } from './channelFields.ts';
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
