import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
 * The Detect pages and the Prepare stage's services in a real browser against the real server: alerts arrive
 * through an Alertmanager integration's key and show up live, the alert's detail and raw payload, a silence made
 * from the alert, acknowledging the incident they opened, and a new integration whose key is shown once. The
 * steps share one server, one browser page and run in order, like the story they tell. Time is real: the server
 * runs on the system clock, so the test waits with Playwright's auto-waiting, never with sleeps.
 */

const ADMIN = { email: 'ada@example.com', name: 'Ada Admin', password: 'detect tests sign in once' };
/** The live lists poll every 3 s; a new alert must show within a few polls. */
const LIVE_TIMEOUT_MS = 15_000;

interface Created {
  id: string;
}

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const navLink = (page: Page, label: string) =>
  mainNav(page).getByRole('link', { name: new RegExp(`^${label}\\b`) });
const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });

function alertmanagerAlert(instance: string) {
  return {
    labels: { alertname: 'DiskFull', instance, severity: 'critical' },
    annotations: { summary: `Disk almost full on ${instance}` },
  };
}

describe('detect in the browser', () => {
  let server: SiagaServer | undefined;
  let browser: Browser | undefined;
  let session: ApiSession | undefined;
  let context: BrowserContext | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  let serviceId = '';
  let integrationKey = '';

  /** Posts alerts as Prometheus would, with the integration's key as the bearer token. */
  async function postAlerts(alerts: unknown[]): Promise<void> {
    if (!server) throw new Error('the server did not start');
    const response = await fetch(`${server.baseUrl}/api/v2/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${integrationKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  }

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer();
    session = await completeSetupViaApi(server, ADMIN);
    const team = (await callApi(server, session, 'POST', '/api/v1/teams', { name: 'Storage' })) as Created;
    const service = (await callApi(server, session, 'POST', '/api/v1/services', {
      name: 'Database',
      teamId: team.id,
    })) as Created;
    serviceId = service.id;
    const issued = (await callApi(server, session, 'POST', `/api/v1/services/${serviceId}/integrations`, {
      name: 'Prometheus',
      kind: 'alertmanager',
    })) as { key: string };
    integrationKey = issued.key;
    await postAlerts([alertmanagerAlert('db-1')]);

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
  }, 30_000);

  afterEach(() => {
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  it('lists the alert, and one that arrives while the page is open, without a reload', async () => {
    await page.goto('/detect');
    await heading(page, 'Detect').waitFor();
    await navLink(page, 'Alerts').click();
    await page.waitForURL('**/detect/alerts');
    await heading(page, 'Alerts').waitFor();
    expect(await navLink(page, 'Alerts').getAttribute('aria-current')).toBe('page');

    const alerts = page.getByRole('table', { name: 'Alerts' });
    const first = alerts.getByRole('row').filter({ hasText: 'Disk almost full on db-1' });
    await first.waitFor();
    await first.getByText('Critical', { exact: true }).waitFor();
    await first.getByText('Triggered', { exact: true }).waitFor();
    await first.getByText('Database', { exact: true }).waitFor();
    await first.getByRole('link', { name: '#1' }).waitFor();

    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await postAlerts([alertmanagerAlert('db-2')]);
    await alerts
      .getByRole('row')
      .filter({ hasText: 'Disk almost full on db-2' })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    expect(await page.evaluate(() => 'notReloaded' in window), 'the list updated in place').toBe(true);
  });

  it('filters by a label matcher, kept in the address', async () => {
    await page.getByRole('textbox', { name: 'Labels', exact: true }).fill('instance="db-2"');
    await page.waitForURL((url) => url.searchParams.get('filter') === 'instance="db-2"');
    const alerts = page.getByRole('table', { name: 'Alerts' });
    await expect
      .poll(() => alerts.getByRole('row').filter({ hasText: 'Disk almost full on db-1' }).count())
      .toBe(0);
    await alerts.getByRole('row').filter({ hasText: 'Disk almost full on db-2' }).waitFor();

    await page.getByRole('textbox', { name: 'Labels', exact: true }).fill('');
    await page.waitForURL((url) => !url.searchParams.has('filter'));
    await alerts.getByRole('row').filter({ hasText: 'Disk almost full on db-1' }).waitFor();
  });

  it('opens the alert with its labels and the raw payload it arrived with', async () => {
    await page.getByRole('link', { name: 'Disk almost full on db-1' }).click();
    await heading(page, 'Disk almost full on db-1').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/detect\/alerts\/alr_/);
    await page.getByText('instance="db-1"', { exact: true }).waitFor();
    const raw = page.getByTestId('alert-raw');
    await raw.waitFor();
    const payload = JSON.parse(await raw.innerText()) as unknown;
    expect(payload).toMatchObject(alertmanagerAlert('db-1'));
    await page.getByRole('button', { name: 'Copy payload json' }).waitFor();
  });

  it('silences the alert from its labels and lists the silence as active', async () => {
    await page.getByRole('button', { name: 'Silence this alert' }).click();
    const form = dialog(page, 'Silence this alert');
    await form.waitFor();
    // Every label is ticked; untick the one that varies, so the silence covers db-1 and db-2.
    const instance = form.getByRole('checkbox', { name: 'instance="db-1"' });
    expect(await instance.isChecked()).toBe(true);
    await instance.uncheck();
    await form.getByText('4 hours', { exact: true }).click();
    await form.getByText(/^From now until about /).waitFor();
    await form.getByRole('textbox', { name: 'Comment' }).fill('Growing the volume, OPS-42');
    expect(await form.getByRole('textbox', { name: 'Created by' }).inputValue()).toBe(ADMIN.email);
    await form.getByRole('button', { name: 'Create silence' }).click();
    await form.waitFor({ state: 'hidden' });
    await page.getByText(/^Silence sil_\w+ created\.$/).waitFor();

    await page.getByRole('link', { name: 'See the silences' }).click();
    await heading(page, 'Silences').waitFor();
    const row = page.getByRole('table', { name: 'Silences' }).getByRole('row').filter({ hasText: 'OPS-42' });
    await row.waitFor();
    await row.getByText('Active', { exact: true }).waitFor();
    await row.getByText('alertname="DiskFull"', { exact: true }).waitFor();
    await row.getByText('severity="critical"', { exact: true }).waitFor();
    expect(await row.getByText('instance="db-1"').count()).toBe(0);
    await row.getByText(`by ${ADMIN.email}`).waitFor();
  });

  it('lists the incident the alerts opened, and acknowledging it changes its status', async () => {
    await navLink(page, 'Incidents').click();
    await heading(page, 'Incidents').waitFor();
    const row = page
      .getByRole('table', { name: 'Incidents' })
      .getByRole('row')
      .filter({ hasText: 'DiskFull: Disk almost full on db-1' });
    await row.waitFor();
    await row.getByText('Triggered', { exact: true }).waitFor();
    // Both alerts share the incident: the service groups by alertname.
    await row.getByText('2 / 2', { exact: true }).waitFor();

    await row.getByRole('link', { name: 'DiskFull: Disk almost full on db-1' }).click();
    await heading(page, '#1 DiskFull: Disk almost full on db-1').waitFor();
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await timeline.getByText('Incident opened').waitFor();
    expect(await timeline.getByText('Alert joined').count()).toBe(2);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByRole('main').getByText('Acknowledged', { exact: true }).first().waitFor();
    await timeline.getByText('Incident acknowledged').waitFor();
    await timeline.getByText(ADMIN.name, { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    await page.getByRole('link', { name: 'All incidents' }).click();
    await heading(page, 'Incidents').waitFor();
    await page
      .getByRole('table', { name: 'Incidents' })
      .getByRole('row')
      .filter({ hasText: 'DiskFull' })
      .getByText('Acknowledged', { exact: true })
      .waitFor();
  });

  it('shows the services, and a new integration’s key exactly once', async () => {
    await navLink(page, 'Prepare').click();
    await heading(page, 'Prepare').waitFor();
    await navLink(page, 'Services').click();
    await heading(page, 'Services').waitFor();
    const row = page
      .getByRole('table', { name: 'Services' })
      .getByRole('row')
      .filter({ hasText: 'Database' });
    await row.getByText('Storage', { exact: true }).waitFor();
    await row.getByText('By alertname', { exact: true }).waitFor();

    await row.getByRole('link', { name: 'Database' }).click();
    await heading(page, 'Database').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/prepare/services/${serviceId}`);
    const integrations = page.getByRole('table', { name: 'Integrations' });
    await integrations.getByRole('row').filter({ hasText: 'Prometheus' }).waitFor();

    await page.getByRole('button', { name: 'Add integration' }).click();
    const add = dialog(page, 'Add an integration');
    await add.getByRole('combobox', { name: 'Kind' }).selectOption('webhook');
    await add.getByRole('textbox', { name: 'Name', exact: true }).fill('Deploy hook');
    await add.getByRole('button', { name: 'Add integration' }).click();

    const reveal = dialog(page, 'Your integration key');
    await reveal.getByText("Copy it now: it won't be shown again").waitFor();
    const key = (await reveal.getByTestId('integration-key').innerText()).trim();
    expect(key.length).toBeGreaterThan(20);
    const url = (await reveal.getByTestId('integration-url').innerText()).trim();
    expect(url).toBe(`${server?.baseUrl}/integrations/webhook/${key}`);
    await reveal.getByText('Test with curl').waitFor();
    await reveal.getByRole('button', { name: 'Copy integration key' }).waitFor();

    await reveal.getByRole('button', { name: 'I have copied it' }).click();
    await reveal.waitFor({ state: 'hidden' });
    const added = integrations.getByRole('row').filter({ hasText: 'Deploy hook' });
    await added.waitFor();
    // Only the prefix is ever shown again.
    await added.getByText(`${key.slice(0, 6)}…`, { exact: true }).waitFor();
    expect(await page.getByText(key).count()).toBe(0);
  });

  it('adds a routing rule, and the dry run says which rule takes an alert and why', async () => {
    await page.goto('/detect/routes');
    await heading(page, 'Routes').waitFor();
    await page.getByText('No routing rules').waitFor();

    await page.getByRole('button', { name: 'New rule' }).click();
    const form = dialog(page, 'New routing rule');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Production databases');
    await form.getByRole('textbox', { name: 'Matchers: label name 1' }).fill('env');
    await form.getByRole('combobox', { name: 'Matchers: operator 1' }).selectOption('=~');
    await form.getByRole('textbox', { name: 'Matchers: value 1' }).fill('prod|production');
    const service = form.getByRole('combobox', { name: 'Send to service' });
    await service.click();
    await page.getByRole('option', { name: 'Database' }).click();
    await form.getByRole('textbox', { name: 'Set labels' }).fill('routed_by=siaga');
    await form.getByRole('button', { name: 'Create rule' }).click();
    await form.waitFor({ state: 'hidden' });

    const row = page
      .getByRole('table', { name: 'Routing rules' })
      .getByRole('row')
      .filter({ hasText: 'Production databases' });
    await row.getByText('env=~"prod|production"', { exact: true }).waitFor();
    await row.getByText('Database', { exact: true }).waitFor();
    await row.getByText('routed_by="siaga"', { exact: true }).waitFor();

    const dryRun = page.getByRole('form', { name: 'Dry run' });
    await dryRun.getByRole('textbox', { name: 'Labels', exact: true }).fill('alertname=DiskFull\nenv=prod');
    await dryRun.getByRole('button', { name: 'Dry run' }).click();
    await dryRun.getByText('Goes to Database, by the rule “Production databases”.').waitFor();
    const steps = dryRun.getByRole('list', { name: 'Rules tried' });
    await steps.getByText('Matched', { exact: true }).waitFor();
    await steps.getByText('every matcher holds: env=~"prod|production"', { exact: false }).waitFor();

    await dryRun
      .getByRole('textbox', { name: 'Labels', exact: true })
      .fill('{"alertname": "DiskFull", "env": "dev"}');
    await dryRun.getByRole('button', { name: 'Dry run' }).click();
    await dryRun.getByText('No rule takes this alert: it stays unrouted.').waitFor();
    await steps.getByText('No match', { exact: true }).waitFor();
  });

  it('plans maintenance once (active now) and every week (with its next windows)', async () => {
    await navLink(page, 'Maintenance').click();
    await heading(page, 'Maintenance').waitFor();
    await page.getByText('No maintenance windows').waitFor();

    // A window from this minute for an hour, in the person's zone (UTC): active at once.
    const wall = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const now = Date.now();
    await page.getByRole('button', { name: 'New window' }).click();
    let form = dialog(page, 'New maintenance window');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Volume resize');
    const service = form.getByRole('combobox', { name: 'Service', exact: true });
    await service.click();
    await page.getByRole('option', { name: 'Database' }).click();
    await form.getByLabel('Starts').fill(wall(now));
    await form.getByLabel('Ends').fill(wall(now + 3_600_000));
    await form.getByRole('button', { name: 'Create window' }).click();
    await form.waitFor({ state: 'hidden' });
    const windows = page.getByRole('table', { name: 'Maintenance windows' });
    const once = windows.getByRole('row').filter({ hasText: 'Volume resize' });
    await once.getByText('Active now', { exact: true }).waitFor();
    await once.getByText('Database', { exact: true }).waitFor();

    await page.getByRole('button', { name: 'New window' }).click();
    form = dialog(page, 'New maintenance window');
    await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Sunday patching');
    await form.getByRole('textbox', { name: 'Matchers: label name 1' }).waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Add matcher' }).click();
    await form.getByRole('textbox', { name: 'Matchers: label name 1' }).fill('env');
    await form.getByRole('textbox', { name: 'Matchers: value 1' }).fill('staging');
    await form.getByText('Every week', { exact: true }).click();
    await form.getByText('Wed', { exact: true }).click();
    // The time zone starts as the browser's (UTC here).
    expect(await form.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('UTC');
    await form.getByRole('button', { name: 'Create window' }).click();
    await form.waitFor({ state: 'hidden' });
    const weekly = windows.getByRole('row').filter({ hasText: 'Sunday patching' });
    await weekly.getByText('Wed, Sun at 02:00 for 2 h (UTC)', { exact: true }).waitFor();
    await weekly.getByText('env="staging"', { exact: true }).waitFor();
    await weekly.getByText('Any service', { exact: true }).waitFor();
    await expect.poll(() => weekly.getByText(/ → /).count()).toBeGreaterThan(0);
  });
});
