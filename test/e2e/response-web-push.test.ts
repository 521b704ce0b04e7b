import { createECDH, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PushPayload } from '../../src/response/channels/web-push.ts';
import { generateVapidKeys } from '../../src/response/channels/vapid.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../src/platform/settings.ts';
import { createTestApp, type TestApp } from '../harness/app.ts';
import { TEST_DIALECT } from '../harness/db.ts';
import { as, login, person } from '../harness/identity.ts';
import {
  startFakePushService,
  type FakePushService,
  type PushSubscription,
} from '../harness/providers/push-service.ts';
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

/** Points a method at the fake push service's plain-http endpoint: the one step the API (rightly) refuses. */
async function reachOverHttp(app: TestApp, methodId: string, endpoint: string): Promise<void> {
  await app.tdb.storage.db
    .updateTable('contact_methods')
    .set({ address: endpoint })
    .where('id', '=', methodId)
    .execute();
}

function auditOf(app: TestApp, methodId: string) {
  return app.tdb.storage.db
    .selectFrom('audit_log')
    .selectAll()
    .where('object_id', '=', methodId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** A browser subscribed, its code entered: the profile's path (the address set to the fake's plain-http URL). */
async function verifiedPush(
  x: ResponseSetup,
  fake: FakePushService,
  call: ReturnType<typeof as>,
): Promise<{ id: string; browser: PushSubscription; verified: Method }> {
  const browser = fake.subscribe();
  const created = await call('POST', '/api/v1/me/contact-methods', {
    kind: 'push',
    name: 'Laptop',
    address: https(browser.endpoint),
    keys: browser.keys,
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<Method>().id;
  await reachOverHttp(x.t, id, browser.endpoint);
  const before = fake.requests.length;
  await x.drain();
  const sent = fake.requests.slice(before).find((r) => r.id === browser.endpoint.split('/').at(-1));
  const code = /(\d{6})/.exec((JSON.parse(fake.decrypt(sent!)) as PushPayload).title)?.[1];
  const verified = await call('POST', `/api/v1/me/contact-methods/${id}/verify`, { code });
  expect(verified.statusCode, verified.body).toBe(200);
  return { id, browser, verified: verified.json<Method>() };
}

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
    const { id: methodId, browser: first, verified: before } = await verifiedPush(x, fake, call);
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

type Delivery = {
  id: string;
  kind: string;
  status: string;
  channelKind: string;
  contactMethodId: string | null;
  reason: string | null;
  attempts: number;
  history: { outcome: string; statusCode: number | null; error: string | null }[];
};

/**
 * A push service answers 404/410 when the browser's subscription is gone: the push method expires in the same
 * transaction as the failed delivery, is not paged again (the person's other methods are), its owner sees it on the
 * profile, and a renewal of the subscription brings it back. A temporary failure or a refused message does nothing
 * of the kind.
 */
describe(`web push: a subscription the push service dropped (${TEST_DIALECT})`, () => {
  let s: ResponseSetup | undefined;
  let push: FakePushService | undefined;
  afterEach(async () => {
    await s?.t.close();
    await push?.close();
    s = push = undefined;
  });

  async function start(): Promise<{ x: ResponseSetup; fake: FakePushService }> {
    push = await startFakePushService();
    s = await setupResponse({ settings: withWebPush(generateVapidKeys()) });
    return { x: s, fake: push };
  }

  const pushesTo = (fake: FakePushService, endpoint: string) =>
    fake.requests.filter((r) => r.id === endpoint.split('/').at(-1));

  async function deliveries(x: ResponseSetup, incidentId: string): Promise<Delivery[]> {
    const res = await x.admin('GET', `/api/v1/incidents/${incidentId}/deliveries`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Delivery[]>();
  }

  const methodOf = async (call: ReturnType<typeof as>, id: string) =>
    (await call('GET', '/api/v1/me/contact-methods'))
      .json<(Method & Record<string, unknown>)[]>()
      .find((m) => m.id === id);

  it('expires the method on 410, pages only the person’s other method next time, and a renewal brings it back', async () => {
    const { x, fake } = await start();
    // Dana's first method is a webhook (verified, default rules: at once for both urgencies); then her browser,
    // at once and again 5 minutes later for high urgency.
    const dana = await x.responder('dana');
    const { id: pushId, browser } = await verifiedPush(x, fake, dana.call);
    for (const delayMinutes of [0, 5]) {
      const rule = await dana.call('POST', '/api/v1/me/notification-rules', {
        contactMethodId: pushId,
        urgency: 'high',
        delayMinutes,
      });
      expect(rule.statusCode, rule.body).toBe(201);
    }
    await x.usePolicy([
      { escalateAfterMinutes: 30, targets: [{ type: 'user', id: dana.id }], roundRobin: false },
    ]);

    // The browser's subscription is gone: the push service answers 410 Gone.
    fake.expire(browser.endpoint);
    await x.fire('gone-1', 'Checkout returns 502');
    const first = await x.incidentId();
    expect(pushesTo(fake, browser.endpoint)).toHaveLength(2); // the code, then the page that got 410
    expect(x.received(dana.path).filter((m) => m.kind === 'page')).toHaveLength(1);

    // The delivery log shows the permanent failure once: one attempt, 410, not retried.
    const pushPages = (await deliveries(x, first)).filter((d) => d.channelKind === 'push');
    expect(pushPages.map((d) => [d.status, d.attempts])).toEqual([
      ['failed', 1],
      ['pending', 0],
    ]);
    expect(pushPages[0]!.history).toMatchObject([{ outcome: 'failed_permanent', statusCode: 410 }]);
    expect(pushPages[0]!.reason).toMatch(/expired or unsubscribed \(HTTP 410\)/);

    // The method expired with that outcome: verified still, but not paged; the API and the profile say so.
    const expired = await methodOf(dana.call, pushId);
    expect(expired).toMatchObject({
      verified: true,
      disabled: false,
      expired: true,
      expiredAt: new Date(x.t.clock.now()).toISOString(),
      expiredReason: 'the push service answered HTTP 410: the subscription expired or was unsubscribed',
    });
    const setup = (await dana.call('GET', '/api/v1/me/notification-setup')).json<{
      warnings: { code: string; message: string }[];
      rules: { high: { contactMethodId: string; active: boolean }[] };
    }>();
    expect(setup.warnings).toContainEqual({
      code: 'method_expired',
      message: expect.stringMatching(/^Laptop stopped accepting notifications/),
    });
    expect(setup.rules.high.filter((r) => r.contactMethodId === pushId).map((r) => r.active)).toEqual([
      false,
      false,
    ]);
    const audit = await auditOf(x.t, pushId);
    expect(audit.filter((e) => e.action === 'contact_method.expired')).toMatchObject([
      { actor_kind: 'system', actor_id: null, detail: expect.stringContaining('HTTP 410') },
    ]);
    expect(JSON.parse(audit.at(-1)!.after!)).toMatchObject({ expired: true, verified: true });

    // The incident's timeline says the browser stopped taking pushes and that Dana is still paged elsewhere.
    const failed = (await x.timeline(first)).filter((e) => e.type === 'notification.failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.data).toMatchObject({
      final: true,
      contactMethod: { id: pushId, name: 'Laptop', expired: true },
      warning: expect.stringMatching(
        /dana’s “Laptop” stopped accepting notifications.*other contact methods/,
      ),
    });

    // The rule 5 minutes later was planned before the 410: it is held back, never sent.
    await x.advance(5 * 60_000);
    const later = (await deliveries(x, first)).filter((d) => d.channelKind === 'push');
    expect(later.map((d) => [d.status, d.reason])).toEqual([
      ['failed', pushPages[0]!.reason],
      ['suppressed', 'push subscription expired'],
    ]);
    expect(pushesTo(fake, browser.endpoint)).toHaveLength(2);

    // The next incident does not try the browser again; the webhook still gets the page.
    await x.fire('gone-2', 'Payments slow');
    const second = await x.incidentId();
    expect(second).not.toBe(first);
    expect((await deliveries(x, second)).map((d) => [d.channelKind, d.status])).toEqual([
      ['webhook', 'sent'],
    ]);
    expect(pushesTo(fake, browser.endpoint)).toHaveLength(2);
    expect(x.received(dana.path).filter((m) => m.kind === 'page')).toHaveLength(2);
    expect((await x.timeline(second)).map((e) => e.type)).not.toContain('escalation.unreachable');

    // The browser subscribes again and the worker (or the profile's "Re-enable push") renews: it pages again.
    const renewedBrowser = fake.subscribe();
    x.t.clock.advance(60_000);
    const renewed = await dana.call('POST', RENEW, {
      oldEndpoint: browser.endpoint,
      endpoint: https(renewedBrowser.endpoint),
      keys: renewedBrowser.keys,
    });
    expect(renewed.statusCode, renewed.body).toBe(200);
    expect(renewed.json()).toMatchObject({
      verified: true,
      expired: false,
      expiredAt: null,
      expiredReason: null,
    });
    const restored = (await auditOf(x.t, pushId)).at(-1)!;
    expect(restored).toMatchObject({
      action: 'contact_method.restored',
      actor_kind: 'user',
      actor_id: dana.id,
    });
    expect(JSON.parse(restored.before!)).toMatchObject({ expired: true });
    expect(JSON.parse(restored.after!)).toMatchObject({ expired: false, verified: true });
    await x.t.tdb.storage.db
      .updateTable('contact_methods')
      .set({ address: renewedBrowser.endpoint })
      .where('id', '=', pushId)
      .execute();

    await x.fire('gone-3', 'Search down');
    const third = await x.incidentId();
    const pushed = pushesTo(fake, renewedBrowser.endpoint);
    expect(pushed).toHaveLength(1);
    expect((JSON.parse(fake.decrypt(pushed[0]!)) as PushPayload).title).toContain('Search down');
    expect((await deliveries(x, third)).filter((d) => d.channelKind === 'push').map((d) => d.status)).toEqual(
      ['sent', 'pending'],
    );
    expect(pushesTo(fake, browser.endpoint)).toHaveLength(2);
  });

  it('keeps it loud when the expired browser was the only way to reach someone', async () => {
    const { x, fake } = await start();
    const ana = await person(x.t, 'responder', { [x.teamId]: 'responder' }, 'ana');
    const call = as(x.t, await login(x.t, ana));
    // Her only method: the default rules page it at once.
    const { id: pushId, browser } = await verifiedPush(x, fake, call);
    await x.usePolicy([
      { escalateAfterMinutes: 30, targets: [{ type: 'user', id: ana.id }], roundRobin: false },
    ]);

    fake.expire(browser.endpoint, 404);
    await x.fire('only-1');
    const first = await x.incidentId();
    const failed = (await x.timeline(first)).find((e) => e.type === 'notification.failed');
    expect(failed?.data).toMatchObject({
      final: true,
      warning: expect.stringMatching(/ana has no other contact method that pages them$/),
    });
    expect(await methodOf(call, pushId)).toMatchObject({ expired: true });
    const setup = (await call('GET', '/api/v1/me/notification-setup')).json<{
      warnings: { code: string }[];
    }>();
    expect(setup.warnings.map((w) => w.code)).toEqual(['no_verified_method', 'method_expired']);

    // The next incident: nobody can page Ana, the timeline says so and why.
    await x.fire('only-2');
    const second = await x.incidentId();
    const unreachable = (await x.timeline(second)).find((e) => e.type === 'escalation.unreachable');
    expect(unreachable?.data).toMatchObject({
      warning: expect.stringMatching(/^ana cannot be reached/),
      notes: ['ana’s “Laptop” stopped accepting notifications (its push subscription expired)'],
    });
    expect(await deliveries(x, second)).toEqual([]);
    expect(pushesTo(fake, browser.endpoint)).toHaveLength(2);

    // A test page skips it too; pointing it at a new subscription by hand ends the expiry (and asks for a code).
    const drill = await call('POST', '/api/v1/drills', { userId: ana.id });
    expect(drill.statusCode, drill.body).toBe(201);
    expect(drill.json()).toMatchObject({ outcome: 'failed', deliveries: [] });
    const next = fake.subscribe();
    const patched = await call('PATCH', `/api/v1/me/contact-methods/${pushId}`, {
      address: https(next.endpoint),
      keys: next.keys,
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ expired: false, verified: false });
    expect((await auditOf(x.t, pushId)).at(-1)).toMatchObject({
      action: 'contact_method.updated',
      detail: 'where it reaches changed: no longer expired; verification starts again',
    });
  });

  it('does not expire the method on a temporary failure (500) or a refused message (403)', async () => {
    const { x, fake } = await start();
    const dana = await x.responder('dana');
    const { id: pushId, browser } = await verifiedPush(x, fake, dana.call);
    const rule = await dana.call('POST', '/api/v1/me/notification-rules', {
      contactMethodId: pushId,
      urgency: 'high',
      delayMinutes: 0,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await x.usePolicy([
      { escalateAfterMinutes: 30, targets: [{ type: 'user', id: dana.id }], roundRobin: false },
    ]);

    // 500: the push service is having a bad moment. Retried, delivered, and the method never expired.
    fake.answerNext({ status: 500, body: 'try later' });
    await x.fire('hiccup');
    const first = await x.incidentId();
    const pending = (await deliveries(x, first)).find((d) => d.channelKind === 'push')!;
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending.history).toMatchObject([{ outcome: 'failed_temporary', statusCode: 500 }]);
    expect(await methodOf(dana.call, pushId)).toMatchObject({ expired: false });
    await x.advance(60_000, 10_000);
    expect((await deliveries(x, first)).find((d) => d.channelKind === 'push')).toMatchObject({
      status: 'sent',
      attempts: 2,
    });

    // 403: the push service refused this message (VAPID), not the subscription: failed, but nothing expires.
    fake.answerNext({ status: 403, body: 'invalid JWT' });
    await x.fire('refused');
    const second = await x.incidentId();
    expect((await deliveries(x, second)).find((d) => d.channelKind === 'push')).toMatchObject({
      status: 'failed',
    });
    expect(await methodOf(dana.call, pushId)).toMatchObject({ expired: false, expiredAt: null });
    expect((await auditOf(x.t, pushId)).map((e) => e.action)).not.toContain('contact_method.expired');
    expect(pushesTo(fake, browser.endpoint).length).toBeGreaterThanOrEqual(4);
  });
});
