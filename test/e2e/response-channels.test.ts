import { afterEach, describe, expect, it } from 'vitest';
import { channelDestination } from '../../src/response/channels/channels.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team } from '../harness/identity.ts';

type Problem = {
  status: number;
  code: string;
  detail: string;
  errors?: { pointer: string; detail: string }[];
};
type ChannelJson = {
  id: string;
  name: string;
  teamId: string;
  kind: string;
  config: Record<string, unknown>;
  secretKeys: string[];
  hasSecrets: boolean;
} & Record<string, unknown>;

/** The secret part of a Teams workflow URL: it must never come back out of the API or the audit log. */
const SIG = 'sig-Zq8vX2kLw0pR7nT4yU1iO9aS3dF6gH5j';
const TEAMS_URL = `https://prod-42.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=${SIG}`;
const SIGNING = 'whsec-Hk2Lp9Qm4Rn7St1Uv8Wx3Yz6Ab5Cd0Ef';

/** Shared notification destinations (a chat room, a Teams workflow, a webhook), owned by a team. */
describe(`channels (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

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

  it('creates, lists, reads, updates and deletes a channel; secrets are sealed, named but never shown', async () => {
    const { t, ops, lead, asLead, asWatcher, asRoot } = await setup();
    const created = await asLead('POST', '/api/v1/channels', {
      name: ' ops-teams ',
      teamId: ops,
      kind: 'teams',
      config: { title: 'Ops room' },
      secrets: { webhookUrl: TEAMS_URL },
    });
    expect(created.statusCode, created.body).toBe(201);
    const channel = created.json<ChannelJson>();
    const at = new Date(t.clock.now()).toISOString();
    expect(channel).toEqual({
      id: expect.stringMatching(/^chn_[0-9A-Z]{26}$/),
      name: 'ops-teams',
      teamId: ops,
      kind: 'teams',
      config: { title: 'Ops room' },
      secretKeys: ['webhookUrl'],
      hasSecrets: true,
      declared: false,
      createdAt: at,
      updatedAt: at,
    });
    const hook = await asLead('POST', '/api/v1/channels', {
      name: 'deploy-hook',
      teamId: ops,
      kind: 'webhook',
      config: { address: 'https://hooks.example.com/siaga' },
      secrets: { signingSecret: SIGNING },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const mail = await asLead('POST', '/api/v1/channels', {
      name: 'ops-mail',
      teamId: ops,
      kind: 'email',
      config: { address: 'ops@example.com' },
    });
    expect(mail.json()).toMatchObject({ secretKeys: [], hasSecrets: false });

    // Any member reads; lists are by name.
    const listed = await asWatcher('GET', '/api/v1/channels');
    expect(listed.json<ChannelJson[]>().map((c) => c.name)).toEqual(['deploy-hook', 'ops-mail', 'ops-teams']);
    expect((await asWatcher('GET', `/api/v1/channels?teamId=${ops}`)).json()).toHaveLength(3);
    expect((await asWatcher('GET', `/api/v1/channels/${channel.id}`)).json()).toEqual(channel);

    // The dispatcher opens the secrets.
    const system = t.app.ctx({ kind: 'system', name: 'test' });
    expect(await channelDestination(system, channel.id)).toEqual({
      kind: 'teams',
      address: '',
      config: { title: 'Ops room' },
      secrets: { webhookUrl: TEAMS_URL },
    });

    // A change without secrets keeps them; given, they are merged in; null removes one (more in
    // response-channel-secrets.test.ts).
    t.clock.advance(60_000);
    const renamed = await asLead('PATCH', `/api/v1/channels/${channel.id}`, {
      name: 'ops-room',
      config: { title: 'Ops' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: 'ops-room',
      config: { title: 'Ops' },
      secretKeys: ['webhookUrl'],
      createdAt: channel.createdAt,
      updatedAt: new Date(t.clock.now()).toISOString(),
    });
    expect((await channelDestination(system, channel.id))?.secrets).toEqual({ webhookUrl: TEAMS_URL });
    const rotated = `${TEAMS_URL}-rotated`;
    const replaced = await asLead('PATCH', `/api/v1/channels/${channel.id}`, {
      secrets: { webhookUrl: rotated },
    });
    expect(replaced.json()).toMatchObject({ secretKeys: ['webhookUrl'] });
    expect((await channelDestination(system, channel.id))?.secrets).toEqual({ webhookUrl: rotated });
    const hookId = hook.json<ChannelJson>().id;
    expect(
      (await asLead('PATCH', `/api/v1/channels/${hookId}`, { secrets: { signingSecret: null } })).json(),
    ).toMatchObject({ secretKeys: [], hasSecrets: false });

    // The secret values are nowhere in what the API says, the audit log included.
    const everything = [
      created.body,
      hook.body,
      listed.body,
      renamed.body,
      replaced.body,
      (await asRoot('GET', '/api/v1/audit')).body,
      (await asRoot('GET', '/api/v1/audit.csv')).body,
      JSON.stringify(await t.tdb.storage.db.selectFrom('audit_log').selectAll().execute()),
    ].join('\n');
    for (const secret of [SIG, SIGNING, 'rotated']) expect(everything).not.toContain(secret);
    expect(everything).toContain('secrets set: webhookUrl');
    // Nor in the table itself: the column holds the sealed value.
    const raw = await t.tdb.storage.db.selectFrom('channels').select('secrets').execute();
    expect(JSON.stringify(raw)).not.toContain(SIG);

    expect((await asLead('DELETE', `/api/v1/channels/${channel.id}`)).statusCode).toBe(204);
    expect((await asLead('GET', `/api/v1/channels/${channel.id}`)).statusCode).toBe(404);
    expect(await channelDestination(system, channel.id)).toBeNull();
    const rows = await t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', channel.id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => r.action)).toEqual([
      'channel.created',
      'channel.updated',
      'channel.updated',
      'channel.deleted',
    ]);
    expect(rows[1]).toMatchObject({ actor_id: lead.id, team_id: ops });
    expect(JSON.parse(rows[1]!.before!)).toMatchObject({ name: 'ops-teams', config: { title: 'Ops room' } });
    expect(JSON.parse(rows[1]!.after!)).toMatchObject({ name: 'ops-room', config: { title: 'Ops' } });
  });

  it('keeps names unique (409), on create and on rename', async () => {
    const { ops, asLead } = await setup();
    const body = { teamId: ops, kind: 'email', config: { address: 'ops@example.com' } };
    await asLead('POST', '/api/v1/channels', { name: 'ops', ...body });
    const dup = await asLead('POST', '/api/v1/channels', { name: ' ops ', ...body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<Problem>().detail).toBe('a channel named ops already exists');
    const b = (await asLead('POST', '/api/v1/channels', { name: 'dev', ...body })).json<ChannelJson>();
    expect((await asLead('PATCH', `/api/v1/channels/${b.id}`, { name: 'ops' })).statusCode).toBe(409);
  });

  it('answers invalid input with 400 problem+json naming the field, never quoting a secret', async () => {
    const { t, ops, asLead } = await setup();
    const pointers = async (res: Awaited<ReturnType<typeof asLead>>) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body).not.toContain(SIG);
      return res.json<Problem>().errors?.map((e) => e.pointer);
    };
    const post = (body: Record<string, unknown>) =>
      asLead('POST', '/api/v1/channels', { name: 'c', teamId: ops, kind: 'webhook', ...body });

    expect(await pointers(await post({ name: 'x'.repeat(101) }))).toEqual(['/body/name']);
    expect(await pointers(await post({ name: '  ' }))).toEqual(['/name']);
    expect(await pointers(await post({ kind: 'pager' }))).toContain('/body/kind');
    expect(await pointers(await post({ secrets: { webhookUrl: 42 } }))).toContain('/body/secrets/webhookUrl');
    expect(await pointers(await post({ secrets: { 'bad-name': 'x' } }))).toEqual(['/body/secrets/bad-name']);
    expect(await pointers(await post({ secrets: { webhookUrl: '' } }))).toContain('/body/secrets/webhookUrl');
    expect(await pointers(await post({ surprise: 1 }))).toEqual(['/body/surprise']);
    // A token in the config would be shown to the whole team and kept in the audit log.
    expect(await pointers(await post({ config: { botToken: 'abc', apiKey: 'def' } }))).toEqual([
      '/config/botToken',
      '/config/apiKey',
    ]);
    expect(await pointers(await post({ config: { address: 7 } }))).toEqual(['/config/address']);
    expect(await pointers(await post({ config: { blob: 'x'.repeat(17 * 1024) } }))).toEqual(['/config']);

    // Every URL the channel would call passes the outbound policy: no loopback, metadata service or bad ports.
    const loopback = await post({
      kind: 'teams',
      secrets: { webhookUrl: `http://127.0.0.1:8080/hook?sig=${SIG}` },
    });
    expect(await pointers(loopback)).toEqual(['/secrets/webhookUrl']);
    expect(
      await pointers(await post({ config: { address: 'http://169.254.169.254/latest/meta-data' } })),
    ).toEqual(['/config/address']);
    expect(await pointers(await post({ config: { address: 'ftp://files.example.com/x' } }))).toEqual([
      '/config/address',
    ]);
    expect(await pointers(await post({ config: { address: 'http://hooks.example.com:22/' } }))).toEqual([
      '/config/address',
    ]);
    // The kind's own checks run too, their pointers into the channel's config.
    expect(await pointers(await post({ config: {} }))).toEqual(['/config/address']);
    expect(await pointers(await post({ kind: 'teams' }))).toEqual(['/secrets/webhookUrl']);
    expect(await pointers(await post({ kind: 'email', config: { address: 'not-an-address' } }))).toEqual([
      '/config/address',
    ]);
    // A team that does not exist: those who see every team learn so; others get 404 as for any team not theirs.
    const ghost = 'team_00000000000000000000000000';
    expect((await post({ teamId: ghost })).statusCode).toBe(404);

    const ok = (
      await post({ name: 'hook', config: { address: 'https://hooks.example.com/siaga' } })
    ).json<ChannelJson>();
    expect(await pointers(await asLead('PATCH', `/api/v1/channels/${ok.id}`, {}))).toEqual(['/body']);
    expect(await pointers(await asLead('PATCH', `/api/v1/channels/${ok.id}`, { kind: 'sms' }))).toEqual([
      '/body/kind',
    ]);
    expect(
      await pointers(
        await asLead('PATCH', `/api/v1/channels/${ok.id}`, { config: { address: 'http://10.0.0.8/hook' } }),
      ),
    ).toEqual(['/config/address']);
    expect((await asLead('GET', '/api/v1/channels/not-an-id')).statusCode).toBe(400);
    expect(await t.tdb.storage.db.selectFrom('channels').select('name').execute()).toEqual([
      { name: 'hook' },
    ]);
  });

  it('keeps another team’s channels invisible (404, never 403) and lets only team admins change them', async () => {
    const { t, ops, asLead, asWatcher, asRoot } = await setup();
    const other = await team(t, 'Payments');
    const asOther = as(t, await login(t, await person(t, 'responder', { [other]: 'admin' })));
    const body = { teamId: ops, kind: 'email', config: { address: 'ops@example.com' } };
    const channel = (await asLead('POST', '/api/v1/channels', { name: 'ops', ...body })).json<ChannelJson>();
    const url = `/api/v1/channels/${channel.id}`;
    const checks: [string, Awaited<ReturnType<typeof asOther>>][] = [
      ['GET', await asOther('GET', url)],
      ['PATCH', await asOther('PATCH', url, { name: 'mine' })],
      ['DELETE', await asOther('DELETE', url)],
      ['list by team', await asOther('GET', `/api/v1/channels?teamId=${ops}`)],
      ['create in team', await asOther('POST', '/api/v1/channels', { name: 'x', ...body })],
    ];
    for (const [what, res] of checks) expect(`${what} → ${res.statusCode}`).toBe(`${what} → 404`);
    expect((await asOther('GET', '/api/v1/channels')).json()).toEqual([]);
    // Another team's channel cannot be a target of their policies either.
    const policy = await asOther('POST', '/api/v1/escalation-policies', {
      name: 'P',
      teamId: other,
      steps: [{ escalateAfterMinutes: 5, targets: [{ type: 'channel', id: channel.id }] }],
    });
    expect(policy.statusCode).toBe(400);
    expect(policy.json<Problem>().errors?.[0]?.pointer).toBe('/steps/0/targets/0/id');

    expect((await asWatcher('GET', url)).statusCode).toBe(200);
    expect((await asWatcher('PATCH', url, { name: 'x' })).statusCode).toBe(403);
    expect((await asWatcher('DELETE', url)).statusCode).toBe(403);

    const moved = await asRoot('PATCH', url, { teamId: other });
    expect(moved.json()).toMatchObject({ teamId: other });
    expect((await asLead('GET', url)).statusCode).toBe(404);
    expect((await asOther('GET', url)).statusCode).toBe(200);
  });

  it('refuses API changes to channels declared in the config file (409)', async () => {
    const { t, ops, asLead } = await setup();
    const now = t.clock.now();
    const id = 'chn_01JDECLAREDDECLAREDDECLARE';
    await t.tdb.storage.db
      .insertInto('channels')
      .values({
        id,
        team_id: ops,
        name: 'declared',
        kind: 'email',
        config: JSON.stringify({ address: 'ops@example.com' }),
        secrets: null,
        declared: true,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const url = `/api/v1/channels/${id}`;
    expect((await asLead('GET', url)).json()).toMatchObject({ name: 'declared', declared: true });
    for (const res of [await asLead('PATCH', url, { name: 'edited' }), await asLead('DELETE', url)]) {
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().detail).toMatch(/declared in the config file/);
    }
    expect((await asLead('GET', url)).json()).toMatchObject({ name: 'declared' });
  });

  it('refuses to delete a channel an escalation policy targets (409), and deletes it once none does', async () => {
    const { t, ops, asLead } = await setup();
    const alice = await person(t, 'responder', { [ops]: 'responder' });
    const channel = (
      await asLead('POST', '/api/v1/channels', {
        name: 'ops',
        teamId: ops,
        kind: 'email',
        config: { address: 'ops@example.com' },
      })
    ).json<ChannelJson>();
    const policy = (
      await asLead('POST', '/api/v1/escalation-policies', {
        name: 'Ops',
        teamId: ops,
        steps: [
          { escalateAfterMinutes: 5, targets: [{ type: 'user', id: alice.id }] },
          {
            escalateAfterMinutes: 5,
            targets: [
              { type: 'user', id: alice.id },
              { type: 'channel', id: channel.id },
            ],
          },
        ],
      })
    ).json<{ id: string }>();
    const refused = await asLead('DELETE', `/api/v1/channels/${channel.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'conflict', policies: [policy.id] });
    expect(refused.json<Problem>().detail).toMatch(/target of escalation policy Ops/);

    await asLead('PATCH', `/api/v1/escalation-policies/${policy.id}`, {
      steps: [{ escalateAfterMinutes: 5, targets: [{ type: 'user', id: alice.id }] }],
    });
    expect((await asLead('DELETE', `/api/v1/channels/${channel.id}`)).statusCode).toBe(204);
  });
});
