import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness/app.ts';
import { TEST_DIALECT } from '../../../test/harness/db.ts';
import { person, team } from '../../../test/harness/identity.ts';
import { setUserStatus } from '../../identity/index.ts';
import { DAY, HOUR, epochMs } from '../../platform/clock.ts';
import type { Actor } from '../../platform/context.ts';
import {
  createOverride,
  createSchedule,
  listScheduleGaps,
  onCallUserIds,
  teamOnCallUserIds,
  updateSchedule,
  type LayerInput,
} from './index.ts';

/** The schedule verbs against a real database: what escalation asks, and what a deactivated account does. */
describe(`schedule verbs (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const daily = (participants: string[], over: Partial<LayerInput> = {}): LayerInput => ({
    name: 'Daily',
    rotation: {
      shiftLength: { unit: 'days', count: 1 },
      handoffTime: '09:00',
      startDate: '2026-03-01',
      timeZone: 'UTC',
    },
    participants,
    restrictions: [],
    ...over,
  });

  async function setup() {
    t = await createTestApp();
    const ops = await team(t, 'Ops');
    const ana = await person(t, 'stakeholder', { [ops]: 'responder' }, 'Ana');
    const ben = await person(t, 'stakeholder', { [ops]: 'responder' }, 'Ben');
    const system = t.app.ctx({ kind: 'system', name: 'test' });
    return { t, ops, ana, ben, system };
  }

  it('a deactivated person is nobody: escalation gets an empty list and the gap shows; new layers refuse them', async () => {
    const { t, ops, ana, ben, system } = await setup();
    const s = await createSchedule(system, {
      teamId: ops,
      name: 'Rota',
      timeZone: 'UTC',
      layers: [daily([ana.id, ben.id])],
    });
    // Sunday 1 March 09:00 UTC: Ana's day.
    expect(await onCallUserIds(system, s.id, t.clock.now())).toEqual([ana.id]);
    await setUserStatus(system, ana.id, 'deactivated');
    expect(await onCallUserIds(system, s.id, t.clock.now())).toEqual([]);
    const gaps = await listScheduleGaps(system, s.id, {
      from: '2026-03-01T09:00:00Z',
      to: '2026-03-03T09:00:00Z',
    });
    expect(gaps.gaps).toEqual([
      { start: '2026-03-01T09:00:00.000Z', end: '2026-03-02T09:00:00.000Z' },
      // Ben's day, 2 March, is still covered.
    ]);
    await expect(updateSchedule(system, s.id, { layers: [daily([ana.id, ben.id])] })).rejects.toMatchObject({
      code: 'validation',
      errors: [{ pointer: '/layers/0/participants/0', detail: `user ${ana.id} is deactivated` }],
    });
  });

  it('a swap takes only the named person’s hours; the team on-call is everyone on call in the team’s schedules', async () => {
    const { t, ops, ana, ben, system } = await setup();
    const cem = await person(t, 'stakeholder', { [ops]: 'responder' }, 'Cem');
    const primary = await createSchedule(system, {
      teamId: ops,
      name: 'Primary',
      timeZone: 'UTC',
      layers: [daily([ana.id])],
    });
    const secondary = await createSchedule(system, {
      teamId: ops,
      name: 'Secondary',
      timeZone: 'UTC',
      layers: [daily([ben.id])],
    });
    const responder: Actor = {
      kind: 'user',
      userId: cem.id,
      name: 'Cem',
      email: cem.email,
      role: 'stakeholder',
      teams: new Map([[ops, 'responder']]),
      via: 'session',
    };
    const now = t.clock.now();
    await createOverride(t.app.ctx(responder), primary.id, {
      userId: cem.id,
      replacesUserId: ana.id,
      start: now,
      end: epochMs(now + 2 * HOUR),
    });
    // The swap names Ana, so it does not touch Ben in the other schedule.
    await createOverride(t.app.ctx(responder), secondary.id, {
      userId: cem.id,
      replacesUserId: ana.id,
      start: now,
      end: epochMs(now + 2 * HOUR),
    });
    expect(await onCallUserIds(system, primary.id, now)).toEqual([cem.id]);
    expect(await onCallUserIds(system, secondary.id, now)).toEqual([ben.id]);
    expect((await teamOnCallUserIds(system, ops, now)).sort()).toEqual([ben.id, cem.id].sort());
    expect((await teamOnCallUserIds(system, ops, epochMs(now + DAY))).sort()).toEqual(
      [ana.id, ben.id].sort(),
    );
  });
});
