import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team } from '../harness/identity.ts';

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: { pointer: string; detail: string }[];
};
type ServiceJson = { id: string; name: string; teamId: string } & Record<string, unknown>;

/** The service catalog: a service has a name, an owning team, an escalation policy and a grouping rule. */
describe(`catalog services (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A team with an admin and an observer, and a global admin. */
  async function setup() {
    t = await createTestApp();
    const ops = await team(t, 'Ops');
    const lead = await person(t, 'responder', { [ops]: 'admin' });
    return {
      t,
      ops,
      lead,
      asLead: as(t, await login(t, lead)),
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

  it('creates with defaults, lists, reads, updates and deletes a service, auditing each change', async () => {
    const { t, ops, lead, asLead, asWatcher } = await setup();
    const created = await asLead('POST', '/api/v1/services', { name: '  Checkout API ', teamId: ops });
    expect(created.statusCode, created.body).toBe(201);
    const svc = created.json<ServiceJson>();
    expect(svc).toEqual({
      id: expect.stringMatching(/^svc_[0-9A-Z]{26}$/),
      name: 'Checkout API',
      description: '',
      teamId: ops,
      escalationPolicyId: null,
      grouping: { mode: 'labels', labels: ['alertname'] },
      autoResolve: true,
      urgency: 'high',
      declared: false,
      createdAt: new Date(t.clock.now()).toISOString(),
      updatedAt: new Date(t.clock.now()).toISOString(),
    });

    // A policy must exist (and be visible): a made-up id is refused with a pointer.
    const made = await asLead('POST', '/api/v1/services', {
      name: 'Billing',
      teamId: ops,
      escalationPolicyId: 'pol_01JNOSUCHPOLICY0000000000',
    });
    expect(made.statusCode).toBe(400);
    expect(made.json<{ errors: { pointer: string }[] }>().errors[0]!.pointer).toBe('/escalationPolicyId');
    const policy = await asLead('POST', '/api/v1/escalation-policies', {
      name: 'Primary',
      teamId: ops,
      steps: [{ escalateAfterMinutes: 5, targets: [{ type: 'team', id: ops }], roundRobin: false }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const policyId = policy.json<{ id: string }>().id;
    const other = await asLead('POST', '/api/v1/services', {
      name: 'Billing',
      teamId: ops,
      description: 'Invoices',
      escalationPolicyId: policyId,
      grouping: { mode: 'sender' },
      autoResolve: false,
      urgency: 'low',
    });
    expect(other.json()).toMatchObject({
      name: 'Billing',
      escalationPolicyId: policyId,
      grouping: { mode: 'sender' },
      autoResolve: false,
      urgency: 'low',
    });

    // Any member of the team reads; lists are by name.
    const listed = await asWatcher('GET', '/api/v1/services');
    expect(listed.json<ServiceJson[]>().map((s) => s.name)).toEqual(['Billing', 'Checkout API']);
    expect((await asWatcher('GET', `/api/v1/services?teamId=${ops}`)).json()).toHaveLength(2);
    expect((await asWatcher('GET', `/api/v1/services/${svc.id}`)).json()).toEqual(svc);

    t.clock.advance(60_000);
    const updated = await asLead('PATCH', `/api/v1/services/${svc.id}`, {
      description: 'Takes the money',
      grouping: { mode: 'labels', labels: ['alertname', 'cluster'] },
      escalationPolicyId: null,
      urgency: 'low',
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({
      name: 'Checkout API',
      description: 'Takes the money',
      grouping: { mode: 'labels', labels: ['alertname', 'cluster'] },
      urgency: 'low',
      createdAt: svc.createdAt,
      updatedAt: new Date(t.clock.now()).toISOString(),
    });

    expect((await asLead('DELETE', `/api/v1/services/${svc.id}`)).statusCode).toBe(204);
    expect((await asLead('GET', `/api/v1/services/${svc.id}`)).statusCode).toBe(404);
    expect((await asLead('DELETE', `/api/v1/services/${svc.id}`)).statusCode).toBe(404);

    expect(await auditActions(t, svc.id)).toEqual(['service.created', 'service.updated', 'service.deleted']);
    const entry = await t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', svc.id)
      .where('action', '=', 'service.updated')
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: lead.id, team_id: ops });
    expect(JSON.parse(entry.before!)).toMatchObject({ description: '', urgency: 'high' });
    expect(JSON.parse(entry.after!)).toMatchObject({ description: 'Takes the money', urgency: 'low' });
  });

  it('keeps names unique (409), on create and on rename', async () => {
    const { ops, asLead } = await setup();
    await asLead('POST', '/api/v1/services', { name: 'Checkout', teamId: ops });
    const dup = await asLead('POST', '/api/v1/services', { name: ' Checkout ', teamId: ops });
    expect(dup.statusCode).toBe(409);
    expect(dup.headers['content-type']).toContain('application/problem+json');
    expect(dup.json<Problem>().detail).toBe('a service named Checkout already exists');
    const b = (
      await asLead('POST', '/api/v1/services', { name: 'Billing', teamId: ops })
    ).json<ServiceJson>();
    expect((await asLead('PATCH', `/api/v1/services/${b.id}`, { name: 'Checkout' })).statusCode).toBe(409);
    // Renaming to its own name is no conflict.
    expect((await asLead('PATCH', `/api/v1/services/${b.id}`, { name: 'Billing' })).statusCode).toBe(200);
  });

  it('keeps another team’s services invisible (404, never 403) and lets only team admins change them', async () => {
    const { t, ops, asLead, asWatcher, asRoot } = await setup();
    const other = await team(t, 'Payments');
    const asOther = as(t, await login(t, await person(t, 'responder', { [other]: 'admin' })));
    const svc = (
      await asLead('POST', '/api/v1/services', { name: 'Checkout', teamId: ops })
    ).json<ServiceJson>();
    const integration = (
      await asLead('POST', `/api/v1/services/${svc.id}/integrations`, { name: 'prom', kind: 'alertmanager' })
    ).json<{ integration: { id: string } }>().integration;

    const checks: [string, Awaited<ReturnType<typeof asOther>>][] = [
      ['GET service', await asOther('GET', `/api/v1/services/${svc.id}`)],
      ['PATCH service', await asOther('PATCH', `/api/v1/services/${svc.id}`, { description: 'mine' })],
      ['DELETE service', await asOther('DELETE', `/api/v1/services/${svc.id}`)],
      ['list integrations', await asOther('GET', `/api/v1/services/${svc.id}/integrations`)],
      [
        'add integration',
        await asOther('POST', `/api/v1/services/${svc.id}/integrations`, { name: 'x', kind: 'webhook' }),
      ],
      ['GET integration', await asOther('GET', `/api/v1/integrations/${integration.id}`)],
      ['PATCH integration', await asOther('PATCH', `/api/v1/integrations/${integration.id}`, { name: 'y' })],
      ['DELETE integration', await asOther('DELETE', `/api/v1/integrations/${integration.id}`)],
      ['rotate key', await asOther('POST', `/api/v1/integrations/${integration.id}/rotate-key`)],
      ['signing secret', await asOther('POST', `/api/v1/integrations/${integration.id}/signing-secret`)],
      [
        'clear signing secret',
        await asOther('DELETE', `/api/v1/integrations/${integration.id}/signing-secret/previous`),
      ],
      ['list by team', await asOther('GET', `/api/v1/services?teamId=${ops}`)],
      ['create in team', await asOther('POST', '/api/v1/services', { name: 'Sneaky', teamId: ops })],
    ];
    for (const [what, res] of checks) expect(`${what} → ${res.statusCode}`).toBe(`${what} → 404`);
    expect((await asOther('GET', '/api/v1/services')).json()).toEqual([]);

    // Members who are not team admins see the service but may not change it.
    expect((await asWatcher('GET', `/api/v1/services/${svc.id}/integrations`)).statusCode).toBe(200);
    const denied = await asWatcher('PATCH', `/api/v1/services/${svc.id}`, { description: 'x' });
    expect(denied.statusCode).toBe(403);
    expect((await asWatcher('POST', `/api/v1/integrations/${integration.id}/rotate-key`)).statusCode).toBe(
      403,
    );

    // Global admins see and change everything; a service moves only between teams its changer administers.
    const mine = (
      await asOther('POST', '/api/v1/services', { name: 'Ledger', teamId: other })
    ).json<ServiceJson>();
    expect((await asOther('PATCH', `/api/v1/services/${mine.id}`, { teamId: ops })).statusCode).toBe(404);
    expect((await asRoot('GET', '/api/v1/services')).json<ServiceJson[]>().map((s) => s.name)).toEqual([
      'Checkout',
      'Ledger',
    ]);
    const moved = await asRoot('PATCH', `/api/v1/services/${mine.id}`, { teamId: ops });
    expect(moved.json()).toMatchObject({ teamId: ops });
    expect((await asOther('GET', `/api/v1/services/${mine.id}`)).statusCode).toBe(404);
    expect((await asLead('GET', '/api/v1/services')).json()).toHaveLength(2);
  });

  it('refuses API changes to services declared in the config file (409)', async () => {
    const { t, ops, asLead } = await setup();
    const now = t.clock.now();
    await t.tdb.storage.db
      .insertInto('services')
      .values({
        id: 'svc_01JDECLAREDDECLAREDDECLARE',
        name: 'Declared',
        description: 'from siaga.yaml',
        team_id: ops,
        escalation_policy_id: null,
        grouping: JSON.stringify({ mode: 'alert' }),
        auto_resolve: true,
        urgency: 'high',
        declared: true,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const url = '/api/v1/services/svc_01JDECLAREDDECLAREDDECLARE';
    expect((await asLead('GET', url)).json()).toMatchObject({ name: 'Declared', declared: true });
    for (const res of [await asLead('PATCH', url, { description: 'edited' }), await asLead('DELETE', url)]) {
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().detail).toMatch(/declared in the config file/);
    }
    expect((await asLead('GET', url)).json()).toMatchObject({ description: 'from siaga.yaml' });
  });

  it('refuses to delete a service with open incidents (409), and deletes it once they are resolved', async () => {
    const { t, ops, asLead } = await setup();
    const svc = (
      await asLead('POST', '/api/v1/services', { name: 'Checkout', teamId: ops })
    ).json<ServiceJson>();
    const integration = (
      await asLead('POST', `/api/v1/services/${svc.id}/integrations`, { name: 'hook', kind: 'webhook' })
    ).json<{ integration: { id: string } }>().integration;
    const db = t.tdb.storage.db;
    const now = t.clock.now();
    await db
      .insertInto('incidents')
      .values({
        id: 'inc_01JINCIDENTINCIDENTINCIDE',
        number: 1,
        service_id: svc.id,
        title: 'Checkout is down',
        severity: 'critical',
        urgency: 'high',
        status: 'acknowledged',
        group_key: 'g',
        alert_count: 1,
        open_alert_count: 1,
        opened_at: now,
        acknowledged_at: now,
        resolved_at: null,
        updated_at: now,
        version: 1,
      })
      .execute();
    const refused = await asLead('DELETE', `/api/v1/services/${svc.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'conflict', openIncidents: 1 });
    expect((await asLead('GET', `/api/v1/services/${svc.id}`)).statusCode).toBe(200);

    await db.updateTable('incidents').set({ status: 'resolved', resolved_at: now }).execute();
    expect((await asLead('DELETE', `/api/v1/services/${svc.id}`)).statusCode).toBe(204);
    expect(await db.selectFrom('integrations').selectAll().execute()).toEqual([]);
    expect(await auditActions(t, integration.id)).toEqual(['integration.created', 'integration.deleted']);
  });

  it('answers invalid input with 400 problem+json naming the field', async () => {
    const { t, ops, asLead, asRoot } = await setup();
    const pointers = async (res: Awaited<ReturnType<typeof asLead>>) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json<Problem>().errors?.map((e) => e.pointer);
    };
    const post = (body: Record<string, unknown>) =>
      asLead('POST', '/api/v1/services', { teamId: ops, ...body });
    expect(await pointers(await post({ name: 'x'.repeat(101) }))).toEqual(['/body/name']);
    expect(await pointers(await post({ name: '' }))).toEqual(['/body/name']);
    expect(await pointers(await post({ name: '   ' }))).toEqual(['/name']);
    expect(await pointers(await asLead('POST', '/api/v1/services', { name: 'x' }))).toEqual(['/body/teamId']);
    expect(await pointers(await post({ name: 'x', urgency: 'medium' }))).toContain('/body/urgency');
    expect(await pointers(await post({ name: 'x', surprise: 1 }))).toEqual(['/body/surprise']);
    expect(
      await pointers(await post({ name: 'x', grouping: { mode: 'labels', labels: ['ok', 'not-a-label'] } })),
    ).toContain('/body/grouping/labels/1');
    expect(await pointers(await post({ name: 'x', grouping: { mode: 'labels', labels: [] } }))).toContain(
      '/body/grouping/labels',
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `l${i}`);
    expect(await pointers(await post({ name: 'x', grouping: { mode: 'labels', labels: eleven } }))).toContain(
      '/body/grouping/labels',
    );
    expect(await pointers(await post({ name: 'x', autoResolve: 'yes' }))).toContain('/body/autoResolve');
    // A team that does not exist: those who see every team learn so; others get 404 as for any team not theirs.
    const ghost = 'team_00000000000000000000000000';
    expect(await pointers(await asRoot('POST', '/api/v1/services', { name: 'x', teamId: ghost }))).toEqual([
      '/teamId',
    ]);
    expect((await post({ name: 'x', teamId: ghost })).statusCode).toBe(404);

    const svc = (await post({ name: 'Checkout' })).json<ServiceJson>();
    expect(await pointers(await asLead('PATCH', `/api/v1/services/${svc.id}`, {}))).toEqual(['/body']);
    expect(await pointers(await asLead('PATCH', `/api/v1/services/${svc.id}`, { declared: true }))).toEqual([
      '/body/declared',
    ]);
    expect((await asLead('GET', '/api/v1/services/not-an-id')).statusCode).toBe(400);
    expect(await t.tdb.storage.db.selectFrom('services').select('name').execute()).toEqual([
      { name: 'Checkout' },
    ]);
  });
});
