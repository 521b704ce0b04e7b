import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyDeclarations } from '../../src/app/declarations.ts';
import { systemActor } from '../../src/platform/context.ts';
import { ConfigError, loadConfig } from '../../src/platform/config/index.ts';
import { DECLARABLE_CHANNEL_KINDS } from '../../src/platform/config/declarations.ts';
import { CHANNEL_KINDS } from '../../src/storage/migrations/0006-response.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person } from '../harness/identity.ts';

const SIG = 'sig-Dk3Jf8Lq2Wm5Xn9Bv4Cz7Hs1Gt6Yp0Ra';
const TEAMS_URL = `https://prod-7.westeurope.logic.azure.com/workflows/ops/invoke?sig=${SIG}`;
const SIGNING = 'whsec-Pa5Sb8Tc1Ud4Ve7Wf0Xg3Yh6Zi9Aj2Bk';

type Problem = { detail: string };

/**
 * Channels and escalation policies declared in the YAML config file, next to services: applied at start, read-only
 * through the API, secrets read from the environment or files and never written in the file.
 */
describe(`declared channels and escalation policies (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  function configFrom(yaml: string, env: Record<string, string> = {}) {
    dir ??= mkdtempSync(path.join(tmpdir(), 'siaga-decl-'));
    writeFileSync(path.join(dir, 'signing-secret'), `${SIGNING}\n`);
    const file = path.join(dir, 'siaga.yaml');
    writeFileSync(file, yaml);
    return loadConfig({ env: { SIAGA_DATA_DIR: dir, ...env }, file, cwd: dir });
  }

  const FILE = (policyMinutes: number, email: string) => `
channels:
  - name: ops-teams
    team: Ops
    kind: teams
    config: { title: Ops room }
    secretsEnv: { webhookUrl: SIAGA_OPS_TEAMS_URL }
  - name: deploy-hook
    team: Ops
    kind: webhook
    config: { address: 'https://hooks.example.com/siaga' }
    secretsFile: { signingSecret: signing-secret }
escalationPolicies:
  - name: ops-default
    team: Ops
    description: primary, then the room and the lead
    repeat: 1
    steps:
      - escalateAfterMinutes: ${policyMinutes}
        targets:
          - schedule: Ops primary
      - escalateAfterMinutes: 10
        roundRobin: true
        targets:
          - channel: ops-teams
          - user: ${email.toUpperCase()}
          - team: Ops
services:
  - name: checkout
    team: Ops
    escalationPolicy: ops-default
`;

  async function seed(t: TestApp) {
    // Who and what the file names must exist: a person (by e-mail) and a schedule (by name).
    const alice = await person(t, 'responder', {}, 'alice');
    const teamId = 'team_01JOPSOPSOPSOPSOPSOPSOPSO';
    const now = t.clock.now();
    await t.tdb.storage.db
      .insertInto('teams')
      .values({ id: teamId, name: 'Ops', description: '', created_at: now, updated_at: now })
      .execute();
    await t.tdb.storage.db
      .insertInto('schedules')
      .values({
        id: 'sch_01JOPSPRIMARYOPSPRIMARYOP',
        team_id: teamId,
        name: 'Ops primary',
        description: '',
        time_zone: 'UTC',
        layers: '[]',
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { alice, teamId, scheduleId: 'sch_01JOPSPRIMARYOPSPRIMARYOP' };
  }

  it('applies channels (secrets from env and file) and a policy at start; the API shows them declared and read-only', async () => {
    t = await createTestApp();
    const { alice, teamId, scheduleId } = await seed(t);
    const config = configFrom(FILE(5, alice.email), { SIAGA_OPS_TEAMS_URL: TEAMS_URL });
    const system = t.app.ctx(systemActor('config-file'));
    const report = await applyDeclarations(system, config.declarations!);
    expect(report).toMatchObject({
      services: 1,
      channels: 2,
      escalationPolicies: 1,
      releasedChannels: [],
      releasedEscalationPolicies: [],
    });

    const asRoot = as(t, await login(t, await person(t, 'admin')));
    const channels = await asRoot('GET', '/api/v1/channels');
    expect(channels.json()).toEqual([
      expect.objectContaining({
        name: 'deploy-hook',
        kind: 'webhook',
        teamId,
        config: { address: 'https://hooks.example.com/siaga' },
        secretKeys: ['signingSecret'],
        declared: true,
      }),
      expect.objectContaining({
        name: 'ops-teams',
        kind: 'teams',
        config: { title: 'Ops room' },
        secretKeys: ['webhookUrl'],
        hasSecrets: true,
        declared: true,
      }),
    ]);
    const teamsChannel = channels.json<{ id: string; name: string }[]>().find((c) => c.name === 'ops-teams')!;

    const policies = await asRoot('GET', '/api/v1/escalation-policies');
    expect(policies.json()).toEqual([
      expect.objectContaining({
        name: 'ops-default',
        teamId,
        description: 'primary, then the room and the lead',
        repeat: 1,
        version: 1,
        declared: true,
        steps: [
          {
            escalateAfterMinutes: 5,
            roundRobin: false,
            targets: [
              { type: 'schedule', id: scheduleId, name: 'Ops primary', channelKind: null, warning: null },
            ],
          },
          {
            escalateAfterMinutes: 10,
            roundRobin: true,
            targets: [
              {
                type: 'channel',
                id: teamsChannel.id,
                name: 'ops-teams',
                channelKind: 'teams',
                warning: null,
              },
              { type: 'user', id: alice.id, name: 'alice', channelKind: null, warning: null },
              { type: 'team', id: teamId, name: 'Ops', channelKind: null, warning: null },
            ],
          },
        ],
      }),
    ]);
    const policy = policies.json<{ id: string }[]>()[0]!;
    const services = (await asRoot('GET', '/api/v1/services')).json();
    expect(services).toEqual([
      expect.objectContaining({ name: 'checkout', escalationPolicyId: policy.id, declared: true }),
    ]);

    // Read-only through the API: the file is the source of truth.
    for (const res of [
      await asRoot('PATCH', `/api/v1/escalation-policies/${policy.id}`, { repeat: 0 }),
      await asRoot('DELETE', `/api/v1/escalation-policies/${policy.id}`),
      await asRoot('PATCH', `/api/v1/channels/${teamsChannel.id}`, { secrets: { webhookUrl: TEAMS_URL } }),
      await asRoot('DELETE', `/api/v1/channels/${teamsChannel.id}`),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().detail).toMatch(/declared in the config file/);
    }

    // The secrets are sealed in the database and absent from every answer and from the audit log.
    const said = [
      channels.body,
      (await asRoot('GET', '/api/v1/audit')).body,
      JSON.stringify(await t.tdb.storage.db.selectFrom('channels').selectAll().execute()),
    ].join('\n');
    for (const secret of [SIG, SIGNING]) expect(said).not.toContain(secret);

    // A second start with the same file changes nothing; a changed step is a new version.
    t.clock.advance(60_000);
    await applyDeclarations(system, config.declarations!);
    expect((await asRoot('GET', `/api/v1/escalation-policies/${policy.id}`)).json()).toMatchObject({
      version: 1,
    });
    expect((await asRoot('GET', `/api/v1/channels/${teamsChannel.id}`)).json()).toMatchObject({
      updatedAt: channels.json<{ updatedAt: string }[]>()[1]!.updatedAt,
    });
    await applyDeclarations(
      system,
      configFrom(FILE(7, alice.email), { SIAGA_OPS_TEAMS_URL: TEAMS_URL }).declarations!,
    );
    expect((await asRoot('GET', `/api/v1/escalation-policies/${policy.id}`)).json()).toMatchObject({
      version: 2,
      steps: [{ escalateAfterMinutes: 7 }, { escalateAfterMinutes: 10 }],
    });

    // Removed from the file: kept, and handed over to the API.
    const emptied = configFrom('services:\n  - name: checkout\n    team: Ops\n');
    const after = await applyDeclarations(system, emptied.declarations!);
    expect(after).toMatchObject({
      releasedChannels: ['deploy-hook', 'ops-teams'],
      releasedEscalationPolicies: ['ops-default'],
    });
    expect((await asRoot('GET', '/api/v1/services')).json()).toEqual([
      expect.objectContaining({ name: 'checkout', escalationPolicyId: null }),
    ]);
    expect(
      (await asRoot('PATCH', `/api/v1/escalation-policies/${policy.id}`, { repeat: 0 })).json(),
    ).toMatchObject({ declared: false, repeat: 0 });
  });

  it('names the place in the file of every problem: secrets missing or written in the file, unknown targets, refused URLs', async () => {
    const yaml = (channel: string) => `
channels:
  - name: ops-teams
    team: Ops
    kind: teams
${channel}
`;
    const problems = (fn: () => unknown): string[] => {
      try {
        fn();
      } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
      }
      return [];
    };
    expect(problems(() => configFrom(yaml('    secretsEnv: { webhookUrl: SIAGA_OPS_TEAMS_URL }')))).toEqual([
      expect.stringMatching(
        /^channels\.0\.secretsEnv\.webhookUrl in .*: the environment variable SIAGA_OPS_TEAMS_URL is not set$/,
      ),
    ]);
    expect(problems(() => configFrom(yaml(`    secrets: { webhookUrl: '${TEAMS_URL}' }`)))).toEqual([
      expect.stringMatching(/^channels\.0 in .*\(secrets\)$/),
    ]);
    expect(problems(() => configFrom(yaml('    secretsFile: { webhookUrl: no-such-file }')))).toEqual([
      expect.stringMatching(
        /^channels\.0\.secretsFile\.webhookUrl in .*: cannot read .*no-such-file \(ENOENT\)$/,
      ),
    ]);
    // An undeclared SIAGA_ variable is a typo; one a channel reads is not.
    expect(problems(() => configFrom(yaml(''), { SIAGA_OPS_TEAMS_URL: TEAMS_URL }))).toEqual([
      expect.stringMatching(/^SIAGA_OPS_TEAMS_URL \(environment\): unknown setting/),
    ]);

    t = await createTestApp();
    const system = t.app.ctx(systemActor('config-file'));
    const applyProblems = async (text: string, env: Record<string, string> = {}) => {
      try {
        await applyDeclarations(system, configFrom(text, env).declarations!);
      } catch (e) {
        if (e instanceof ConfigError) return [...e.problems];
        throw e;
      }
      return [];
    };
    expect(
      await applyProblems(yaml('    secretsEnv: { webhookUrl: SIAGA_OPS_TEAMS_URL }'), {
        SIAGA_OPS_TEAMS_URL: `http://127.0.0.1:9000/hook?sig=${SIG}`,
      }),
    ).toEqual([
      expect.stringMatching(
        /^channels\.0\.secrets\.webhookUrl in the config file: 127\.0\.0\.1 is a loopback/,
      ),
    ]);
    const unknown = await applyProblems(`
escalationPolicies:
  - name: p
    team: Ops
    steps:
      - escalateAfterMinutes: 5
        targets: [{ channel: nowhere }, { user: nobody@example.com }]
services:
  - name: checkout
    team: Ops
    escalationPolicy: p
`);
    expect(unknown).toEqual([
      'escalationPolicies.0.steps.0.targets.0 in the config file: no channel is named "nowhere"',
      'escalationPolicies.0.steps.0.targets.1 in the config file: no active user has the e-mail address "nobody@example.com"',
    ]);
    expect(
      await applyProblems('services:\n  - name: checkout\n    team: Ops\n    escalationPolicy: missing\n'),
    ).toEqual(['services.0.escalationPolicy in the config file: no escalation policy is named "missing"']);
    // A failed start writes nothing.
    expect(await t.tdb.storage.db.selectFrom('teams').select('name').execute()).toEqual([]);
    expect(await t.tdb.storage.db.selectFrom('escalation_policies').select('name').execute()).toEqual([]);
  });

  it('accepts every channel kind the database knows', () => {
    expect([...DECLARABLE_CHANNEL_KINDS]).toEqual([...CHANNEL_KINDS]);
  });
});
