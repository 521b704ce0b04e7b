import { createECDH, randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateVapidKeys } from '../../src/response/channels/vapid.ts';
import type { PushPayload } from '../../src/response/channels/web-push.ts';
import { openSqlite } from '../../src/storage/dialects/node-sqlite.ts';
import { startFakePushService } from '../harness/providers/push-service.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../harness/providers/webhook-receiver.ts';
import {
  addSessionCookie,
  assertWebBuilt,
  callApi,
  completeSetupViaApi,
  launchBrowser,
  newContext,
  startServer,
  trackPageErrors,
  type ApiSession,
  type SiagaServer,
} from './support.ts';

/**
 * Siaga's service worker (web/public/sw.js) in Chromium against the real server: a pushed page shows as a
 * notification with Acknowledge and Resolve, and Acknowledge acknowledges the incident "via push". The push
 * message is delivered with Chromium's DevTools protocol, as the browser's push service would deliver it (no push
 * service is reachable from a test); the server side of the path (encryption, VAPID) is test/e2e/response-web-push.
 */

const ADMIN = { email: 'pia@example.com', name: 'Pia Push', password: 'push tests sign in once' };
const ASYNC_TIMEOUT_MS = 20_000;

interface WebhookMessage {
  kind: string;
  event: string;
  subject: string;
  text: string;
  incident?: { id: string; number: number; title: string; url: string };
  actions?: { acknowledge?: { url: string }; resolve?: { url: string } };
}

interface ShownNotification {
  title: string;
  body: string;
  tag: string;
  requireInteraction: boolean;
  actions: { action: string; title: string }[];
  data: Record<string, unknown>;
}

/** The parts of a service worker's global scope the test uses (the DOM typings have no worker scope). */
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  dispatchEvent(event: Event): boolean;
  NotificationEvent: new (type: string, init: { notification: Notification; action: string }) => Event;
  /** sw.js's `pushsubscriptionchange` work, with the event's fields and the push manager to subscribe with. */
  renewPushSubscription(event: object, pushManager?: object): Promise<'renewed' | 'unknown' | 'failed'>;
}

interface Subscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A subscription as a push service would make it: an https endpoint, a P-256 public key and an auth secret. */
function subscription(name: string): Subscription {
  const ecdh = createECDH('prime256v1');
  return {
    endpoint: `https://push.siaga.invalid/send/${name}-${randomBytes(6).toString('hex')}`,
    keys: { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
  };
}

/** What the service worker has on screen, read inside the worker. */
async function shown(worker: Worker): Promise<ShownNotification[]> {
  return worker.evaluate(async () => {
    const sw = self as unknown as WorkerScope;
    const list = await sw.registration.getNotifications();
    return list.map((n: Notification) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      requireInteraction: n.requireInteraction,
      actions: [...((n as unknown as { actions?: { action: string; title: string }[] }).actions ?? [])].map(
        (a) => ({ action: a.action, title: a.title }),
      ),
      data: n.data as Record<string, unknown>,
    }));
  });
}

/** Waits for `check` to return a value: the server and the worker run on their real clocks. */
function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  return vi.waitFor(
    async () => {
      const value = await check();
      if (value === undefined) throw new Error(`still waiting for ${what}`);
      return value;
    },
    { timeout: ASYNC_TIMEOUT_MS, interval: 50 },
  );
}

describe('web push in the browser', () => {
  let server: SiagaServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let receiver: WebhookReceiver | undefined;
  let session: ApiSession;
  let page: Page;
  let pageErrors: string[] = [];
  let paged: WebhookMessage;
  const vapid = generateVapidKeys();

  beforeAll(async () => {
    assertWebBuilt();
    receiver = await startWebhookReceiver();
    server = await startServer({
      env: {
        SIAGA_OUTBOUND_ALLOW: '127.0.0.1',
        SIAGA_VAPID_PUBLIC_KEY: vapid.publicKey,
        SIAGA_VAPID_PRIVATE_KEY: vapid.privateKey,
        SIAGA_VAPID_SUBJECT: 'mailto:ops@example.com',
      },
    });
    session = await completeSetupViaApi(server, ADMIN);
    const api = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
      callApi(server!, session, method, path, body) as Promise<Record<string, unknown>>;
    const messages = () => receiver!.requests.map((r) => r.json as WebhookMessage);

    // A person paged through a verified webhook: its page carries the signed action links a push page carries.
    const team = await api('POST', '/api/v1/teams', { name: 'Payments' });
    const service = await api('POST', '/api/v1/services', { name: 'Checkout', teamId: team['id'] });
    const integration = await api('POST', `/api/v1/services/${String(service['id'])}/integrations`, {
      name: 'Prometheus',
      kind: 'alertmanager',
    });
    const method = await api('POST', '/api/v1/me/contact-methods', {
      kind: 'webhook',
      address: receiver.url,
    });
    const verification = await eventually('the verification code', async () =>
      messages().find((m) => m?.kind === 'verification'),
    );
    await api('POST', `/api/v1/me/contact-methods/${String(method['id'])}/verify`, {
      code: /\b(\d{6})\b/.exec(`${verification.subject} ${verification.text}`)?.[1],
    });
    const policy = await api('POST', '/api/v1/escalation-policies', {
      name: 'Payments escalation',
      teamId: team['id'],
      steps: [
        { escalateAfterMinutes: 10, targets: [{ type: 'user', id: session.userId }], roundRobin: false },
      ],
      repeat: 0,
    });
    await api('PATCH', `/api/v1/services/${String(service['id'])}`, { escalationPolicyId: policy['id'] });
    const fired = await fetch(`${server.baseUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(integration['key'])}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'CheckoutDown', severity: 'critical' } }]),
    });
    expect(fired.status, await fired.clone().text()).toBe(200);
    paged = await eventually('the page', async () =>
      messages().find((m) => m?.kind === 'page' && m.event === 'triggered'),
    );

    browser = await launchBrowser();
    context = await newContext(browser, server.baseUrl, { permissions: ['notifications'] });
    await addSessionCookie(context, server.baseUrl, session);
    page = await context.newPage();
    pageErrors = trackPageErrors(page);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
    await receiver?.close();
  }, 30_000);

  it('serves the service worker from the site root, so it covers every page', async () => {
    const res = await fetch(`${server!.baseUrl}/sw.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    // A new worker must reach browsers on the next visit, not after a long cache.
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('shows a pushed page with Acknowledge and Resolve, and Acknowledge acknowledges via push', async () => {
    await page.goto('/');
    const registered = context!.waitForEvent('serviceworker');
    await page.evaluate(async () => {
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      await navigator.serviceWorker.ready;
    });
    const worker = context!.serviceWorkers()[0] ?? (await registered);

    const cdp: CDPSession = await context!.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
        const mine = e.registrations.find((r) => r.scopeURL === `${server!.baseUrl}/` && !r.isDeleted);
        if (mine) resolve(mine.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const incident = paged.incident!;
    const payload: PushPayload = {
      title: paged.subject,
      body: paged.text,
      url: incident.url,
      tag: incident.id,
      actions: [
        { action: 'ack', title: 'Acknowledge' },
        { action: 'resolve', title: 'Resolve' },
      ],
      ackUrl: paged.actions!.acknowledge!.url,
      resolveUrl: paged.actions!.resolve!.url,
    };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: server!.baseUrl,
      registrationId: await registrationId,
      data: JSON.stringify(payload),
    });

    const [notification] = await eventually('the notification', async () => {
      const list = await shown(worker);
      return list.length > 0 ? list : undefined;
    });
    expect(notification).toMatchObject({
      title: paged.subject,
      tag: incident.id,
      requireInteraction: true,
      actions: [
        { action: 'ack', title: 'Acknowledge' },
        { action: 'resolve', title: 'Resolve' },
      ],
      data: { url: incident.url, ackUrl: payload.ackUrl, resolveUrl: payload.resolveUrl },
    });

    // The Acknowledge button. DevTools cannot click a notification, so the worker gets the event it would get.
    await worker.evaluate(async (tag) => {
      const sw = self as unknown as WorkerScope;
      const [n] = await sw.registration.getNotifications({ tag });
      // An untrusted event cannot extend its lifetime (waitUntil throws); the handler has started by then.
      try {
        sw.dispatchEvent(new sw.NotificationEvent('notificationclick', { notification: n!, action: 'ack' }));
      } catch {
        // see above
      }
    }, incident.id);

    const confirmed = await eventually('the confirmation', async () =>
      (await shown(worker)).find((n) => n.title.startsWith('Incident #')),
    );
    expect(confirmed).toMatchObject({
      title: `Incident #${incident.number} is acknowledged`,
      tag: incident.id,
      requireInteraction: false,
    });
    const detail = (await callApi(server!, session, 'GET', `/api/v1/incidents/${incident.id}`)) as {
      incident: { status: string };
      timeline: { type: string; data: Record<string, unknown> }[];
    };
    expect(detail.incident.status).toBe('acknowledged');
    expect(detail.timeline.find((e) => e.type === 'incident.acknowledged')?.data).toMatchObject({
      via: 'push',
    });
    expect(pageErrors).toEqual([]);
  });

  it('offers push on this browser in the profile when the operator has set VAPID keys', async () => {
    await page.goto('/profile');
    const section = page.getByRole('region', { name: 'Notifications' });
    await section.getByRole('heading', { name: 'Push on this browser' }).waitFor();
    const enable = section.getByRole('button', { name: 'Enable push on this browser' });
    await enable.waitFor();
    // Notifications are allowed here, so the page installs the worker and asks for a subscription; headless
    // Chromium has no push service and refuses it. The page says so and adds no contact method.
    await enable.click();
    await section.getByText(/This browser could not subscribe to push/).waitFor();
    expect(await section.getByText('Web push ·').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('points the push contact method at the new subscription when the browser replaces it (pushsubscriptionchange)', async () => {
    await page.goto('/');
    let worker = context!.serviceWorkers()[0];
    if (!worker) {
      const registered = context!.waitForEvent('serviceworker');
      await page.evaluate(async () => {
        await navigator.serviceWorker.register('/sw.js', { scope: '/' });
        await navigator.serviceWorker.ready;
      });
      worker = context!.serviceWorkers()[0] ?? (await registered);
    }
    const sw = worker;
    const first = subscription('first');
    const method = (await callApi(server!, session, 'POST', '/api/v1/me/contact-methods', {
      kind: 'push',
      name: 'Chromium',
      address: first.endpoint,
      keys: first.keys,
    })) as { id: string };
    const current = async () =>
      (
        (await callApi(server!, session, 'GET', '/api/v1/me/contact-methods')) as Record<string, unknown>[]
      ).find((m) => m['id'] === method.id);

    // Chromium and Firefox 137+: the event carries the old subscription and the one the browser already made. No
    // push service can fire the event here, so the test calls the handler's work in the real worker, which talks
    // to the real server with the browser's own session cookie.
    const second = subscription('second');
    const renewed = await sw.evaluate(
      async ({ old, next }) => {
        const scope = self as unknown as WorkerScope;
        return scope.renewPushSubscription({
          oldSubscription: { endpoint: old, options: { applicationServerKey: null } },
          newSubscription: { endpoint: next.endpoint, toJSON: () => next },
        });
      },
      { old: first.endpoint, next: second },
    );
    expect(renewed).toBe('renewed');
    // Still unverified: a renewal changes where it reaches and nothing else (a verified one stays verified:
    // test/e2e/response-web-push).
    expect(await current()).toMatchObject({ address: second.endpoint, name: 'Chromium', verified: false });
    const audit = (await callApi(server!, session, 'GET', `/api/v1/audit?objectId=${method.id}`)) as {
      action: string;
      actor: { kind: string; id: string };
    }[];
    expect(audit[0]).toMatchObject({
      action: 'contact_method.subscription_renewed',
      actor: { kind: 'user', id: session.userId },
    });

    // Firefox before 137: an empty event. The worker subscribes again with the server's VAPID key and names the
    // method by the endpoint it remembered from the last renewal.
    const third = subscription('third');
    const bare = await sw.evaluate(async (next) => {
      const scope = self as unknown as WorkerScope;
      let asked: { userVisibleOnly?: boolean; applicationServerKey?: ArrayBuffer | Uint8Array } = {};
      const pushManager = {
        subscribe: async (options: typeof asked) => {
          asked = options;
          return { endpoint: next.endpoint, toJSON: () => next };
        },
      };
      const outcome = await scope.renewPushSubscription({}, pushManager);
      const bytes = new Uint8Array(asked.applicationServerKey as ArrayBuffer);
      const key = btoa(String.fromCharCode(...bytes))
        .replace(/\+/g, '-')
        .replace(/\//g, '_')
        .replace(/=+$/, '');
      return { outcome, userVisibleOnly: asked.userVisibleOnly, key };
    }, third);
    expect(bare).toEqual({ outcome: 'renewed', userVisibleOnly: true, key: vapid.publicKey });
    expect(await current()).toMatchObject({ address: third.endpoint, verified: false });

    // Signed out: the server refuses, the method stays as it was, and the person is told on screen. The worker
    // subscribes with the old subscription's key when the browser made no new subscription itself.
    await context!.clearCookies();
    try {
      const fourth = subscription('fourth');
      const refused = await sw.evaluate(
        async ({ old, next, publicKey }) => {
          const scope = self as unknown as WorkerScope;
          const base64 = publicKey.replace(/-/g, '+').replace(/_/g, '/');
          const key = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) =>
            c.charCodeAt(0),
          ).buffer;
          let asked: ArrayBuffer | undefined;
          const pushManager = {
            subscribe: async (options: { applicationServerKey: ArrayBuffer }) => {
              asked = options.applicationServerKey;
              return { endpoint: next.endpoint, toJSON: () => next };
            },
          };
          const outcome = await scope.renewPushSubscription(
            { oldSubscription: { endpoint: old, options: { applicationServerKey: key } } },
            pushManager,
          );
          return { outcome, sameKey: asked === key };
        },
        { old: third.endpoint, next: fourth, publicKey: vapid.publicKey },
      );
      expect(refused).toEqual({ outcome: 'failed', sameKey: true });
      const told = await eventually('the notification', async () =>
        (await shown(sw)).find((n) => n.tag === 'siaga-push-renewal'),
      );
      expect(told).toMatchObject({
        title: 'Siaga cannot page this browser any more',
        body: expect.stringContaining('signed out'),
        data: { url: `${server!.baseUrl}/profile` },
      });
    } finally {
      await addSessionCookie(context!, server!.baseUrl, session);
    }
    expect(await current()).toMatchObject({ address: third.endpoint });
    expect(pageErrors).toEqual([]);
  });

  it('shows a push method whose push service answered 410 as expired, and re-enabling it from this browser reuses it', async () => {
    const fake = await startFakePushService();
    try {
      // A browser's subscription, added and verified by the real path. The API takes https endpoints only, as push
      // services are; the fake one listens on plain http, so the stored address is pointed at it in the database
      // (the server's SQLite file is shared; only one server may own it).
      const browserSub = fake.subscribe();
      const method = (await callApi(server!, session, 'POST', '/api/v1/me/contact-methods', {
        kind: 'push',
        name: 'Old laptop',
        address: browserSub.endpoint.replace(/^http:/, 'https:'),
        keys: browserSub.keys,
      })) as { id: string };
      const db = openSqlite(path.join(server!.dataDir, 'siaga.db'));
      try {
        db.prepare('UPDATE contact_methods SET address = ? WHERE id = ?').run(browserSub.endpoint, method.id);
      } finally {
        db.close();
      }
      const subscriptionId = browserSub.endpoint.split('/').at(-1);
      // The first try may have gone to the https address and failed: the retry comes within seconds.
      const codePush = await eventually('the verification code push', async () =>
        fake.requests.find((r) => r.id === subscriptionId),
      );
      const code = /(\d{6})/.exec((JSON.parse(fake.decrypt(codePush)) as PushPayload).title)?.[1];
      await callApi(server!, session, 'POST', `/api/v1/me/contact-methods/${method.id}/verify`, { code });

      // The push service drops the subscription; the next message to it (a test page) gets 410 Gone.
      fake.expire(browserSub.endpoint);
      await callApi(server!, session, 'POST', '/api/v1/drills', { userId: session.userId });
      const methods = async () =>
        (await callApi(server!, session, 'GET', '/api/v1/me/contact-methods')) as Record<string, unknown>[];
      await eventually('the method to expire', async () =>
        (await methods()).find((m) => m['id'] === method.id && m['expired'] === true),
      );
      const countBefore = (await methods()).length;

      await page.goto('/profile');
      const section = page.getByRole('region', { name: 'Notifications' });
      const card = section.getByRole('listitem', { name: 'Old laptop' });
      await card.getByText('Expired', { exact: true }).waitFor();
      const notice = card.getByTestId('push-expired');
      await notice.getByText('This browser stopped accepting notifications').waitFor();
      expect(await notice.textContent()).toContain('the push service answered HTTP 410');
      await section
        .locator('[data-warning="method_expired"]')
        .getByText(/Old laptop stopped accepting/)
        .waitFor();

      // Re-enable from this browser. Headless Chromium has no push service, so the page's PushManager plays it: it
      // still holds the dead subscription (which the page must drop) and makes a new one when asked.
      const next = subscription('reenabled');
      await page.evaluate(
        ({ old, fresh }) => {
          const state = { unsubscribed: 0, subscribed: 0 };
          (window as unknown as { pushStub: typeof state }).pushStub = state;
          PushManager.prototype.getSubscription = async () =>
            (state.unsubscribed > 0
              ? null
              : {
                  endpoint: old,
                  options: { applicationServerKey: null },
                  unsubscribe: async () => {
                    state.unsubscribed++;
                    return true;
                  },
                }) as unknown as PushSubscription;
          PushManager.prototype.subscribe = async () => {
            state.subscribed++;
            return { endpoint: fresh.endpoint, toJSON: () => fresh } as unknown as PushSubscription;
          };
        },
        { old: browserSub.endpoint, fresh: next },
      );
      await notice.getByRole('button', { name: 'Re-enable push from this browser' }).click();
      await card.getByText('Verified', { exact: true }).waitFor();
      expect(await card.getByTestId('push-expired').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { pushStub: unknown }).pushStub)).toEqual({
        unsubscribed: 1,
        subscribed: 1,
      });

      // The same method, no duplicate: it reaches the new subscription, verified, and pages again.
      const after = await methods();
      expect(after).toHaveLength(countBefore);
      expect(after.find((m) => m['id'] === method.id)).toMatchObject({
        address: next.endpoint,
        verified: true,
        expired: false,
      });
      const audit = (await callApi(server!, session, 'GET', `/api/v1/audit?objectId=${method.id}`)) as {
        action: string;
        actor: { kind: string };
      }[];
      expect(audit.slice(0, 2)).toMatchObject([
        { action: 'contact_method.restored', actor: { kind: 'user' } },
        { action: 'contact_method.expired', actor: { kind: 'system' } },
      ]);
      expect(pageErrors).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
