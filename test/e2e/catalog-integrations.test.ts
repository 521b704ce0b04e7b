import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  EMAIL_IN_OFF,
  findIntegrationByKey,
  INTEGRATION_SIGNING_SECRETS,
  integrationEndpoints,
  openSigningSecrets,
  toIntegration,
} from '../../src/catalog/index.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person, team } from '../harness/identity.ts';
import { foundIn, rawDatabase } from '../harness/raw-db.ts';
import { TEST_SECRETS } from '../harness/services.ts';

type Problem = { status: number; detail: string; errors?: { pointer: string }[] };
type IntegrationJson = { id: string; keyPrefix: string; signingSecretCount: number } & Record<
  string,
  unknown
>;
type Issued = {
  integration: IntegrationJson;
  key: string;
  endpoints: { url: string | null; snippets: Record<string, string> } & Record<string, unknown>;
};

/** An integration belongs to a service, has a kind and a secret key shown once, and shows its URL. */
describe(`catalog integrations (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  async function setup() {
    t = await createTestApp();
    const ops = await team(t, 'Ops');
    const session = await login(t, await person(t, 'responder', { [ops]: 'admin' }));
    const api = as(t, session);
    const service = (await api('POST', '/api/v1/services', { name: 'Checkout', teamId: ops })).json<{
      id: string;
    }>();
    const system = t.app.ctx({ kind: 'system', name: 'test' });
    return { t, ops, api, session, serviceId: service.id, system };
  }

  const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

  it('shows the key and its URLs once, stores only its hash, and never shows it again', async () => {
    const { t, api, serviceId, system } = await setup();
    const created = await api('POST', `/api/v1/services/${serviceId}/integrations`, {
      name: 'Prometheus',
      kind: 'alertmanager',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { integration, key, endpoints } = created.json<Issued>();
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    expect(integration).toEqual({
      id: expect.stringMatching(/^int_/),
      serviceId,
      name: 'Prometheus',
      kind: 'alertmanager',
      keyPrefix: key.slice(0, 6),
      config: {},
      signingSecretCount: 0,
      declared: false,
      createdAt: new Date(t.clock.now()).toISOString(),
      updatedAt: new Date(t.clock.now()).toISOString(),
      lastEventAt: null,
    });
    expect(endpoints.url).toBe(`http://127.0.0.1:8080/integrations/alertmanager/${key}`);
    expect(endpoints.snippets.alertmanager).toContain(
      `url: "http://127.0.0.1:8080/integrations/alertmanager/${key}"`,
    );
    expect(endpoints.snippets.prometheus).toContain(`credentials: "${key}"`);

    const reads = [
      await api('GET', `/api/v1/integrations/${integration.id}`),
      await api('GET', `/api/v1/services/${serviceId}/integrations`),
    ];
    expect(reads.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(reads[0]!.json()).toEqual(integration);
    expect(reads[1]!.json()).toEqual([integration]);
    for (const r of reads) expect(r.body).not.toContain(key);

    const row = await t.tdb.storage.db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', integration.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(key));
    expect(row.key_prefix).toBe(key.slice(0, 6));
    expect(JSON.stringify(row)).not.toContain(key);
    const audit = await t.tdb.storage.db.selectFrom('audit_log').selectAll().execute();
    expect(audit.map((a) => a.action)).toContain('integration.created');
    expect(JSON.stringify(audit)).not.toContain(key);

    const found = await findIntegrationByKey(system, key);
    expect(found?.integration).toMatchObject({ id: integration.id, kind: 'alertmanager' });
    expect(found?.service).toMatchObject({ id: serviceId, name: 'Checkout' });
    expect(await findIntegrationByKey(system, key, ['alertmanager', 'webhook'])).not.toBeNull();
    expect(await findIntegrationByKey(system, key, ['pagerduty'])).toBeNull();
    expect(await findIntegrationByKey(system, `${key.slice(0, 42)}x`)).toBeNull();
    expect(await findIntegrationByKey(system, '')).toBeNull();
  });

  it('rotates the key: the old one stops working at once, the new one is shown once', async () => {
    const { t, api, session, serviceId, system } = await setup();
    const { integration, key: oldKey } = (
      await api('POST', `/api/v1/services/${serviceId}/integrations`, { name: 'PD', kind: 'pagerduty' })
    ).json<Issued>();
    // An action without input: no body at all is fine (as `curl -X POST` sends it).
    const rotated = await t.app.http.inject({
      method: 'POST',
      url: `/api/v1/integrations/${integration.id}/rotate-key`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.headers['cache-control']).toBe('no-store');
    const { key, integration: after, endpoints } = rotated.json<Issued>();
    expect(key).not.toBe(oldKey);
    expect(after.keyPrefix).toBe(key.slice(0, 6));
    expect(endpoints).toMatchObject({ url: 'http://127.0.0.1:8080/v2/enqueue', routingKey: key });
    expect(await findIntegrationByKey(system, oldKey)).toBeNull();
    expect((await findIntegrationByKey(system, key))?.integration.id).toBe(integration.id);
    expect((await api('GET', `/api/v1/integrations/${integration.id}`)).body).not.toContain(key);
    const entry = await t.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'integration.key_rotated')
      .executeTakeFirstOrThrow();
    expect(entry.object_id).toBe(integration.id);
    expect(JSON.parse(entry.after!)).toEqual({ keyPrefix: key.slice(0, 6) });
  });

  it('updates and deletes an integration; a deleted integration’s key finds nothing', async () => {
    const { t, api, serviceId, system } = await setup();
    const { integration, key } = (
      await api('POST', `/api/v1/services/${serviceId}/integrations`, {
        name: 'Hook',
        kind: 'webhook',
        config: { mapping: { summary: '$.title' } },
      })
    ).json<Issued>();
    expect(integration.config).toEqual({ mapping: { summary: '$.title' } });
    t.clock.advance(1000);
    const updated = await api('PATCH', `/api/v1/integrations/${integration.id}`, {
      name: 'Grafana hook',
      config: { mapping: { summary: '$.message', severity: '$.level' } },
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({
      name: 'Grafana hook',
      config: { mapping: { summary: '$.message', severity: '$.level' } },
      keyPrefix: integration.keyPrefix,
      updatedAt: new Date(t.clock.now()).toISOString(),
    });
    expect((await findIntegrationByKey(system, key))?.integration.config).toEqual({
      mapping: { summary: '$.message', severity: '$.level' },
    });
    expect((await api('DELETE', `/api/v1/integrations/${integration.id}`)).statusCode).toBe(204);
    expect((await api('GET', `/api/v1/integrations/${integration.id}`)).statusCode).toBe(404);
    expect(await findIntegrationByKey(system, key)).toBeNull();
    const actions = await t.tdb.storage.db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', integration.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'integration.created',
      'integration.updated',
      'integration.deleted',
    ]);
  });

  it('seals signing secrets at rest, keeps two during a rotation, and shows each once', async () => {
    const { t, api, serviceId, system } = await setup();
    const { integration, key } = (
      await api('POST', `/api/v1/services/${serviceId}/integrations`, { name: 'Hook', kind: 'webhook' })
    ).json<Issued>();
    const url = `/api/v1/integrations/${integration.id}/signing-secret`;
    const issue = async () => {
      const res = await api('POST', url);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      return res.json<{ integration: IntegrationJson; signingSecret: string }>();
    };
    const first = await issue();
    expect(first.signingSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.integration.signingSecretCount).toBe(1);
    const second = await issue();
    expect(second.integration.signingSecretCount).toBe(2);
    const third = await issue();
    expect(third.integration.signingSecretCount).toBe(2);

    const found = (await findIntegrationByKey(system, key))!;
    expect(openSigningSecrets(system, found.integration)).toEqual([
      third.signingSecret,
      second.signingSecret,
    ]);

    const db = t.tdb.storage.db;
    const row = await db
      .selectFrom('integrations')
      .selectAll()
      .where('id', '=', integration.id)
      .executeTakeFirstOrThrow();
    expect(row.signing_secrets).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(
      JSON.parse(TEST_SECRETS.open(row.signing_secrets!, INTEGRATION_SIGNING_SECRETS.aad(integration.id))),
    ).toEqual([third.signingSecret, second.signingSecret]);
    // Bound to its row: the sealed value does not open as another integration's secrets.
    expect(() => openSigningSecrets(system, { ...toIntegration(row), id: 'int_other' })).toThrow();

    const reads = [
      (await api('GET', `/api/v1/integrations/${integration.id}`)).body,
      (await api('GET', `/api/v1/services/${serviceId}/integrations`)).body,
    ].join('\n');
    const audit = JSON.stringify(await db.selectFrom('audit_log').selectAll().execute());
    for (const s of [first, second, third].map((x) => x.signingSecret)) {
      expect(reads).not.toContain(s);
      expect(audit).not.toContain(s);
    }

    const cleared = await api('DELETE', `${url}/previous`);
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ signingSecretCount: 1 });
    expect(openSigningSecrets(system, (await findIntegrationByKey(system, key))!.integration)).toEqual([
      third.signingSecret,
    ]);
    expect((await api('DELETE', `${url}/previous`)).json()).toMatchObject({ signingSecretCount: 1 });
    const actions = await db
      .selectFrom('audit_log')
      .select('action')
      .where('object_id', '=', integration.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'integration.created',
      'integration.signing_secret_rotated',
      'integration.signing_secret_rotated',
      'integration.signing_secret_rotated',
      'integration.signing_secret_cleared',
    ]);

    // Nowhere in the database's bytes: not the key, not a signing secret (SQLite file/WAL, or a pg_dump).
    for (const raw of await rawDatabase(t.tdb)) {
      expect(foundIn(raw, integration.keyPrefix).length, 'the search finds what is there').toBeGreaterThan(0);
      for (const secret of [key, first.signingSecret, second.signingSecret, third.signingSecret])
        expect(foundIn(raw, secret)).toEqual([]);
    }
  });

  it('refuses API changes to integrations declared in the config file (409)', async () => {
    const { t, api, serviceId } = await setup();
    const now = t.clock.now();
    await t.tdb.storage.db
      .insertInto('integrations')
      .values({
        id: 'int_01JDECLAREDDECLAREDDECLARE',
        service_id: serviceId,
        name: 'Declared',
        kind: 'alertmanager',
        key_hash: sha256('declared-key'),
        key_prefix: 'declar',
        config: '{}',
        signing_secrets: null,
        declared: true,
        created_at: now,
        updated_at: now,
        last_event_at: null,
      })
      .execute();
    const url = '/api/v1/integrations/int_01JDECLAREDDECLAREDDECLARE';
    expect((await api('GET', url)).json()).toMatchObject({ name: 'Declared', declared: true });
    for (const res of [
      await api('PATCH', url, { name: 'edited' }),
      await api('DELETE', url),
      await api('POST', `${url}/rotate-key`),
      await api('POST', `${url}/signing-secret`),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json<Problem>().detail).toMatch(/declared in the config file/);
    }
  });

  it('answers invalid input with 400 problem+json naming the field', async () => {
    const { api, serviceId } = await setup();
    const pointers = async (res: Awaited<ReturnType<typeof api>>) => {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      return res.json<Problem>().errors?.map((e) => e.pointer);
    };
    const post = (body: Record<string, unknown>) =>
      api('POST', `/api/v1/services/${serviceId}/integrations`, body);
    expect(await pointers(await post({ name: 'x', kind: 'smtp' }))).toContain('/body/kind');
    expect(await pointers(await post({ kind: 'webhook' }))).toEqual(['/body/name']);
    expect(await pointers(await post({ name: 'x', kind: 'webhook', config: [1] }))).toContain('/body/config');
    expect(
      await pointers(await post({ name: 'x', kind: 'webhook', config: { big: 'x'.repeat(17_000) } })),
    ).toEqual(['/config']);
    expect(await pointers(await post({ name: 'x', kind: 'webhook', keyHash: 'mine' }))).toEqual([
      '/body/keyHash',
    ]);
    const { integration } = (await post({ name: 'ok', kind: 'webhook' })).json<Issued>();
    expect(await pointers(await api('PATCH', `/api/v1/integrations/${integration.id}`, {}))).toEqual([
      '/body',
    ]);
    expect(
      await pointers(await api('POST', `/api/v1/integrations/${integration.id}/rotate-key`, { key: 'mine' })),
    ).toEqual(['/body/key']);
    expect((await post({ name: 'x', kind: 'webhook' })).statusCode).toBe(201);
    expect(
      (
        await api('POST', '/api/v1/services/svc_00000000000000000000000000/integrations', {
          name: 'x',
          kind: 'webhook',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('builds the URLs and configuration snippets of each kind', () => {
    const key = 'k'.repeat(43);
    const am = integrationEndpoints('https://siaga.example.com/oncall/', 'alertmanager', key);
    expect(am.url).toBe(`https://siaga.example.com/oncall/integrations/alertmanager/${key}`);
    expect(am.snippets.alertmanager).toBe(
      [
        '# alertmanager.yml: route alerts to this receiver (receiver: siaga)',
        'receivers:',
        '  - name: siaga',
        '    webhook_configs:',
        `      - url: "https://siaga.example.com/oncall/integrations/alertmanager/${key}"`,
        '        send_resolved: true',
      ].join('\n'),
    );
    expect(am.snippets.prometheus).toBe(
      [
        '# prometheus.yml: send alerts to Siaga (https://siaga.example.com/oncall/api/v2/alerts)',
        'alerting:',
        '  alertmanagers:',
        '    - api_version: v2',
        '      scheme: https',
        '      path_prefix: "/oncall"',
        '      authorization:',
        '        type: Bearer',
        `        credentials: "${key}"`,
        '      static_configs:',
        '        - targets: ["siaga.example.com:443"]',
      ].join('\n'),
    );
    const local = integrationEndpoints('http://[::1]:9093', 'alertmanager', key).snippets.prometheus!;
    expect(local).toContain('scheme: http\n');
    expect(local).toContain('targets: ["[::1]:9093"]');
    expect(local).not.toContain('path_prefix');

    const pd = integrationEndpoints('http://siaga.local:8080', 'pagerduty', key);
    expect(pd).toMatchObject({ url: 'http://siaga.local:8080/v2/enqueue', routingKey: key });
    expect(pd.snippets.curl).toContain(`curl -sS -X POST 'http://siaga.local:8080/v2/enqueue'`);
    const event = JSON.parse(/--data '(.*)'$/.exec(pd.snippets.curl!)![1]!);
    expect(event).toMatchObject({
      routing_key: key,
      event_action: 'trigger',
      payload: { severity: 'critical' },
    });
    expect(pd.snippets.pagerduty).toContain(`routing_key: "${key}"`);

    const hook = integrationEndpoints('http://siaga.local:8080', 'webhook', key);
    expect(hook.url).toBe(`http://siaga.local:8080/integrations/webhook/${key}`);
    expect(hook.snippets.curl).toContain(`'http://siaga.local:8080/integrations/webhook/${key}'`);

    expect(integrationEndpoints('http://x', 'email', key, 'in.example.com')).toEqual({
      url: `mailto:${key}@in.example.com`,
      address: `${key}@in.example.com`,
      snippets: {},
    });
    expect(integrationEndpoints('http://x', 'email', key)).toEqual({
      url: null,
      notice: EMAIL_IN_OFF,
      snippets: {},
    });
  });

  it('creates an email integration with no address while email-in is switched off', async () => {
    const { api, serviceId } = await setup();
    const res = await api('POST', `/api/v1/services/${serviceId}/integrations`, {
      name: 'Mail',
      kind: 'email',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<Issued>().endpoints).toEqual({ url: null, notice: EMAIL_IN_OFF, snippets: {} });
  });
});
