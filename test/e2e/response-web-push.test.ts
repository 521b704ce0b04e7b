import { createECDH, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushPayload } from '../../src/response/channels/web-push.ts';
import { generateVapidKeys } from '../../src/response/channels/vapid.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../src/platform/settings.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person } from '../harness/identity.ts';
import { startFakePushService, type FakePushService } from '../harness/providers/push-service.ts';
import { responseSettings, setupResponse, type ResponseSetup } from '../harness/response.ts';

const PUBLIC = 'https://siaga.example.com';
const SUBJECT = 'mailto:ops@example.com';

function withWebPush(vapid: { publicKey: string; privateKey: string }): Settings {
  const base = responseSettings();
  return {
    ...base,
    publicUrl: PUBLIC,
    notify: {
      ...base.notify,
      providers: { ...DEFAULT_SETTINGS.notify.providers, webPush: { ...vapid, subject: SUBJECT } },
    },
  };
}

/** Web Push with the operator's own VAPID keys: a browser subscribes, verifies, gets a page and acts on it. */
describe(`web push from subscription to acknowledgement (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  let s: ResponseSetup | undefined;
  let push: FakePushService | undefined;
  afterEach(async () => {
    await t?.close();
    await s?.t.close();
    await push?.close();
    t = s = push = undefined;
  });

  it('tells a signed-in browser that push is off until the operator sets VAPID keys', async () => {
    t = await createTestApp();
    const call = as(t, await login(t, await person(t, 'stakeholder')));
    const res = await call('GET', '/api/v1/web-push');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ enabled: false, publicKey: null });
    expect((await t.app.http.inject({ method: 'GET', url: '/api/v1/web-push' })).statusCode).toBe(401);
  });

  it('gives the public key a browser subscribes with, never the private key', async () => {
    const vapid = generateVapidKeys();
    t = await createTestApp({ overrides: { settings: withWebPush(vapid) } });
    const call = as(t, await login(t, await person(t, 'stakeholder')));
    const res = await call('GET', '/api/v1/web-push');
    expect(res.json()).toEqual({ enabled: true, publicKey: vapid.publicKey });
    expect(res.body).not.toContain(vapid.privateKey);
  });

  it('a subscribed browser gets its code and the page by push, and Acknowledge on the page acknowledges', async () => {
    push = await startFakePushService();
    const vapid = generateVapidKeys();
    s = await setupResponse({ settings: withWebPush(vapid) });
    const x = s;
    const fake = push;
    const dana = await person(x.t, 'responder', { [x.teamId]: 'responder' }, 'dana');
    const call = as(x.t, await login(x.t, dana));

    // What the profile page does after pushManager.subscribe(): the subscription becomes a contact method.
    const browser = fake.subscribe();
    const created = await call('POST', '/api/v1/me/contact-methods', {
      kind: 'push',
      name: 'Laptop',
      // Browsers' push services speak https only, and so does the API; the fake one listens on plain http.
      address: browser.endpoint.replace(/^http:/, 'https:'),
      keys: browser.keys,
    });
    expect(created.statusCode, created.body).toBe(201);
    const methodId = created.json<{ id: string }>().id;
    await x.t.tdb.storage.db
      .updateTable('contact_methods')
      .set({ address: browser.endpoint })
      .where('id', '=', methodId)
      .execute();
    await x.drain();

    const payloads = () => fake.requests.map((r) => JSON.parse(fake.decrypt(r)) as PushPayload);
    const [code] = payloads();
    expect(code?.title).toMatch(/verification code is \d{6}/);
    expect(code?.actions).toEqual([]);
    const verified = await call('POST', `/api/v1/me/contact-methods/${methodId}/verify`, {
      code: /(\d{6})/.exec(code!.title)![1],
    });
    expect(verified.statusCode, verified.body).toBe(200);
    // Every push was signed with the operator's key for this push service.
    expect(fake.requests[0]?.vapid).toMatchObject({
      publicKey: vapid.publicKey,
      signatureValid: true,
      payload: { aud: fake.origin, sub: SUBJECT },
    });

    await x.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: dana.id }], roundRobin: false },
    ]);
    await x.fire('push-page', 'Checkout returns 502');
    const page = payloads().at(-1)!;
    const incidentId = await x.incidentId();
    expect(page).toMatchObject({
      title: expect.stringContaining('Checkout returns 502'),
      tag: incidentId,
      url: expect.stringContaining(incidentId),
      actions: [
        { action: 'ack', title: 'Acknowledge' },
        { action: 'resolve', title: 'Resolve' },
      ],
    });
    expect(page.ackUrl?.startsWith(`${PUBLIC}/api/v1/actions/`)).toBe(true);

    // The service worker's Acknowledge button: a bare POST to the action URL, marked as coming from push.
    const ack = await x.t.app.http.inject({
      method: 'POST',
      url: `${page.ackUrl!.slice(PUBLIC.length)}?via=push`,
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ action: 'acknowledge', incident: { status: 'acknowledged' } });
    const acked = (await x.timeline(incidentId)).find((e) => e.type === 'incident.acknowledged');
    expect(acked?.data).toMatchObject({ via: 'push' });
    const actor = await x.t.tdb.storage.db
      .selectFrom('timeline_events')
      .select('actor')
      .where('incident_id', '=', incidentId)
      .where('type', '=', 'incident.acknowledged')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(actor.actor)).toMatchObject({ kind: 'user', id: dana.id });

    // The acknowledgement replaces the page on the device (same tag), without buttons.
    await x.drain();
    const update = payloads().at(-1)!;
    expect(update).toMatchObject({ tag: incidentId, actions: [] });
    expect(update.ackUrl).toBeUndefined();
  });
});

type Method = {
  id: string;
  address: string;
  name: string;
  verified: boolean;
  verifiedAt: string | null;
  disabled: boolean;
  verification: unknown;
  createdAt: string;
  updatedAt: string;
};
type Problem = { status: number; code: string; detail: string; errors?: { pointer: string }[] };

const RENEW = '/api/v1/me/push-subscriptions/renew';
/** The API takes https endpoints only, as browsers' push services are; the fake one listens on plain http. */
const https = (endpoint: string): string => endpoint.replace(/^http:/, 'https:');

/**
 * The service worker's `pushsubscriptionchange`: the browser made a new subscription and the worker reports it with
 * the old endpoint. The person's method follows it and stays verified; anything else is refused and changes nothing.
 */
describe(`web push: a browser renews its subscription (${TEST_DIALECT})`, () => {
  let t: TestApp | undefined;
  let s: ResponseSetup | undefined;
  let push: FakePushService | undefined;
  afterEach(async () => {
    await t?.close();
    await s?.t.close();
    await push?.close();
    t = s = push = undefined;
  });

  /** Points a method at the fake push service's plain-http endpoint: the one step the API (rightly) refuses. */
  async function reachOverHttp(app: TestApp, methodId: string, endpoint: string): Promise<void> {
    await app.tdb.storage.db
      .updateTable('contact_methods')
      .set({ address: endpoint })
      .where('id', '=', methodId)
      .execute();
  }

  async function auditOf(app: TestApp, methodId: string) {
    return app.tdb.storage.db
      .selectFrom('audit_log')
      .selectAll()
      .where('object_id', '=', methodId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  const row = (app: TestApp, id: string) =>
    app.tdb.storage.db
      .selectFrom('contact_methods')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('keeps a verified method verified, pages the new subscription and never the old one, and audits it', async () => {
    push = await startFakePushService();
    s = await setupResponse({ settings: withWebPush(generateVapidKeys()) });
    const x = s;
    const fake = push;
    const dana = await person(x.t, 'responder', { [x.teamId]: 'responder' }, 'dana');
    const call = as(x.t, await login(x.t, dana));

    // Dana's browser is subscribed and verified, as in the test above.
    const first = fake.subscribe();
    const created = await call('POST', '/api/v1/me/contact-methods', {
      kind: 'push',
      name: 'Laptop',
      address: https(first.endpoint),
      keys: first.keys,
    });
    expect(created.statusCode, created.body).toBe(201);
    const methodId = created.json<Method>().id;
    await reachOverHttp(x.t, methodId, first.endpoint);
    await x.drain();
    const code = /(\d{6})/.exec((JSON.parse(fake.decrypt(fake.requests[0]!)) as PushPayload).title)?.[1];
    const verified = await call('POST', `/api/v1/me/contact-methods/${methodId}/verify`, { code });
    expect(verified.statusCode, verified.body).toBe(200);
    const before = verified.json<Method>();
    const rulesBefore = (await call('GET', '/api/v1/me/notification-rules')).json<unknown>();
    const deliveriesBefore = await x.t.tdb.storage.db.selectFrom('deliveries').select('id').execute();
    const secretsBefore = (await row(x.t, methodId)).secrets;

    // The push service drops the old subscription; the browser makes a new one and the worker reports it.
    fake.expire(first.endpoint);
    const second = fake.subscribe();
    x.t.clock.advance(60_000);
    const body = { oldEndpoint: first.endpoint, endpoint: https(second.endpoint), keys: second.keys };
    const renewed = await call('POST', RENEW, body);
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json<Method>()).toEqual({
      ...before,
      address: https(second.endpoint),
      updatedAt: new Date(x.t.clock.now()).toISOString(),
    });
    expect(renewed.json<Method>()).toMatchObject({ verified: true, verifiedAt: before.verifiedAt });
    // The new keys are stored sealed, and nothing else happened: no code, no delivery, the same rules.
    const stored = await row(x.t, methodId);
    expect(stored.secrets).not.toBe(secretsBefore);
    expect(stored.secrets).not.toContain(second.keys.auth);
    expect(await x.t.tdb.storage.db.selectFrom('deliveries').select('id').execute()).toEqual(
      deliveriesBefore,
    );
    expect((await call('GET', '/api/v1/me/notification-rules')).json<unknown>()).toEqual(rulesBefore);

    // The worker may send it again when the first answer was lost: same answer, nothing more.
    const again = await call('POST', RENEW, body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual(renewed.json());
    const audit = await auditOf(x.t, methodId);
    expect(audit.map((e) => e.action)).toEqual([
      'contact_method.created',
      'contact_method.verified',
      'contact_method.subscription_renewed',
    ]);
    const entry = audit.at(-1)!;
    expect(entry).toMatchObject({
      actor_kind: 'user',
      actor_id: dana.id,
      detail: 'the browser renewed its push subscription; verification kept',
    });
    expect(JSON.parse(entry.after!)).toMatchObject({
      kind: 'push',
      verified: true,
      address: `${https(fake.origin)}/…`,
    });
    // Endpoints are capabilities and keys secrets: neither appears in the audit log.
    const logged = JSON.stringify(entry);
    for (const secret of [second.endpoint.split('/').at(-1)!, second.keys.p256dh, second.keys.auth])
      expect(logged).not.toContain(secret);

    // The next page goes to the new subscription, encrypted for its keys; the old endpoint hears nothing.
    await reachOverHttp(x.t, methodId, second.endpoint);
    const sentBefore = fake.requests.length;
    await x.usePolicy([
      { escalateAfterMinutes: 5, targets: [{ type: 'user', id: dana.id }], roundRobin: false },
    ]);
    await x.fire('renewed-page', 'Checkout returns 502');
    const after = fake.requests.slice(sentBefore);
    const oldId = first.endpoint.split('/').at(-1);
    const newId = second.endpoint.split('/').at(-1);
    expect(after.map((r) => r.id)).toEqual([newId]);
    expect(after.map((r) => r.id)).not.toContain(oldId);
    const page = JSON.parse(fake.decrypt(after[0]!)) as PushPayload;
    expect(page.title).toContain('Checkout returns 502');
    expect(page.actions.map((a) => a.action)).toEqual(['ack', 'resolve']);
    const delivery = await x.t.tdb.storage.db
      .selectFrom('deliveries')
      .select(['status', 'contact_method_id'])
      .where('kind', '=', 'page')
      .executeTakeFirstOrThrow();
    expect(delivery).toEqual({ status: 'sent', contact_method_id: methodId });
  });

  it('refuses another person’s method and an unknown endpoint with 404, changing nothing', async () => {
    t = await createTestApp();
    const app = t;
    const alice = await person(app, 'responder', {}, 'alice');
    const asAlice = as(app, await login(app, alice));
    const asBob = as(app, await login(app, await person(app, 'responder', {}, 'bob')));
    const asRoot = as(app, await login(app, await person(app, 'admin')));
    const endpoint = 'https://push.example.com/send/alice-laptop';
    const method = (
      await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'push', address: endpoint, keys: keysOf() })
    ).json<Method>();
    const before = await row(app, method.id);
    const auditBefore = await auditOf(app, method.id);

    const fresh = { endpoint: 'https://push.example.com/send/mallory', keys: keysOf() };
    const attempts = [
      ['bob, with alice’s endpoint', await asBob('POST', RENEW, { oldEndpoint: endpoint, ...fresh })],
      // Even a global admin: the route is about the caller's own browser (admins use PATCH on /users/:id/…).
      ['an admin, with alice’s endpoint', await asRoot('POST', RENEW, { oldEndpoint: endpoint, ...fresh })],
      [
        'alice, with an endpoint she has no method for',
        await asAlice('POST', RENEW, { oldEndpoint: 'https://push.example.com/send/other', ...fresh }),
      ],
      ['alice, with no URL at all', await asAlice('POST', RENEW, { oldEndpoint: 'not a url', ...fresh })],
    ] as const;
    for (const [who, res] of attempts) {
      expect(`${who} → ${res.statusCode}`).toBe(`${who} → 404`);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json<Problem>()).toMatchObject({ status: 404, code: 'not_found' });
      // The answer does not echo a capability URL back.
      expect(res.body).not.toContain('alice-laptop');
    }
    expect(await row(app, method.id)).toEqual(before);
    expect(await auditOf(app, method.id)).toEqual(auditBefore);
    expect(
      await app.tdb.storage.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'contact_method.subscription_renewed')
        .execute(),
    ).toEqual([]);
  });

  it('checks the new subscription as when adding one (400 pointing at the field), and refuses an endpoint in use', async () => {
    t = await createTestApp();
    const app = t;
    const asAlice = as(app, await login(app, await person(app, 'responder', {}, 'alice')));
    const endpoint = 'https://push.example.com/send/alice-laptop';
    const add = async (address: string) =>
      (
        await asAlice('POST', '/api/v1/me/contact-methods', { kind: 'push', address, keys: keysOf() })
      ).json<Method>();
    const method = await add(endpoint);
    const other = await add('https://push.example.com/send/alice-phone');
    const before = await row(app, method.id);
    const good = keysOf();

    const cases: [unknown, number, string][] = [
      [
        { endpoint: 'https://push.example.com/send/new', keys: { ...good, p256dh: 'AAAA' } },
        400,
        '/keys/p256dh',
      ],
      [
        { endpoint: 'https://push.example.com/send/new', keys: { ...good, auth: 'c2hvcnQ' } },
        400,
        '/keys/auth',
      ],
      [{ endpoint: 'http://push.example.com/send/new', keys: good }, 400, '/endpoint'],
      // The body's schema: the keys are required, and nothing but the three fields is taken.
      [{ endpoint: 'https://push.example.com/send/new' }, 400, '/body/keys'],
      [{ endpoint: 'https://push.example.com/send/new', keys: good, expirationTime: null }, 400, ''],
      // Another of her push methods already has that endpoint.
      [{ endpoint: other.address, keys: good }, 409, ''],
    ];
    for (const [subscription, status, pointer] of cases) {
      const res = await asAlice('POST', RENEW, { oldEndpoint: endpoint, ...(subscription as object) });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (pointer !== '') expect(res.json<Problem>().errors?.map((e) => e.pointer)).toContain(pointer);
    }
    expect(await row(app, method.id)).toEqual(before);
    expect((await auditOf(app, method.id)).map((e) => e.action)).not.toContain(
      'contact_method.subscription_renewed',
    );
  });

  it('needs a signed-in person with the session’s CSRF token', async () => {
    t = await createTestApp();
    const app = t;
    const alice = await login(app, await person(app, 'responder', {}, 'alice'));
    const endpoint = 'https://push.example.com/send/alice-laptop';
    const method = (
      await as(app, alice)('POST', '/api/v1/me/contact-methods', {
        kind: 'push',
        address: endpoint,
        keys: keysOf(),
      })
    ).json<Method>();
    const before = await row(app, method.id);
    const body = { oldEndpoint: endpoint, endpoint: 'https://push.example.com/send/new', keys: keysOf() };

    const anonymous = await app.app.http.inject({ method: 'POST', url: RENEW, payload: body });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toContain('application/problem+json');
    // A cookie alone could come from any page the browser has open; the worker sends the token too.
    const noCsrf = await as(app, alice, { csrf: false })('POST', RENEW, body);
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json<Problem>().code).toBe('csrf');
    expect(await row(app, method.id)).toEqual(before);
  });
});

/** A real subscription's keys: an uncompressed P-256 public key and a 16-byte auth secret. */
function keysOf(): { p256dh: string; auth: string } {
  const ecdh = createECDH('prime256v1');
  return { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}
