import type { Browser, BrowserContext, CDPSession, Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateVapidKeys } from '../../src/response/channels/vapid.ts';
import type { PushPayload } from '../../src/response/channels/web-push.ts';
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

  beforeAll(async () => {
    assertWebBuilt();
    receiver = await startWebhookReceiver();
    const vapid = generateVapidKeys();
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
});
