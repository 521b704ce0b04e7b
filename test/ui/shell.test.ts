import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addSessionCookie,
  assertWebBuilt,
  completeSetupViaApi,
  launchBrowser,
  newContext,
  REPO_ROOT,
  startServer,
  trackPageErrors,
  type ApiSession,
  type SiagaServer,
} from './support.ts';

const STAGES = ['Prepare', 'Detect', 'Respond', 'Learn'] as const;
const ADMIN_PAGES = ['Users', 'Teams', 'Single sign-on', 'Audit log'] as const;
const PHONE = { width: 375, height: 740 };

const packageVersion = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

describe('web shell', () => {
  let server: SiagaServer | undefined;
  let browser: Browser | undefined;
  let session: ApiSession | undefined;
  let context: BrowserContext | undefined;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer();
    // The whole app needs a session: the first administrator is created with the token the server printed, once.
    session = await completeSetupViaApi(server, {
      email: 'ada@example.com',
      name: 'Ada Admin',
      password: 'shell tests sign in once',
    });
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 30_000);

  afterEach(async () => {
    await context?.close();
    context = undefined;
    expect(pageErrors, 'uncaught errors in the page').toEqual([]);
  });

  async function signedInContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    if (!server || !browser || !session) throw new Error('the server or the browser did not start');
    const signedIn = await newContext(browser, server.baseUrl, options);
    await addSessionCookie(signedIn, server.baseUrl, session);
    return signedIn;
  }

  async function open(urlPath: string, options: BrowserContextOptions = {}): Promise<Page> {
    context = await signedInContext(options);
    const page = await context.newPage();
    pageErrors = trackPageErrors(page);
    await page.goto(urlPath);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return page;
  }

  const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
  const navLink = (page: Page, label: string) =>
    mainNav(page).getByRole('link', { name: new RegExp(`^${label}\\b`) });
  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
  const colorScheme = (page: Page) => page.locator('html').getAttribute('data-mantine-color-scheme');
  const bodyBrightness = (page: Page) =>
    page.evaluate(() => {
      const [r = 0, g = 0, b = 0] =
        getComputedStyle(document.body).backgroundColor.match(/\d+/g)?.map(Number) ?? [];
      return (r + g + b) / 3;
    });

  it('shows the landmarks, the four stages, the admin pages and the account menu', async () => {
    const page = await open('/');
    await heading(page, 'Overview').waitFor();
    expect(await page.title()).toBe('Overview · Siaga');
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);
    const stages = mainNav(page).getByRole('list', { name: 'Stages' });
    for (const stage of STAGES) await navLink(page, stage).waitFor();
    expect(await stages.getByRole('link').count()).toBe(STAGES.length);
    const admin = mainNav(page).getByRole('list', { name: 'Admin' });
    for (const label of ADMIN_PAGES)
      await admin.getByRole('link', { name: new RegExp(`^${label}`) }).waitFor();
    await navLink(page, 'About').waitFor();
    expect(await mainNav(page).getByRole('link').count()).toBe(STAGES.length + ADMIN_PAGES.length + 1);
    await page.getByRole('banner').getByRole('button', { name: 'Account: Ada Admin' }).waitFor();
    // On a desktop the navigation is always there, so there is no burger.
    expect(await page.getByRole('button', { name: 'Toggle navigation' }).isHidden()).toBe(true);
  });

  it('navigates to a stage in place, and Back returns to the overview', async () => {
    const page = await open('/');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    await navLink(page, 'Detect').click();
    await page.waitForURL('**/detect');
    await heading(page, 'Detect').waitFor();
    await expect.poll(() => page.title()).toBe('Detect · Siaga');
    expect(await navLink(page, 'Detect').getAttribute('aria-current')).toBe('page');
    expect(await page.evaluate(() => 'notReloaded' in window), 'a client-side navigation, not a reload').toBe(
      true,
    );

    await page.goBack();
    await page.waitForURL((url) => url.pathname === '/');
    await heading(page, 'Overview').waitFor();
    expect(await navLink(page, 'Detect').getAttribute('aria-current')).toBeNull();
  });

  it('opens a deep link such as /learn directly', async () => {
    const page = await open('/learn');
    await heading(page, 'Learn').waitFor();
    await expect.poll(() => page.title()).toBe('Learn · Siaga');
    expect(await navLink(page, 'Learn').getAttribute('aria-current')).toBe('page');
    await page.getByText('Coming in a later release').waitFor();
    await page.getByText('Postmortems', { exact: true }).waitFor();
  });

  it('answers an unknown path with a not-found page that leads home', async () => {
    const page = await open('/no-such-page');
    await heading(page, 'Page not found').waitFor();
    await page.getByRole('link', { name: 'Back to the overview' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await heading(page, 'Overview').waitFor();
  });

  it('shows version, runtime, database and readiness on the About page', async () => {
    const page = await open('/about');
    await heading(page, 'About').waitFor();
    expect(await page.title()).toBe('About · Siaga');

    const serverSection = page.getByRole('region', { name: 'Server' });
    await serverSection.getByText(packageVersion, { exact: true }).waitFor();
    await serverSection.getByText(process.version, { exact: true }).waitFor();
    await serverSection.getByText(/^SQLite/).waitFor();

    const health = page.getByRole('region', { name: 'Health' });
    await health.getByText('ready', { exact: true }).waitFor();
    // Liveness, the database check and the migrations check.
    await expect.poll(() => health.getByText('ok', { exact: true }).count()).toBe(3);
    expect(await health.getByText('fail', { exact: true }).count()).toBe(0);

    for (const [name, href] of [
      ['API reference', '/api/docs'],
      ['Metrics', '/metrics'],
    ] as const) {
      const link = page.getByRole('link', { name, exact: true });
      expect(await link.getAttribute('href')).toBe(href);
      const response = await page.request.get(href);
      expect(response.status(), `${href} answers`).toBe(200);
    }
  });

  it('says so visibly when the server cannot be reached', async () => {
    context = await signedInContext();
    for (const endpoint of ['/healthz', '/readyz', '/api/v1/about']) {
      await context.route(`**${endpoint}`, (route) => route.abort('connectionrefused'));
    }
    const page = await context.newPage();
    pageErrors = trackPageErrors(page);
    await page.goto('/about');
    await page.getByRole('alert').filter({ hasText: 'Cannot reach the Siaga server' }).waitFor();
    await page
      .getByRole('region', { name: 'Health' })
      .getByText(/Could not load readiness/)
      .waitFor();
  });

  it('follows the OS colour scheme until the toggle picks one, and remembers it', async () => {
    const page = await open('/', { colorScheme: 'dark' });
    expect(await colorScheme(page)).toBe('dark');
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');

    await toggle.click();
    await page.locator('html[data-mantine-color-scheme="light"]').waitFor({ state: 'attached' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(() => bodyBrightness(page)).toBeGreaterThan(200);

    await page.reload();
    await heading(page, 'Overview').waitFor();
    expect(await colorScheme(page)).toBe('light');
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');

    await toggle.click();
    await page.locator('html[data-mantine-color-scheme="dark"]').waitFor({ state: 'attached' });
    await expect.poll(() => bodyBrightness(page)).toBeLessThan(80);
    await page.reload();
    await heading(page, 'Overview').waitFor();
    expect(await colorScheme(page)).toBe('dark');
  });

  it('on a phone, hides the navigation behind the burger button', async () => {
    const page = await open('/', { viewport: PHONE, isMobile: true, hasTouch: true });
    const burger = page.getByRole('button', { name: 'Toggle navigation' });
    const nav = page.getByRole('navigation', { name: 'Main', includeHidden: true });
    expect(await nav.count()).toBe(1);
    expect(await nav.isHidden()).toBe(true);
    expect(await burger.getAttribute('aria-expanded')).toBe('false');
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      'no sideways scrolling',
    ).toBeLessThanOrEqual(PHONE.width);

    await burger.click();
    await nav.waitFor({ state: 'visible' });
    expect(await burger.getAttribute('aria-expanded')).toBe('true');

    await navLink(page, 'Respond').click();
    await page.waitForURL('**/respond');
    await heading(page, 'Respond').waitFor();
    await nav.waitFor({ state: 'hidden' });
    expect(await burger.getAttribute('aria-expanded')).toBe('false');
  });

  it('on a phone, the admin pages and the profile fit the screen', async () => {
    const page = await open('/admin/users', { viewport: PHONE, isMobile: true, hasTouch: true });
    for (const [path, title] of [
      ['/admin/users', 'Users'],
      ['/admin/teams', 'Teams'],
      ['/admin/sso', 'Single sign-on'],
      ['/admin/audit', 'Audit log'],
      ['/profile', 'Profile'],
    ] as const) {
      await page.goto(path);
      await heading(page, title).waitFor();
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth),
        `no sideways scrolling on ${path}`,
      ).toBeLessThanOrEqual(PHONE.width);
    }
  });
});
