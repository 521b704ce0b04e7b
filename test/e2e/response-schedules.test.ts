import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { onCallUserIds, scheduleShifts } from '../../src/response/schedules/index.ts';
import { HOUR, epochMs } from '../../src/platform/clock.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team } from '../harness/identity.ts';

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: { pointer: string; detail: string }[];
};
type ScheduleJson = { id: string; version: number; layers: { id: string }[] } & Record<string, unknown>;
type OnCallJson = { at: string; onCall: { userId: string; name: string; start: string; end: string }[] };
type IssuedJson = { feed: { id: string }; token: string; url: string };

/**
 * On-call schedules through the HTTP API: the clock starts Sunday 1 March 2026, 10:00 in Berlin (T0), four weeks
 * before the spring DST change.
 */
describe(`on-call schedules (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setup() {
    t = await createTestApp();
    const ops = await team(t, 'Ops');
    const other = await team(t, 'Other');
    const lead = await person(t, 'stakeholder', { [ops]: 'admin' }, 'Lea');
    const ana = await person(t, 'stakeholder', { [ops]: 'responder' }, 'Ana');
    const ben = await person(t, 'stakeholder', { [ops]: 'responder' }, 'Ben');
    const cem = await person(t, 'stakeholder', { [ops]: 'responder' }, 'Cem');
    const watcher = await person(t, 'stakeholder', { [ops]: 'observer' }, 'Wim');
    const outsider = await person(t, 'stakeholder', { [other]: 'admin' }, 'Oz');
    return {
      t,
      ops,
      ana,
      ben,
      cem,
      asLead: as(t, await login(t, lead)),
      asAna: as(t, await login(t, ana)),
      asBen: as(t, await login(t, ben)),
      asWatcher: as(t, await login(t, watcher)),
      asOutsider: as(t, await login(t, outsider)),
    };
  }

  /** Weekly, Monday 09:00 Berlin, from Monday 23 February: Ana this week, then Ben, Ana, Ben… */
  const primary = (participants: string[]) => ({
    name: 'Primary',
    rotation: {
      shiftLength: { unit: 'weeks', count: 1 },
      handoffTime: '09:00',
      startDate: '2026-02-23',
      timeZone: 'Europe/Berlin',
    },
    participants,
  });

  async function auditActions(t: TestApp, objectId: string): Promise<string[]> {
    const rows = await t.tdb.storage.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', objectId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action);
  }

  it('answers who is on call now and at an instant, follows overrides, and audits every change', async () => {
    const { t, ops, ana, ben, cem, asLead, asBen, asWatcher } = await setup();
    const created = await asLead('POST', '/api/v1/schedules', {
      teamId: ops,
      name: ' Payments primary ',
      timeZone: 'Europe/Berlin',
      layers: [primary([ana.id, ben.id])],
    });
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json<ScheduleJson>();
    expect(schedule).toMatchObject({
      id: expect.stringMatching(/^sched_[0-9A-Z]{26}$/),
      name: 'Payments primary',
      teamId: ops,
      timeZone: 'Europe/Berlin',
      version: 1,
      layers: [
        {
          id: expect.stringMatching(/^layer_/),
          name: 'Primary',
          participants: [ana.id, ben.id],
          restrictions: [],
        },
      ],
    });

    // Any member of the team reads it.
    expect((await asWatcher('GET', `/api/v1/schedules/${schedule.id}`)).json()).toEqual(schedule);
    expect((await asWatcher('GET', '/api/v1/schedules')).json<ScheduleJson[]>().map((s) => s.id)).toEqual([
      schedule.id,
    ]);

    const now = await asWatcher('GET', `/api/v1/schedules/${schedule.id}/on-call`);
    expect(now.json<OnCallJson>()).toEqual({
      at: '2026-03-01T09:00:00.000Z',
      scheduleId: schedule.id,
      onCall: [
        { userId: ana.id, name: 'Ana', start: '2026-02-23T08:00:00.000Z', end: '2026-03-02T08:00:00.000Z' },
      ],
    });
    // After the spring change the Monday hand-off is still 09:00 in Berlin, which is 07:00 UTC.
    const later = await asWatcher(
      'GET',
      `/api/v1/schedules/${schedule.id}/on-call?at=2026-03-30T09:30:00%2B02:00`,
    );
    expect(later.json<OnCallJson>().onCall).toEqual([
      { userId: ben.id, name: 'Ben', start: '2026-03-30T07:00:00.000Z', end: '2026-04-06T07:00:00.000Z' },
    ]);

    // Ben covers Ana for two hours; an observer may not.
    const cover = {
      userId: ben.id,
      start: '2026-03-01T09:00:00Z',
      end: '2026-03-01T11:00:00Z',
      note: 'Ana at the dentist',
    };
    expect((await asWatcher('POST', `/api/v1/schedules/${schedule.id}/overrides`, cover)).statusCode).toBe(
      403,
    );
    const ovr = await asBen('POST', `/api/v1/schedules/${schedule.id}/overrides`, cover);
    expect(ovr.statusCode, ovr.body).toBe(201);
    expect(ovr.json()).toMatchObject({
      userId: ben.id,
      replacesUserId: null,
      start: '2026-03-01T09:00:00.000Z',
      note: 'Ana at the dentist',
    });
    expect(
      (await asWatcher('GET', `/api/v1/schedules/${schedule.id}/on-call`)).json<OnCallJson>().onCall,
    ).toEqual([
      { userId: ben.id, name: 'Ben', start: '2026-03-01T09:00:00.000Z', end: '2026-03-01T11:00:00.000Z' },
    ]);
    const system = t.app.ctx({ kind: 'system', name: 'escalation' });
    expect(await onCallUserIds(system, schedule.id, t.clock.now())).toEqual([ben.id]);
    expect(await onCallUserIds(system, 'sched_0000000000NOSUCHTHING000', t.clock.now())).toEqual([]);

    t.clock.advance(2 * HOUR);
    expect(
      (await asWatcher('GET', `/api/v1/schedules/${schedule.id}/on-call`)).json<OnCallJson>().onCall[0]
        ?.userId,
    ).toBe(ana.id);
    expect(await onCallUserIds(system, schedule.id, t.clock.now())).toEqual([ana.id]);
    const handoffs = await scheduleShifts(
      system,
      schedule.id,
      t.clock.now(),
      epochMs(t.clock.now() + 8 * 24 * HOUR),
    );
    expect(handoffs.map((s) => [s.userId, new Date(s.start).toISOString()])).toEqual([
      [ana.id, '2026-03-01T11:00:00.000Z'],
      [ben.id, '2026-03-02T08:00:00.000Z'],
      [ana.id, '2026-03-09T08:00:00.000Z'],
    ]);

    // The timeline for the UI: final, each layer, overrides, gaps and names.
    const shifts = await asWatcher(
      'GET',
      `/api/v1/schedules/${schedule.id}/shifts?from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z`,
    );
    expect(shifts.statusCode, shifts.body).toBe(200);
    expect(shifts.json()).toMatchObject({
      timeZone: 'Europe/Berlin',
      final: [
        { userId: ana.id, start: '2026-03-01T00:00:00.000Z', end: '2026-03-01T09:00:00.000Z' },
        { userId: ben.id, start: '2026-03-01T09:00:00.000Z', end: '2026-03-01T11:00:00.000Z' },
        { userId: ana.id, start: '2026-03-01T11:00:00.000Z', end: '2026-03-02T08:00:00.000Z' },
        { userId: ben.id, start: '2026-03-02T08:00:00.000Z', end: '2026-03-03T00:00:00.000Z' },
      ],
      layers: [{ name: 'Primary', segments: [{ userId: ana.id }, { userId: ben.id }] }],
      overrides: [{ id: ovr.json<{ id: string }>().id }],
      gaps: [],
      users: expect.arrayContaining([
        { id: ana.id, name: 'Ana' },
        { id: ben.id, name: 'Ben' },
      ]),
    });

    // Preview adding Cem: he gains a week in the next 90 days, the DST change is marked; nothing is saved.
    const preview = await asLead('POST', `/api/v1/schedules/${schedule.id}/preview`, {
      layers: [{ ...primary([ana.id, ben.id, cem.id]), id: schedule.layers[0]!.id }],
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json<{
      hoursByUser: { userId: string; deltaHours: number }[];
      dstTransitions: unknown[];
      gapsAdded: unknown[];
    }>();
    expect(p.hoursByUser.find((h) => h.userId === cem.id)?.deltaHours).toBeGreaterThan(0);
    expect(p.gapsAdded).toEqual([]);
    expect(p.dstTransitions).toContainEqual({
      at: '2026-03-29T01:00:00.000Z',
      timeZone: 'Europe/Berlin',
      offsetBefore: '+01:00',
      offsetAfter: '+02:00',
    });
    expect((await asWatcher('GET', `/api/v1/schedules/${schedule.id}`)).json<ScheduleJson>().version).toBe(1);

    // Editing needs the current version when one is sent; a stale one is refused.
    const edit = {
      version: 1,
      layers: [{ ...primary([ana.id, ben.id, cem.id]), id: schedule.layers[0]!.id }],
    };
    expect((await asBen('PATCH', `/api/v1/schedules/${schedule.id}`, edit)).statusCode).toBe(403);
    const saved = await asLead('PATCH', `/api/v1/schedules/${schedule.id}`, edit);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      version: 2,
      layers: [{ id: schedule.layers[0]!.id, participants: [ana.id, ben.id, cem.id] }],
    });
    const stale = await asLead('PATCH', `/api/v1/schedules/${schedule.id}`, { ...edit, name: 'Renamed' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<Problem & { currentVersion: number }>()).toMatchObject({
      code: 'conflict',
      currentVersion: 2,
    });

    // "My on-call": Ana is on call now; with Cem in the rotation her next week starts 16 March.
    const mine = await as(t, await login(t, ana))('GET', '/api/v1/me/on-call');
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json()).toMatchObject({
      onCallNow: [
        { scheduleId: schedule.id, scheduleName: 'Payments primary', start: '2026-03-01T11:00:00.000Z' },
      ],
      nextShift: { scheduleId: schedule.id, start: '2026-03-16T08:00:00.000Z' },
    });

    const ovrId = ovr.json<{ id: string }>().id;
    expect((await asBen('DELETE', `/api/v1/schedules/${schedule.id}/overrides/${ovrId}`)).statusCode).toBe(
      204,
    );
    // A schedule a policy still pages cannot be deleted: the policy would meet a step with nobody.
    const policy = await asLead('POST', '/api/v1/escalation-policies', {
      name: 'Payments paging',
      teamId: ops,
      steps: [
        { escalateAfterMinutes: 5, targets: [{ type: 'schedule', id: schedule.id }], roundRobin: false },
      ],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const refused = await asLead('DELETE', `/api/v1/schedules/${schedule.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json<{ detail: string }>().detail).toMatch(/target of escalation policy Payments paging/);
    expect(
      (await asLead('DELETE', `/api/v1/escalation-policies/${policy.json<{ id: string }>().id}`)).statusCode,
    ).toBe(204);
    expect((await asLead('DELETE', `/api/v1/schedules/${schedule.id}`)).statusCode).toBe(204);
    expect((await asLead('GET', `/api/v1/schedules/${schedule.id}`)).statusCode).toBe(404);
    expect(await auditActions(t, schedule.id)).toEqual([
      'schedule.created',
      'schedule.updated',
      'schedule.deleted',
    ]);
    expect(await auditActions(t, ovrId)).toEqual(['schedule_override.created', 'schedule_override.deleted']);
  });

  it('serves secret iCal feeds of a schedule and of one person, and ends them on revoke', async () => {
    const { t, ops, ana, ben, asLead, asAna, asWatcher, asOutsider } = await setup();
    const schedule = (
      await asLead('POST', '/api/v1/schedules', {
        teamId: ops,
        name: 'Payments',
        timeZone: 'Europe/Berlin',
        layers: [primary([ana.id, ben.id])],
      })
    ).json<ScheduleJson>();

    const teamFeed = await asWatcher('POST', `/api/v1/schedules/${schedule.id}/ical`);
    expect(teamFeed.statusCode, teamFeed.body).toBe(201);
    const issued = teamFeed.json<IssuedJson>();
    expect(issued.token).toMatch(/^siaga_ical_[A-Za-z0-9_-]{43}$/);
    expect(issued.url).toBe(`http://127.0.0.1:8080/api/v1/ical/${issued.token}.ics`);
    // Only the hash is stored.
    const row = await t.tdb.storage.db
      .selectFrom('ical_feeds')
      .selectAll()
      .where('id', '=', issued.feed.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(issued.token).digest('base64url'));
    expect(JSON.stringify(row)).not.toContain(issued.token);

    const res = await t.app.http.inject({ method: 'GET', url: `/api/v1/ical/${issued.token}.ics` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const text = res.body;
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const lines = text.replace(/\r\n[ \t]/g, '').split('\r\n');
    // Past 7 days and next 60: the shift running since 23 February, then weekly to the end of April.
    expect(lines.filter((l) => l.startsWith('DTSTART:'))).toEqual([
      'DTSTART:20260223T080000Z',
      'DTSTART:20260302T080000Z',
      'DTSTART:20260309T080000Z',
      'DTSTART:20260316T080000Z',
      'DTSTART:20260323T080000Z',
      'DTSTART:20260330T070000Z',
      'DTSTART:20260406T070000Z',
      'DTSTART:20260413T070000Z',
      'DTSTART:20260420T070000Z',
      'DTSTART:20260427T070000Z',
    ]);
    expect(lines).toContain('SUMMARY:On call: Ana');
    expect(lines).toContain(`UID:${schedule.id}-${ana.id}-20260223T080000Z@siaga`);
    // The UID of a shift stays the same hours later, so calendars update events instead of duplicating them.
    t.clock.advance(12 * HOUR);
    const again = (await t.app.http.inject({ method: 'GET', url: `/api/v1/ical/${issued.token}.ics` })).body;
    expect(again.replace(/\r\n[ \t]/g, '').split('\r\n')).toContain(
      `UID:${schedule.id}-${ana.id}-20260223T080000Z@siaga`,
    );

    // A personal feed lists Ana's shifts only, named by schedule.
    const mine = await asAna('POST', '/api/v1/me/ical');
    expect(mine.statusCode, mine.body).toBe(201);
    const personal = mine.json<IssuedJson>();
    const anaFeed = await t.app.http.inject({ method: 'GET', url: `/api/v1/ical/${personal.token}.ics` });
    expect(anaFeed.statusCode, anaFeed.body).toBe(200);
    const anaText = anaFeed.body;
    const anaLines = anaText.replace(/\r\n[ \t]/g, '').split('\r\n');
    expect(anaLines.filter((l) => l.startsWith('DTSTART:'))).toEqual([
      'DTSTART:20260223T080000Z',
      'DTSTART:20260309T080000Z',
      'DTSTART:20260323T080000Z',
      'DTSTART:20260406T070000Z',
      'DTSTART:20260420T070000Z',
    ]);
    expect(anaLines).toContain('SUMMARY:On call: Payments');
    expect((await asAna('GET', '/api/v1/me/ical-feeds')).json()).toEqual([
      expect.objectContaining({ id: personal.feed.id, userId: ana.id }),
    ]);

    // Someone else's personal feed cannot be revoked (it does not exist for them); the owner can.
    expect((await asWatcher('DELETE', `/api/v1/ical-feeds/${personal.feed.id}`)).statusCode).toBe(404);
    expect((await asAna('DELETE', `/api/v1/ical-feeds/${personal.feed.id}`)).statusCode).toBe(204);
    const gone = await t.app.http.inject({ method: 'GET', url: `/api/v1/ical/${personal.token}.ics` });
    expect(gone.statusCode).toBe(404);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(
      (await t.app.http.inject({ method: 'GET', url: '/api/v1/ical/siaga_ical_not-a-real-token.ics' }))
        .statusCode,
    ).toBe(404);

    // Another team's member cannot revoke the schedule's feed; deleting the schedule ends it.
    expect((await asOutsider('DELETE', `/api/v1/ical-feeds/${issued.feed.id}`)).statusCode).toBe(404);
    expect((await asLead('DELETE', `/api/v1/schedules/${schedule.id}`)).statusCode).toBe(204);
    expect(
      (await t.app.http.inject({ method: 'GET', url: `/api/v1/ical/${issued.token}.ics` })).statusCode,
    ).toBe(404);
    expect(await auditActions(t, personal.feed.id)).toEqual(['ical_feed.created', 'ical_feed.revoked']);
  });

  it('keeps another team’s schedules invisible: 404 for reads, writes, overrides and feeds', async () => {
    const { ops, ana, ben, asLead, asOutsider } = await setup();
    const schedule = (
      await asLead('POST', '/api/v1/schedules', {
        teamId: ops,
        name: 'Secret rota',
        timeZone: 'UTC',
        layers: [primary([ana.id])],
      })
    ).json<ScheduleJson>();
    const base = `/api/v1/schedules/${schedule.id}`;
    expect((await asOutsider('GET', '/api/v1/schedules')).json()).toEqual([]);
    expect((await asOutsider('GET', `/api/v1/schedules?teamId=${ops}`)).statusCode).toBe(404);
    for (const [method, url, body] of [
      ['GET', base, undefined],
      ['PATCH', base, { name: 'Mine now' }],
      ['DELETE', base, undefined],
      ['GET', `${base}/on-call`, undefined],
      ['GET', `${base}/shifts`, undefined],
      ['GET', `${base}/gaps`, undefined],
      ['GET', `${base}/overrides`, undefined],
      [
        'POST',
        `${base}/overrides`,
        { userId: ben.id, start: '2026-03-01T10:00:00Z', end: '2026-03-01T12:00:00Z' },
      ],
      ['POST', `${base}/preview`, { name: 'x' }],
      ['POST', `${base}/ical`, undefined],
      ['GET', `${base}/ical-feeds`, undefined],
    ] as const) {
      const res = await asOutsider(method, url, body);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(404);
    }
    // Nor can anyone create a schedule in a team they do not belong to.
    const foreign = await asOutsider('POST', '/api/v1/schedules', {
      teamId: ops,
      name: 'Sneaky',
      timeZone: 'UTC',
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('refuses bad input with problem+json pointing at each field', async () => {
    const { ops, ana, ben, asLead, asBen } = await setup();
    const bad = await asLead('POST', '/api/v1/schedules', {
      teamId: ops,
      name: 'Broken',
      timeZone: 'Mars/Olympus_Mons',
      layers: [
        {
          rotation: {
            shiftLength: { unit: 'days', count: 400 },
            handoffTime: '09:00',
            startDate: '2026-02-30',
            timeZone: '+01:00',
          },
          participants: [ana.id],
          restrictions: [{ from: '22:00', to: '06:00' }],
        },
      ],
    });
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json<Problem>().errors?.map((e) => e.pointer)).toEqual([
      '/timeZone',
      '/layers/0/rotation/shiftLength/count',
      '/layers/0/rotation/startDate',
      '/layers/0/rotation/timeZone',
    ]);

    const schema = await asLead('POST', '/api/v1/schedules', {
      teamId: ops,
      name: 'X',
      timeZone: 'UTC',
      layers: [{ participants: [] }],
    });
    expect(schema.statusCode).toBe(400);
    expect(schema.json<Problem>().errors?.map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/body/layers/0/rotation', '/body/layers/0/participants']),
    );

    const ghost = await asLead('POST', '/api/v1/schedules', {
      teamId: ops,
      name: 'Ghosts',
      timeZone: 'UTC',
      layers: [primary([ana.id, 'usr_0000000000NOSUCHUSER0000'])],
    });
    expect(ghost.statusCode).toBe(400);
    expect(ghost.json<Problem>().errors).toEqual([
      { pointer: '/layers/0/participants/1', detail: 'user usr_0000000000NOSUCHUSER0000 does not exist' },
    ]);

    const schedule = (
      await asLead('POST', '/api/v1/schedules', {
        teamId: ops,
        name: 'Good',
        timeZone: 'UTC',
        layers: [primary([ana.id])],
      })
    ).json<ScheduleJson>();
    expect(
      (await asLead('POST', '/api/v1/schedules', { teamId: ops, name: 'Good', timeZone: 'UTC' })).statusCode,
    ).toBe(409);
    const base = `/api/v1/schedules/${schedule.id}`;
    const backwards = await asBen('POST', `${base}/overrides`, {
      userId: ben.id,
      start: '2026-03-02T10:00:00Z',
      end: '2026-03-02T09:00:00Z',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<Problem>().errors).toEqual([{ pointer: '/end', detail: 'must be after start' }]);
    const past = await asBen('POST', `${base}/overrides`, {
      userId: ben.id,
      start: '2026-02-01T10:00:00Z',
      end: '2026-02-02T09:00:00Z',
    });
    expect(past.json<Problem>().errors?.[0]?.pointer).toBe('/end');
    const noOffset = await asBen('POST', `${base}/overrides`, {
      userId: ben.id,
      start: '2026-03-02T10:00:00',
      end: '2026-03-02T12:00:00Z',
    });
    expect(noOffset.statusCode).toBe(400);

    const range = await asLead('GET', `${base}/shifts?from=2026-03-01T00:00:00Z&to=2027-03-05T00:00:00Z`);
    expect(range.statusCode).toBe(400);
    expect(range.json<Problem>().errors).toEqual([
      { pointer: '/querystring/to', detail: 'must be at most 366 days after from' },
    ]);
    const empty = await asLead('GET', `${base}/gaps?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z`);
    expect(empty.json<Problem>().errors).toEqual([
      { pointer: '/querystring/to', detail: 'must be after from' },
    ]);
    const at = await asLead('GET', `${base}/on-call?at=yesterday`);
    expect(at.statusCode).toBe(400);
    expect(at.json<Problem>().errors?.[0]?.pointer).toBe('/querystring/at');
  });
});
