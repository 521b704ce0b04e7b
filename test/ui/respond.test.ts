import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
 * The Respond stage in a real browser against the real server, as one story: an administrator builds on-call
 * through the pages (a schedule with themselves in the rotation, an escalation policy paging it, a webhook contact
 * method verified with the code it received, the service's policy), sends a test page, then an alert opens an
 * incident whose page reaches the webhook, and acknowledging it in the incident page shows on the timeline and in
 * the delivery log. The server runs on its real clock and the webhook receiver on 127.0.0.1 (allowed for outgoing
 * requests), so the test waits on conditions, never with sleeps.
 */

const ADMIN = { email: 'ada@example.com', name: 'Ada Admin', password: 'respond tests sign in once' };
const SCHEDULE = 'Payments primary';
const POLICY = 'Payments escalation';
const METHOD = 'My webhook';
/** Paging goes through jobs and an HTTP call; the delivery log polls every 5 s. */
const ASYNC_TIMEOUT_MS = 20_000;
const PHONE = { width: 375, height: 740 };

interface WebhookMessage {
  kind: string;
  event: string;
  subject: string;
  text: string;
  incident?: { id: string; number: number; title: string };
  recipient?: { userId: string; name: string };
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const navLink = (page: Page, label: string) =>
  mainNav(page).getByRole('link', { name: new RegExp(`^${label}\\b`) });
const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });

/** Rejects with `what` if `promise` has not settled within `ms`: a bound on a wait, not a sleep. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('respond in the browser', () => {
  let server: SiagaServer | undefined;
  let browser: Browser | undefined;
  let session: ApiSession;
  let context: BrowserContext | undefined;
  let receiver: WebhookReceiver | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let serviceId = '';
  let integrationKey = '';
  let scheduleId = '';
  let incidentId = '';

  /** The first message the webhook received that matches, waiting for new ones as they arrive. */
  async function webhookMessage(
    match: (m: WebhookMessage) => boolean,
    what: string,
  ): Promise<WebhookMessage> {
    if (!receiver) throw new Error('the webhook receiver did not start');
    const deadline = Date.now() + ASYNC_TIMEOUT_MS;
    for (;;) {
      const found = receiver.requests.map((r) => r.json as WebhookMessage).find((m) => m && match(m));
      if (found) return found;
      await within(receiver.waitForRequests(receiver.requests.length + 1), deadline - Date.now(), what);
    }
  }

  beforeAll(async () => {
    assertWebBuilt();
    receiver = await startWebhookReceiver();
    server = await startServer({ env: { SIAGA_OUTBOUND_ALLOW: '127.0.0.1' } });
    session = await completeSetupViaApi(server, ADMIN);
    const team = (await callApi(server, session, 'POST', '/api/v1/teams', { name: 'Payments' })) as {
      id: string;
    };
    const service = (await callApi(server, session, 'POST', '/api/v1/services', {
      name: 'Checkout',
      teamId: team.id,
    })) as { id: string };
    serviceId = service.id;
    const issued = (await callApi(server, session, 'POST', `/api/v1/services/${serviceId}/integrations`, {
      name: 'Prometheus',
      kind: 'alertmanager',
    })) as { key: string };
    integrationKey = issued.key;

    browser = await launchBrowser();
    context = await newContext(browser, server.baseUrl);
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

  afterEach(() => {
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  it('creates a team schedule with the administrator in its rotation, and shows it on the timeline', async () => {
    await page.goto('/respond');
    await heading(page, 'Respond').waitFor();
    await navLink(page, 'Schedules').click();
    await heading(page, 'Schedules').waitFor();
    await page.getByText('No schedules yet').waitFor();

    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = dialog(page, 'New schedule');
    // The only team is chosen already; the zone is the browser's (UTC in this context).
    expect(await form.getByRole('combobox', { name: 'Team' }).inputValue()).not.toBe('');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(SCHEDULE);
    await form.getByRole('combobox', { name: 'Add a person to the rotation' }).selectOption(session.userId);
    await form
      .getByRole('list', { name: 'People, in hand-off order' })
      .getByText(`1. ${ADMIN.name}`)
      .waitFor();
    // Yesterday, so the first shift has begun: a weekly rotation from 09:00 with one person covers today.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await form.getByLabel('First hand-off day').fill(yesterday);
    await form.getByRole('button', { name: 'Create schedule' }).click();

    await heading(page, SCHEDULE).waitFor();
    scheduleId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    expect(scheduleId).toMatch(/^[a-z]+_\w+$/);
    await page.getByRole('region', { name: 'On call now' }).getByText(ADMIN.name, { exact: true }).waitFor();

    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByTestId('timeline-zone').getByText('Times in UTC').waitFor();
    const final = timeline.getByRole('list', { name: 'Final schedule' });
    await final
      .getByRole('listitem', { name: new RegExp(`^${ADMIN.name}: `) })
      .first()
      .waitFor();
    await timeline.getByRole('list', { name: 'Layer 1' }).getByRole('listitem').first().waitFor();
    await timeline.getByText('No gaps: someone is on call all the time in this range.').waitFor();
    // Four weeks: still one person all along, and the range label moves with it.
    await timeline.getByText('4 weeks', { exact: true }).click();
    await final
      .getByRole('listitem', { name: new RegExp(`^${ADMIN.name}: `) })
      .first()
      .waitFor();
  });

  it('previews a layer change (hours lost, new gaps) and saves nothing when it is abandoned', async () => {
    const layers = page.getByRole('region', { name: 'Layers' });
    await layers.getByRole('button', { name: 'Edit Layer 1' }).click();
    const editor = dialog(page, 'Edit Layer 1');
    await editor.getByRole('button', { name: 'Add a window' }).click();
    await editor.getByRole('button', { name: 'Preview changes' }).click();

    const preview = editor.getByTestId('schedule-preview');
    const hours = preview.getByRole('table', { name: 'Hours on call per person' });
    const row = hours.getByRole('row').filter({ hasText: ADMIN.name });
    await row.waitFor();
    // Weekdays 09:00–17:00 only: most of the week's hours are lost, and the nights become gaps.
    expect(await row.getByRole('cell').last().innerText()).toMatch(/^−\d/);
    await preview.getByText('New gaps: nobody on call').waitFor();

    await editor.getByRole('button', { name: 'Back' }).click();
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await editor.waitFor({ state: 'hidden' });
    const saved = (await callApi(server!, session, 'GET', `/api/v1/schedules/${scheduleId}`)) as {
      version: number;
      layers: { restrictions: unknown[] }[];
    };
    expect(saved.layers[0]?.restrictions).toEqual([]);
  });

  it('creates an escalation policy whose first step pages the schedule', async () => {
    await navLink(page, 'Escalation policies').click();
    await heading(page, 'Escalation policies').waitFor();
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = dialog(page, 'New escalation policy');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill(POLICY);
    const step = form.getByRole('group', { name: 'Step 1' });
    await step.getByRole('combobox', { name: 'Page', exact: true }).selectOption('schedule');
    await step.getByRole('combobox', { name: 'Who', exact: true }).selectOption({ label: SCHEDULE });
    await step.getByRole('textbox', { name: 'Escalate after (minutes)' }).fill('10');
    await form.getByRole('button', { name: 'Create policy' }).click();

    await heading(page, POLICY).waitFor();
    const steps = page.getByRole('list', { name: `Steps of ${POLICY}` });
    await steps.getByText(SCHEDULE, { exact: true }).waitFor();
    await steps.getByText('No acknowledgement within 10 min: paging stops').waitFor();
  });

  it('adds a webhook contact method and verifies it with the code the webhook received', async () => {
    await page.goto('/profile');
    await heading(page, 'Profile').waitFor();
    const section = page.getByRole('region', { name: 'Notifications' });
    await section.getByText('You have no contact method').waitFor();
    // This server has no VAPID keys: the profile says what the operator must do instead of offering push.
    await section.getByTestId('web-push-off').getByText('siaga vapid-keys', { exact: true }).waitFor();
    await section.getByRole('button', { name: 'Add contact method' }).click();

    const add = dialog(page, 'Add a contact method');
    await add.getByRole('combobox', { name: 'Kind' }).selectOption('webhook');
    await add.getByRole('textbox', { name: 'Webhook URL' }).fill(receiver!.url);
    await add.getByRole('textbox', { name: 'Name' }).fill(METHOD);
    await add.getByRole('button', { name: 'Add and send a code' }).click();
    const reveal = dialog(page, 'Your webhook signing secret');
    const secret = (await reveal.getByTestId('signing-secret').innerText()).trim();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await reveal.waitFor({ state: 'hidden' });

    const verification = await webhookMessage((m) => m.kind === 'verification', 'the verification code');
    const code = /\b(\d{6})\b/.exec(`${verification.subject} ${verification.text}`)?.[1];
    expect(code, verification.text).toBeDefined();
    const card = section.getByRole('listitem', { name: METHOD });
    await card.getByText('Not verified', { exact: true }).waitFor();
    await card.getByRole('textbox', { name: `Verification code for ${METHOD}` }).fill(code ?? '');
    await card.getByRole('button', { name: 'Verify', exact: true }).click();
    await card.getByText('Verified', { exact: true }).waitFor();
    expect(await page.getByText(secret).count(), 'the signing secret is shown once').toBe(0);

    // Verifying adds the default rule: page through it at once.
    const high = section.getByRole('group', { name: 'High urgency' });
    await high.getByText(`Webhook “${METHOD}” at once`).waitFor();
  });

  it('picks the policy on the service page', async () => {
    await page.goto(`/prepare/services/${serviceId}`);
    await heading(page, 'Checkout').waitFor();
    const escalation = page.getByRole('region', { name: 'Escalation' });
    await escalation.getByText('Without a policy, incidents of this service page nobody.').waitFor();
    await escalation.getByRole('combobox', { name: 'Escalation policy' }).selectOption({ label: POLICY });
    await escalation.getByText('Saved.', { exact: true }).waitFor();
    await escalation.getByRole('link', { name: `Open “${POLICY}”` }).waitFor();
  });

  it('sends a test page through the policy and shows each step and message', async () => {
    await page.getByRole('link', { name: `Open “${POLICY}”` }).click();
    await heading(page, POLICY).waitFor();
    await page.getByRole('region', { name: 'Used by' }).getByRole('link', { name: 'Checkout' }).waitFor();
    const drill = page.getByRole('region', { name: 'Paging drill' });
    await drill.getByRole('button', { name: 'Send a test page' }).click();
    const result = drill.getByTestId('drill-result');
    await result.getByRole('list', { name: 'Drill steps' }).getByText(`Step 1: ${ADMIN.name}`).waitFor();
    await result.getByText('Passed: every message was delivered').waitFor({ timeout: ASYNC_TIMEOUT_MS });
    const message = await webhookMessage((m) => m.kind === 'test', 'the test page');
    expect(message.recipient?.name).toBe(ADMIN.name);
  });

  it('pages the on-call administrator when an alert opens an incident', async () => {
    const response = await fetch(`${server!.baseUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integrationKey}`, 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          labels: { alertname: 'CheckoutDown', severity: 'critical' },
          annotations: { summary: 'Checkout returns 502' },
        },
      ]),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    const paged = await webhookMessage((m) => m.kind === 'page' && m.event === 'triggered', 'the page');
    expect(paged.recipient?.userId).toBe(session.userId);
    expect(paged.incident?.title).toBe('CheckoutDown: Checkout returns 502');
    incidentId = paged.incident?.id ?? '';
  });

  it('acknowledges the incident; the timeline and the delivery log show it', async () => {
    await navLink(page, 'Detect').click();
    await heading(page, 'Detect').waitFor();
    await navLink(page, 'Incidents').click();
    await heading(page, 'Incidents').waitFor();
    await page.getByRole('link', { name: 'CheckoutDown: Checkout returns 502' }).click();
    await heading(page, '#1 CheckoutDown: Checkout returns 502').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/detect/incidents/${incidentId}`);

    const escalation = page.getByRole('region', { name: 'Escalation' });
    await escalation.getByText(`Escalation (${POLICY}):`).waitFor();
    await escalation
      .getByTestId('escalation-state')
      .getByText('Paging: step 1 of 1', { exact: true })
      .waitFor();
    // The policy's only step waits 10 minutes for an acknowledgement, on the server's real clock.
    expect(await escalation.getByTestId('escalation-next').innerText()).toMatch(
      /^Paging runs out at .+ \(in (9|10) min\)$/,
    );
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Escalation step paged', { exact: true }).waitFor();
    await timeline.getByText(`Step 1 · paged ${ADMIN.name}`).waitFor();

    const log = page.getByRole('table', { name: 'Delivery log' });
    const pageRow = log.getByRole('row').filter({ hasText: 'Page (triggered), step 1' });
    await pageRow.getByText('Sent', { exact: true }).waitFor({ timeout: ASYNC_TIMEOUT_MS });
    await pageRow.getByText(`${ADMIN.name} (${METHOD})`, { exact: true }).waitFor();
    await pageRow.getByRole('button', { name: `Show attempts to ${ADMIN.name}` }).click();
    const attempts = page.getByRole('table', { name: /^Attempts of dlv_/ });
    await attempts.getByRole('cell', { name: '200', exact: true }).waitFor();
    await attempts.getByText('Sent', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await page.getByRole('button', { name: 'Withdraw ack' }).waitFor();
    await timeline.getByText('Incident acknowledged', { exact: true }).waitFor();
    await timeline.getByText('Escalation stopped', { exact: true }).waitFor();
    await timeline.getByText('The incident was acknowledged', { exact: true }).waitFor();
    await escalation
      .getByTestId('escalation-state')
      .getByText('Stopped: the incident was acknowledged', { exact: true })
      .waitFor();
    expect(await escalation.getByTestId('escalation-next').count()).toBe(0);

    const update = await webhookMessage(
      (m) => m.kind === 'status' && m.event === 'acknowledged',
      'the update',
    );
    expect(update.incident?.id).toBe(incidentId);
    await log
      .getByRole('row')
      .filter({ hasText: 'Status update (acknowledged)' })
      .getByText('Sent', { exact: true })
      .waitFor({ timeout: ASYNC_TIMEOUT_MS });
    await timeline
      .getByText(`acknowledged status · Webhook to ${ADMIN.name}`, { exact: true })
      .waitFor({ timeout: ASYNC_TIMEOUT_MS });
  });

  it('shows the administrator’s own on-call and everyone’s', async () => {
    await page.goto('/respond/on-call');
    await heading(page, 'On call').waitFor();
    const mine = page.getByRole('region', { name: 'My on-call' });
    await mine.getByText('You are on call now').waitFor();
    await mine.getByRole('link', { name: SCHEDULE }).first().waitFor();
    await page.getByRole('table', { name: 'My shifts' }).getByRole('row').nth(1).waitFor();
    const everyone = page.getByRole('table', { name: 'On call now' });
    await everyone.getByRole('row').filter({ hasText: SCHEDULE }).getByText(ADMIN.name).waitFor();
  });

  it('adds a webhook channel whose secret is never shown again', async () => {
    await navLink(page, 'Channels').click();
    await heading(page, 'Channels').waitFor();
    await page.getByRole('button', { name: 'New channel' }).click();
    const form = dialog(page, 'New channel');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Payments hook');
    await form.getByRole('combobox', { name: 'Kind' }).selectOption('webhook');
    await form.getByRole('textbox', { name: 'URL', exact: true }).fill(`${receiver!.origin}/channel`);
    const secret = 'a-channel-signing-secret-0123456789';
    await form.getByLabel('Signing secret').fill(secret);
    await form.getByRole('button', { name: 'Add channel' }).click();
    await form.waitFor({ state: 'hidden' });
    const row = page
      .getByRole('table', { name: 'Channels' })
      .getByRole('row')
      .filter({ hasText: 'Payments hook' });
    await row.getByText('Signing secret set', { exact: true }).waitFor();
    await row.getByText(`${receiver!.origin}/channel`).waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
  });

  it('renames the channel and replaces its signing secret, which stays hidden', async () => {
    await page.getByRole('button', { name: 'Edit Payments hook' }).click();
    const form = dialog(page, 'Edit Payments hook');
    // The kind is shown but fixed, the shown settings are filled in, and the secret field starts empty.
    expect(await form.getByRole('combobox', { name: 'Kind' }).isDisabled()).toBe(true);
    expect(await form.getByRole('textbox', { name: 'URL', exact: true }).inputValue()).toBe(
      `${receiver!.origin}/channel`,
    );
    expect(await form.getByLabel('Signing secret', { exact: true }).inputValue()).toBe('');
    await form.getByText('leave empty to keep the current value').first().waitFor();
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Payments hook v2');
    const secret = 'a-replaced-signing-secret-9876543210';
    await form.getByLabel('Signing secret', { exact: true }).fill(secret);
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'hidden' });
    const row = page
      .getByRole('table', { name: 'Channels' })
      .getByRole('row')
      .filter({ hasText: 'Payments hook v2' });
    await row.getByText('Signing secret set', { exact: true }).waitFor();
    await row.getByText(`${receiver!.origin}/channel`).waitFor();
    expect(await page.getByText(secret).count()).toBe(0);
  });

  it('removes the channel’s signing secret on request, keeping the rest', async () => {
    await page.getByRole('button', { name: 'Edit Payments hook v2' }).click();
    const form = dialog(page, 'Edit Payments hook v2');
    await form.getByRole('checkbox', { name: 'Remove the signing secret' }).check();
    expect(await form.getByLabel('Signing secret', { exact: true }).isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.waitFor({ state: 'hidden' });
    const row = page
      .getByRole('table', { name: 'Channels' })
      .getByRole('row')
      .filter({ hasText: 'Payments hook v2' });
    await row.getByText(`${receiver!.origin}/channel`).waitFor();
    await row.getByText('None', { exact: true }).waitFor();
    expect(await row.getByText('Signing secret set', { exact: true }).count()).toBe(0);
  });

  it('moves a contact method to a new address, which must be verified again', async () => {
    await page.goto('/profile');
    const section = page.getByRole('region', { name: 'Notifications' });
    const card = section.getByRole('listitem', { name: METHOD });
    await card.getByText('Verified', { exact: true }).waitFor();
    await card.getByRole('button', { name: `Edit ${METHOD}` }).click();
    const form = dialog(page, `Edit ${METHOD}`);
    const moved = `${receiver!.origin}/moved`;
    await form.getByRole('textbox', { name: 'Webhook URL' }).fill(moved);
    await form.getByText('this method stops paging you until you enter it').waitFor();
    const before = receiver!.requests.length;
    await form.getByRole('button', { name: 'Save and send a code' }).click();
    await form.waitFor({ state: 'hidden' });
    await card.getByText('Not verified', { exact: true }).waitFor();
    await card.getByText(`Sent to ${moved}`).waitFor();
    // The new code went to the new address.
    const deadline = Date.now() + ASYNC_TIMEOUT_MS;
    const newCode = () =>
      receiver!.requests.slice(before).find((r) => (r.json as WebhookMessage)?.kind === 'verification');
    while (!newCode())
      await within(
        receiver!.waitForRequests(receiver!.requests.length + 1),
        deadline - Date.now(),
        'the new code',
      );
    const sent = newCode();
    expect(sent?.path).toBe('/moved');
  });

  it('fits a phone screen in the dark theme', async () => {
    const phone = await newContext(browser!, server!.baseUrl, {
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    try {
      const start = new Date(Date.now() + 86_400_000).toISOString();
      const end = new Date(Date.now() + 2 * 86_400_000).toISOString();
      await callApi(server!, session, 'POST', `/api/v1/schedules/${scheduleId}/overrides`, {
        userId: session.userId,
        start,
        end,
        note: 'Covering the release',
      });
      await addSessionCookie(phone, server!.baseUrl, session);
      const small = await phone.newPage();
      const errors = trackPageErrors(small);
      for (const [path, title] of [
        [`/respond/schedules/${scheduleId}`, SCHEDULE],
        ['/respond/on-call', 'On call'],
        ['/profile', 'Profile'],
        [`/detect/incidents/${incidentId}`, '#1 CheckoutDown: Checkout returns 502'],
      ] as const) {
        await small.goto(path);
        await heading(small, title).waitFor();
        // Overrides are cards on a phone, not a table to scroll sideways.
        if (path.startsWith('/respond/schedules/'))
          await small
            .getByRole('list', { name: 'Overrides' })
            .getByRole('listitem')
            .filter({ hasText: 'Covering the release' })
            .waitFor();
        expect(
          await small.evaluate(() => document.documentElement.scrollWidth),
          `no sideways scrolling on ${path}`,
        ).toBeLessThanOrEqual(PHONE.width);
      }
      expect(await small.evaluate(() => document.documentElement.dataset['mantineColorScheme'])).toBe('dark');
      expect(errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
