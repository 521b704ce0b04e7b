import { afterEach, describe, expect, it } from 'vitest';
import { policySnapshot } from '../../src/response/policies/index.ts';
import { MAX_STEPS } from '../../src/response/policies/model.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team } from '../harness/identity.ts';

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: { pointer: string; detail: string }[];
};
type TargetJson = {
  type: string;
  id: string;
  name: string | null;
  channelKind: string | null;
  warning: string | null;
};
type PolicyJson = {
  id: string;
  name: string;
  teamId: string;
  version: number;
  repeat: number;
  steps: { escalateAfterMinutes: number; roundRobin: boolean; targets: TargetJson[] }[];
} & Record<string, unknown>;

/** Escalation policies: ordered steps of targets with a wait, repeated N times, owned by a team. */
describe(`escalation policies (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A team with an admin and an observer, a global admin, a schedule and a channel of the team. */
  async function setup() {
    t = await createTestApp();
    const ops = await team(t, 'Ops');
    const lead = await person(t, 'responder', { [ops]: 'admin' }, 'lead');
    const alice = await person(t, 'responder', { [ops]: 'responder' }, 'alice');
    const asLead = as(t, await login(t, lead));
    const now = t.clock.now();
    const scheduleId = 'sch_01JSCHEDULESCHEDULESCHEDU';
    await t.tdb.storage.db
      .insertInto('schedules')
      .values({
        id: scheduleId,
        team_id: ops,
        name: 'Ops primary',
        description: '',
        time_zone: 'Europe/Berlin',
        layers: '[]',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const channel = await asLead('POST', '/api/v1/channels', {
      name: 'ops-room',
      teamId: ops,
      kind: 'email',
      config: { address: 'ops@example.com' },
    });
    expect(channel.statusCode, channel.body).toBe(201);
    return {
      t,
      ops,
      lead,
      alice,
      scheduleId,
      channelId: channel.json<{ id: string }>().id,
      asLead,
      asWatcher: as(t, await login(t, await person(t, 'stakeholder', { [ops]: 'observer' }))),
      asRoot: as(t, await login(t, await person(t, 'admin'))),
    };
  }

  async function auditActions(t: TestApp, objectId: string): Promise<string[]> {
    const rows = await t.tdb.storage.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', objectId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.action);
  }

  it('creates, lists, reads, updates (new version) and deletes a policy, naming its targets and auditing each change', async () => {
    const { t, ops, lead, alice, scheduleId, channelId, asLead, asWatcher } = await setup();
    const created = await asLead('POST', '/api/v1/escalation-policies', {
      name: '  Ops default ',
      teamId: ops,
      description: 'Wake the primary, then everyone',
      steps: [
        {
          escalateAfterMinutes: 5,
          targets: [
            { type: 'schedule', id: scheduleId },
            { type: 'channel', id: channelId },
          ],
        },
        { escalateAfterMinutes: 10, targets: [{ type: 'user', id: alice.id }] },
        {
          escalateAfterMinutes: 15,
          roundRobin: true,
          targets: [
            { type: 'team', id: ops },
            { type: 'user', id: lead.id },
          ],
        },
      ],
      repeat: 2,
    });
    expect(created.statusCode, created.body).toBe(201);
    const policy = created.json<PolicyJson>();
    const at = new Date(t.clock.now()).toISOString();
    expect(policy).toEqual({
      id: expect.stringMatching(/^pol_[0-9A-Z]{26}$/),
      name: 'Ops default',
      description: 'Wake the primary, then everyone',
      teamId: ops,
      steps: [
        {
          escalateAfterMinutes: 5,
          roundRobin: false,
          targets: [
            { type: 'schedule', id: scheduleId, name: 'Ops primary', channelKind: null, warning: null },
            { type: 'channel', id: channelId, name: 'ops-room', channelKind: 'email', warning: null },
          ],
        },
        {
          escalateAfterMinutes: 10,
          roundRobin: false,
          targets: [{ type: 'user', id: alice.id, name: 'alice', channelKind: null, warning: null }],
        },
        {
          escalateAfterMinutes: 15,
          roundRobin: true,
          targets: [
            { type: 'team', id: ops, name: 'Ops', channelKind: null, warning: null },
            { type: 'user', id: lead.id, name: 'lead', channelKind: null, warning: null },
          ],
        },
      ],
      repeat: 2,
      version: 1,
      declared: false,
      createdAt: at,
      updatedAt: at,
    });

    // The engine's snapshot is the policy as stored.
    const system = t.app.ctx({ kind: 'system', name: 'test' });
    expect(await policySnapshot(system, policy.id)).toEqual({
      id: policy.id,
      name: 'Ops default',
      version: 1,
      repeat: 2,
      steps: [
        {
          escalateAfterMinutes: 5,
          roundRobin: false,
          targets: [
            { type: 'schedule', id: scheduleId },
            { type: 'channel', id: channelId },
          ],
        },
        { escalateAfterMinutes: 10, roundRobin: false, targets: [{ type: 'user', id: alice.id }] },
        {
          escalateAfterMinutes: 15,
          roundRobin: true,
          targets: [
            { type: 'team', id: ops },
            { type: 'user', id: lead.id },
          ],
        },
      ],
    });
    expect(await policySnapshot(system, 'pol_01JNOSUCHPOLICYNOSUCHPOLI')).toBeNull();

    // Any member of the team reads; lists are by name.
    await asLead('POST', '/api/v1/escalation-policies', {
      name: 'Business hours',
      teamId: ops,
      steps: [{ escalateAfterMinutes: 30, targets: [{ type: 'user', id: alice.id }] }],
    });
    const listed = await asWatcher('GET', '/api/v1/escalation-policies');
    expect(listed.json<PolicyJson[]>().map((p) => p.name)).toEqual(['Business hours', 'Ops default']);
    expect((await asWatcher('GET', `/api/v1/escalation-policies?teamId=${ops}`)).json()).toHaveLength(2);
    expect((await asWatcher('GET', `/api/v1/escalation-policies/${policy.id}`)).json()).toEqual(policy);

    // A change bumps the version; the snapshot follows (incidents already paging keep the one they took).
    t.clock.advance(60_000);
    const updated = await asLead('PATCH', `/api/v1/escalation-policies/${policy.id}`, {
      steps: [{ escalateAfterMinutes: 3, targets: [{ type: 'user', id: lead.id }] }],
      repeat: 0,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({
      name: 'Ops default',
      version: 2,
      repeat: 0,
      steps: [{ escalateAfterMinutes: 3, roundRobin: false, targets: [{ type: 'user', id: lead.id }] }],
      createdAt: policy.createdAt,
      updatedAt: new Date(t.clock.now()).toISOString(),
    });
    expect(await policySnapshot(system, policy.id)).toMatchObject({ version: 2, repeat: 0 });
    const renamed = await asLead('PATCH', `/api/v1/escalation-policies/${policy.id}`, { name: 'Ops' });
    expect(renamed.json()).toMatchObject({ name: 'Ops', version: 3 });

    // A deactivated target is flagged, not hidden.
    await t.tdb.storage.db
      .updateTable('users')
      .set({ status: 'deactivated' })
      .where('id', '=', lead.id)
      .execute();
    const flagged = (await asWatcher('GET', `/api/v1/escalation-policies/${policy.id}`)).json<PolicyJson>();
    expect(flagged.steps[0]!.targets[0]).toMatchObject({
      name: 'lead',
      warning: expect.stringMatching(/deactivated/),
    });

    expect((await asFreshAdmin(t)('DELETE', `/api/v1/escalation-policies/${policy.id}`)).statusCode).toBe(
      204,
    );
    expect((await asWatcher('GET', `/api/v1/escalation-policies/${policy.id}`)).statusCode).toBe(404);

    expect(await auditActions(t, policy.id)).toEqual([
      'escalation_policy.created',
      'escalation_policy.updated',
      'escalation_policy.updated',
      'escalation_policy.deleted',
    ]);
    const entry = await t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', policy.id)
      .where('action', '=', 'escalation_policy.updated')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: lead.id, team_id: ops });
    expect(JSON.parse(entry.before!)).toMatchObject({ version: 1, repeat: 2 });
    expect(JSON.parse(entry.after!)).toMatchObject({ version: 2, repeat: 0 });
  });

  /** A global admin's session, made on demand (the lead may have been deactivated by then). */
  function asFreshAdmin(t: TestApp) {
    return async (method: 'GET' | 'DELETE', url: string) =>
      as(t, await login(t, await person(t, 'admin')))(method, url);
  }

  it('keeps names unique (409), on create and on rename', async () => {
    const { ops, alice, asLead } = await setup();
    const steps = [{ escalateAfterMinutes: 5, targets: [{ type: 'user', id: alice.id }] }];
    await asLead('POST', '/api/v1/escalation-policies', { name: 'Primary', teamId: ops, steps });
    const dup = await asLead('POST', '/api/v1/escalation-policies', {
      name: ' Primary ',
      teamId: ops,
      steps,
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<Problem>().detail).toBe('an escalation policy named Primary already exists');
    const b = (
      await asLead('POST', '/api/v1/escalation-policies', { name: 'Secondary', teamId: ops, steps })
    ).json<PolicyJson>();
    expect(
      (await asLead('PATCH', `/api/v1/escalation-policies/${b.id}`, { name: 'Primary' })).statusCode,
    ).toBe(409);
  });

  it('answers invalid input with 400 problem+json naming the field', async () => {
    const { t, ops, alice, lead, scheduleId, asLead } = await setup();
    const pointers = async (res: Awaited<ReturnType<typeof asLead>>) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json<Problem>().errors?.map((e) => e.pointer);
    };
    const user = (id: string) => ({ type: 'user', id });
    const post = (body: Record<string, unknown>) =>
      asLead('POST', '/api/v1/escalation-policies', {
        name: 'P',
        teamId: ops,
        steps: [{ escalateAfterMinutes: 5, targets: [user(alice.id)] }],
        ...body,
      });
    const step = (s: Record<string, unknown>) => post({ steps: [{ escalateAfterMinutes: 5, ...s }] });

    // Shape, from the schema.
    expect(await pointers(await post({ name: 'x'.repeat(101) }))).toEqual(['/body/name']);
    expect(await pointers(await post({ steps: [] }))).toEqual(['/body/steps']);
    const tooMany = Array.from({ length: MAX_STEPS + 1 }, () => ({
      escalateAfterMinutes: 1,
      targets: [user(alice.id)],
    }));
    expect(await pointers(await post({ steps: tooMany }))).toEqual(['/body/steps']);
    expect(await pointers(await step({ targets: [] }))).toEqual(['/body/steps/0/targets']);
    for (const minutes of [0, 1441, 2.5, '5'])
      expect(
        await pointers(await post({ steps: [{ escalateAfterMinutes: minutes, targets: [user(alice.id)] }] })),
      ).toEqual(['/body/steps/0/escalateAfterMinutes']);
    expect(await pointers(await post({ repeat: 10 }))).toEqual(['/body/repeat']);
    expect(await pointers(await post({ repeat: -1 }))).toEqual(['/body/repeat']);
    expect(await pointers(await step({ targets: [{ type: 'group', id: alice.id }] }))).toContain(
      '/body/steps/0/targets/0/type',
    );
    expect(await pointers(await step({ targets: [user(alice.id)], extra: 1 }))).toEqual([
      '/body/steps/0/extra',
    ]);

    // Meaning, from the verb: every problem at once, relative to the policy.
    expect(await pointers(await post({ name: '   ' }))).toEqual(['/name']);
    const dup = await step({ targets: [user(alice.id), user(lead.id), user(alice.id)] });
    expect(await pointers(dup)).toEqual(['/steps/0/targets/2']);
    const gone = await person(t, 'responder', { [ops]: 'responder' }, 'gone');
    await t.tdb.storage.db
      .updateTable('users')
      .set({ status: 'deactivated' })
      .where('id', '=', gone.id)
      .execute();
    const other = await team(t, 'Payments');
    const hidden = 'sch_01JHIDDENHIDDENHIDDENHIDD';
    await t.tdb.storage.db
      .insertInto('schedules')
      .values({
        id: hidden,
        team_id: other,
        name: 'Payments primary',
        description: '',
        time_zone: 'UTC',
        layers: '[]',
        version: 1,
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .execute();
    const missing = await post({
      steps: [
        {
          escalateAfterMinutes: 5,
          targets: [
            user(gone.id),
            user('usr_01JNOBODYNOBODYNOBODYNOBO'),
            { type: 'schedule', id: scheduleId },
            { type: 'schedule', id: hidden },
          ],
        },
        {
          escalateAfterMinutes: 5,
          targets: [
            { type: 'team', id: other },
            { type: 'channel', id: 'chn_01JNOCHANNELNOCHANNELNOCH' },
          ],
        },
      ],
    });
    expect(await pointers(missing)).toEqual([
      '/steps/0/targets/0/id',
      '/steps/0/targets/1/id',
      '/steps/0/targets/3/id',
      '/steps/1/targets/0/id',
      '/steps/1/targets/1/id',
    ]);
    // Another team's schedule is reported exactly like one that does not exist.
    const details = missing.json<Problem>().errors!.map((e) => e.detail);
    expect(details[2]).toBe(`${hidden} is not a schedule you can see`);

    const ok = (await post({ name: 'Fine' })).json<PolicyJson>();
    expect(await pointers(await asLead('PATCH', `/api/v1/escalation-policies/${ok.id}`, {}))).toEqual([
      '/body',
    ]);
    expect(
      await pointers(await asLead('PATCH', `/api/v1/escalation-policies/${ok.id}`, { version: 9 })),
    ).toEqual(['/body/version']);
    expect(
      await pointers(
        await asLead('PATCH', `/api/v1/escalation-policies/${ok.id}`, {
          steps: [{ escalateAfterMinutes: 5, targets: [user(gone.id)] }],
        }),
      ),
    ).toEqual(['/steps/0/targets/0/id']);
    expect((await asLead('GET', '/api/v1/escalation-policies/not-an-id')).statusCode).toBe(400);
    expect(await t.tdb.storage.db.selectFrom('escalation_policies').select('name').execute()).toEqual([
      { name: 'Fine' },
    ]);
  });

  it('keeps another team’s policies invisible (404, never 403) and lets only team admins change them', async () => {
    const { t, ops, alice, asLead, asWatcher, asRoot } = await setup();
    const other = await team(t, 'Payments');
    const asOther = as(t, await login(t, await person(t, 'responder', { [other]: 'admin' })));
    const steps = [{ escalateAfterMinutes: 5, targets: [{ type: 'user', id: alice.id }] }];
    const policy = (
      await asLead('POST', '/api/v1/escalation-policies', { name: 'Ops', teamId: ops, steps })
    ).json<PolicyJson>();
    const url = `/api/v1/escalation-policies/${policy.id}`;
    const checks: [string, Awaited<ReturnType<typeof asOther>>][] = [
      ['GET', await asOther('GET', url)],
      ['PATCH', await asOther('PATCH', url, { description: 'mine' })],
      ['DELETE', await asOther('DELETE', url)],
      ['list by team', await asOther('GET', `/api/v1/escalation-policies?teamId=${ops}`)],
      [
        'create in team',
        await asOther('POST', '/api/v1/escalation-policies', { name: 'X', teamId: ops, steps }),
      ],
    ];
    for (const [what, res] of checks) expect(`${what} → ${res.statusCode}`).toBe(`${what} → 404`);
    expect((await asOther('GET', '/api/v1/escalation-policies')).json()).toEqual([]);
    // Nor may another team's policy page this team's people through its team: the team is not theirs to see.
    const sneaky = await asOther('POST', '/api/v1/escalation-policies', {
      name: 'Sneaky',
      teamId: other,
      steps: [{ escalateAfterMinutes: 5, targets: [{ type: 'team', id: ops }] }],
    });
    expect(sneaky.statusCode).toBe(400);

    // Members who are not team admins read but may not change.
    expect((await asWatcher('GET', url)).statusCode).toBe(200);
    expect((await asWatcher('PATCH', url, { description: 'x' })).statusCode).toBe(403);
    expect((await asWatcher('DELETE', url)).statusCode).toBe(403);

    // Global admins see every team's and move a policy between teams.
    const moved = await asRoot('PATCH', url, { teamId: other });
    expect(moved.json()).toMatchObject({ teamId: other, version: 2 });
    expect((await asLead('GET', url)).statusCode).toBe(404);
    expect((await asOther('GET', url)).statusCode).toBe(200);
  });

  it('refuses API changes to policies declared in the config file (409)', async () => {
    const { t, ops, alice, asLead } = await setup();
    const now = t.clock.now();
    const id = 'pol_01JDECLAREDDECLAREDDECLARE';
    await t.tdb.storage.db
      .insertInto('escalation_policies')
      .values({
        id,
        team_id: ops,
        name: 'Declared',
        description: 'from siaga.yaml',
        steps: JSON.stringify([
          { escalateAfterMinutes: 5, targets: [{ type: 'user', id: alice.id }], roundRobin: false },
        ]),
        repeat: 0,
        version: 1,
        declared: true,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const url = `/api/v1/escalation-policies/${id}`;
    expect((await asLead('GET', url)).json()).toMatchObject({ name: 'Declared', declared: true });
    for (const res of [await asLead('PATCH', url, { description: 'edited' }), await asLead('DELETE', url)]) {
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().detail).toMatch(/declared in the config file/);
    }
    expect((await asLead('GET', url)).json()).toMatchObject({ description: 'from siaga.yaml', version: 1 });
  });

  it('refuses to delete a policy a service uses (409), and deletes it once the service has another', async () => {
    const { ops, alice, asLead } = await setup();
    const steps = [{ escalateAfterMinutes: 5, targets: [{ type: 'user', id: alice.id }] }];
    const policy = (
      await asLead('POST', '/api/v1/escalation-policies', { name: 'Ops', teamId: ops, steps })
    ).json<PolicyJson>();
    const svc = (
      await asLead('POST', '/api/v1/services', {
        name: 'Checkout',
        teamId: ops,
        escalationPolicyId: policy.id,
      })
    ).json<{ id: string }>();
    const refused = await asLead('DELETE', `/api/v1/escalation-policies/${policy.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'conflict', services: [svc.id] });
    expect(refused.json<Problem>().detail).toMatch(/used by service Checkout/);
    expect((await asLead('GET', `/api/v1/escalation-policies/${policy.id}`)).statusCode).toBe(200);

    await asLead('PATCH', `/api/v1/services/${svc.id}`, { escalationPolicyId: null });
    expect((await asLead('DELETE', `/api/v1/escalation-policies/${policy.id}`)).statusCode).toBe(204);
  });
});
