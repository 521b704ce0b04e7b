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
