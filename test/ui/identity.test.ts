import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertWebBuilt,
  launchBrowser,
  newContext,
  startServer,
  trackPageErrors,
  type Credentials,
  type SiagaServer,
} from './support.ts';

/**
 * Identity as people meet it, in a real browser against the real server: first-run setup from the link the server
 * printed, a team and a person, role-limited navigation, sign-in errors, the session cookie, and the audit log.
 * The steps share one server and run in order, like the story they tell. Passwords are hashed with the production
 * cost (~0.3 s each), so the story signs in only a few times.
 */

const ADMIN: Credentials = {
  email: 'ada@example.com',
  name: 'Ada Admin',
  password: 'correct horse battery staple',
};
const RINA: Credentials = {
  email: 'rina@example.com',
  name: 'Rina Responder',
  password: 'rina walks the pager route',
};
const SESSION_COOKIE = 'siaga_session';

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const navLink = (page: Page, label: string) =>
  mainNav(page).getByRole('link', { name: new RegExp(`^${label}\\b`) });
const field = (page: Page, name: string) => page.getByRole('textbox', { name, exact: true });
const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });
const noAccess = (page: Page) => heading(page, 'You do not have access to this page');

async function signIn(page: Page, who: Credentials, password = who.password): Promise<void> {
  await heading(page, 'Sign in to Siaga').waitFor();
  await field(page, 'Email').fill(who.email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

async function signOut(page: Page, who: Credentials): Promise<void> {
  await page
    .getByRole('banner')
    .getByRole('button', { name: `Account: ${who.name}` })
    .click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  // A plain sign-in page: the next person is not sent on to where the last one was.
  await page.waitForURL((url) => url.pathname === '/login' && url.search === '');
  await heading(page, 'Sign in to Siaga').waitFor();
}

describe('identity in the browser', () => {
  let server: SiagaServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];
  let paymentsPath = '';

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer();
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await server?.stop();
  }, 30_000);

  afterEach(() => {
    expect(pageErrors.flat(), 'uncaught errors in the page').toEqual([]);
  });

  /** A fresh browser profile (no cookies): one per person, as on two different laptops. */
  async function freshPage(): Promise<Page> {
    if (!server || !browser) throw new Error('the server or the browser did not start');
    const context = await newContext(browser, server.baseUrl);
    contexts.push(context);
    const page = await context.newPage();
    pageErrors.push(trackPageErrors(page));
    return page;
  }

  let admin: Page;

  it('first run: the sign-in page points to the setup link, which the server printed', async () => {
    if (!server) throw new Error('the server did not start');
    const link = await server.waitForSetupLink();
    expect(link).toMatch(new RegExp(`^${server.baseUrl}/setup#token=setup_[\\w-]{20,}$`));
    expect(server.setupLink).toBe(link);

    admin = await freshPage();
    await admin.goto('/');
    await admin.waitForURL((url) => url.pathname === '/login');
    await admin.getByText('Siaga has no users yet').waitFor();
    await admin.getByText(/open the setup link the server printed/i).waitFor();
  });

  it('first-run setup from the printed link signs the first administrator in', async () => {
    if (!server) throw new Error('the server did not start');
    await admin.goto(await server.waitForSetupLink());
    await heading(admin, 'Set up Siaga').waitFor();
    // The one-time token leaves the address bar (and so history and bookmarks) as soon as it is read.
    await expect.poll(() => new URL(admin.url()).hash).toBe('');
    expect(new URL(admin.url()).pathname).toBe('/setup');
    // The browser's time zone is the default (the test browser runs in UTC); the policy hint is on screen.
    expect(await admin.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('UTC');
    await admin.getByText('At least 12 characters; a passphrase works well.').waitFor();

    await field(admin, 'Your name').fill(ADMIN.name);
    await field(admin, 'Email').fill(ADMIN.email);
    await field(admin, 'Password').fill(ADMIN.password);
    await field(admin, 'Repeat the password').fill('a different passphrase');
    await admin.getByRole('button', { name: 'Create administrator' }).click();
    await admin.getByText('The two passwords differ.').waitFor();
    await field(admin, 'Repeat the password').fill(ADMIN.password);
    await admin.getByRole('button', { name: 'Create administrator' }).click();

    await admin.waitForURL((url) => url.pathname === '/');
    await heading(admin, 'Overview').waitFor();
    await admin
      .getByRole('banner')
      .getByRole('button', { name: `Account: ${ADMIN.name}` })
      .waitFor();
    const adminGroup = mainNav(admin).getByRole('list', { name: 'Admin' });
    for (const label of ['Users', 'Teams', 'Audit log']) {
      await adminGroup.getByRole('link', { name: new RegExp(`^${label}`) }).waitFor();
    }
  });

  it('keeps the session cookie away from scripts: HttpOnly and SameSite=Lax', async () => {
    expect(await admin.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
    const cookie = (await admin.context().cookies()).find((candidate) => candidate.name === SESSION_COOKIE);
    expect(cookie, 'the session cookie').toBeDefined();
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  });

  it('an administrator creates the team Payments', async () => {
    await navLink(admin, 'Teams').click();
    await heading(admin, 'Teams').waitFor();
    await admin.getByText('No teams yet').waitFor();
    await admin.getByRole('button', { name: 'New team' }).click();
    const form = dialog(admin, 'New team');
    await form.getByRole('textbox', { name: 'Name' }).fill('Payments');
    await form.getByRole('textbox', { name: 'Description' }).fill('Checkout and payment gateways.');
    await form.getByRole('button', { name: 'Create team' }).click();

    await heading(admin, 'Payments').waitFor();
    await admin.waitForURL(/\/admin\/teams\/team_\w+$/);
    paymentsPath = new URL(admin.url()).pathname;
    await admin.getByText('No members yet.').waitFor();
  });

  it('creates Rina as a responder with an initial password', async () => {
    await navLink(admin, 'Users').click();
    await heading(admin, 'Users').waitFor();
    await admin.getByRole('button', { name: 'New user' }).click();
    const form = dialog(admin, 'New user');
    await form.getByRole('textbox', { name: 'Name' }).fill(RINA.name);
    await form.getByRole('textbox', { name: 'Email' }).fill(RINA.email);
    await form.getByRole('combobox', { name: 'Role' }).selectOption('responder');
    // The policy is enforced on the spot, before anything is sent.
    await form.getByRole('textbox', { name: 'Initial password' }).fill('too short');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByText('Use at least 12 characters.').waitFor();
    await form.getByRole('textbox', { name: 'Initial password' }).fill(RINA.password);
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.waitFor({ state: 'hidden' });

    await admin
      .getByRole('status')
      .filter({ hasText: `${RINA.name} can now sign in as Responder` })
      .waitFor();
    const row = admin.getByRole('row', { name: RINA.name });
    await row.getByText(RINA.email).waitFor();
    expect(await row.getByRole('combobox', { name: `Role of ${RINA.name}` }).inputValue()).toBe('responder');
  });

  it('adds Rina to Payments as a responder', async () => {
    await navLink(admin, 'Teams').click();
    await heading(admin, 'Teams').waitFor();
    await admin.getByRole('link', { name: 'Payments' }).click();
    await heading(admin, 'Payments').waitFor();
    expect(new URL(admin.url()).pathname).toBe(paymentsPath);

    const person = admin.getByRole('combobox', { name: 'Person' });
    await person.click();
    await person.fill('Rina');
    await admin.getByRole('option', { name: `${RINA.name} (${RINA.email})` }).click();
    expect(await admin.getByRole('combobox', { name: 'Team role' }).inputValue()).toBe('responder');
    await admin.getByRole('button', { name: 'Add member' }).click();

    const members = admin.getByRole('table', { name: 'Members' });
    const rina = members.getByRole('row', { name: RINA.name });
    await rina.waitFor();
    expect(await rina.getByRole('combobox', { name: `Team role of ${RINA.name}` }).inputValue()).toBe(
      'responder',
    );
  });

  it('signs out from the account menu, and the app then needs a session again', async () => {
    await signOut(admin, ADMIN);
    await admin.goto('/admin/users');
    await admin.waitForURL((url) => url.pathname === '/login');
    await heading(admin, 'Sign in to Siaga').waitFor();
  });

  let rina: Page;

  it('a wrong password shows the error; the right one brings Rina to the page she asked for', async () => {
    rina = await freshPage();
    await rina.goto('/admin/users');
    await rina.waitForURL(
      (url) => url.pathname === '/login' && url.searchParams.get('next') === '/admin/users',
    );

    await signIn(rina, RINA, 'not the right passphrase');
    await rina.getByRole('alert').filter({ hasText: 'The email or password is not correct.' }).waitFor();
    expect(new URL(rina.url()).pathname).toBe('/login');

    await field(rina, 'Password').fill(RINA.password);
    await rina.getByRole('button', { name: 'Sign in', exact: true }).click();
    await rina.waitForURL((url) => url.pathname === '/admin/users');
    await rina
      .getByRole('banner')
      .getByRole('button', { name: `Account: ${RINA.name}` })
      .waitFor();
  });

  it('Rina, a responder, sees no admin pages and is told so when she opens one', async () => {
    // /admin/users was her target: the page says she has no access, rather than crashing or showing nothing.
    await noAccess(rina).waitFor();
    await rina.getByText('Only administrators manage people.').waitFor();
    await navLink(rina, 'Learn').waitFor();
    for (const label of ['Users', 'Audit log', 'Teams']) expect(await navLink(rina, label).count()).toBe(0);
    expect(await mainNav(rina).getByRole('list', { name: 'Admin' }).count()).toBe(0);

    for (const path of ['/admin/audit', '/admin/teams', paymentsPath]) {
      await rina.goto(path);
      await noAccess(rina).waitFor();
    }
    // Her own profile shows her team membership.
    await rina.goto('/profile');
    await heading(rina, 'Profile').waitFor();
    await rina.getByText('Payments · Responder').waitFor();
    await signOut(rina, RINA);
  });

  it('the administrator finds user.created and team.member_added in the audit log, and exports them', async () => {
    await admin.goto('/');
    await admin.waitForURL((url) => url.pathname === '/login');
    await signIn(admin, ADMIN);
    await admin.waitForURL((url) => url.pathname === '/');
    await navLink(admin, 'Audit log').click();
    await heading(admin, 'Audit log').waitFor();

    const entries = admin.getByRole('table', { name: 'Audit log entries' });
    const rows = (action: string) => entries.locator(`tr[data-action="${action}"]`);
    await rows('team.member_added').filter({ hasText: RINA.name }).waitFor();
    await rows('user.created').filter({ hasText: RINA.name }).waitFor();
    await rows('auth.login_failed').first().waitFor();

    // Filter by action: the table, the address and the CSV link all carry it.
    const action = admin.getByRole('combobox', { name: 'Action' });
    await action.fill('user.created');
    await action.press('Escape');
    await admin.waitForURL((url) => url.searchParams.get('action') === 'user.created');
    await expect.poll(() => entries.locator('tbody tr').count()).toBe(2); // Ada (setup) and Rina
    expect(await rows('user.created').count()).toBe(2);

    const exportLink = admin.getByRole('link', { name: 'Export CSV' });
    const href = await exportLink.getAttribute('href');
    expect(href).toBe('/api/v1/audit.csv?action=user.created');
    const [download] = await Promise.all([admin.waitForEvent('download'), exportLink.click()]);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toMatch(/^id,at,actor_kind,/);
    expect(csv).toContain('user.created');
    expect(csv).toContain(RINA.email);
    expect(csv).not.toContain('team.member_added');

    // A time range in the reader's zone: nothing happened in 2099.
    await admin.getByLabel('From').fill('2099-01-01T00:00');
    await admin.waitForURL((url) => url.searchParams.get('from') === '2099-01-01T00:00:00.000Z');
    await admin.getByText('No entries match these filters.').waitFor();
    expect(await exportLink.getAttribute('href')).toBe(
      '/api/v1/audit.csv?action=user.created&from=2099-01-01T00%3A00%3A00.000Z',
    );
    await admin.getByRole('button', { name: 'Clear filters' }).click();
    await admin.waitForURL((url) => url.search === '');
    await expect.poll(() => entries.locator('tbody tr').count()).toBeGreaterThan(2);

    // Opening one entry shows what was recorded.
    await admin
      .getByRole('button', { name: /^Details of user\.created/ })
      .first()
      .click();
    await entries.getByText('After', { exact: true }).waitFor();
  });

  it('loads older audit entries page by page', async () => {
    // Sixty changes through the API with the admin's own session (cookie and CSRF token), cheap to make.
    const { csrfToken } = (await (await admin.request.get('/api/v1/auth/session')).json()) as {
      csrfToken: string;
    };
    for (let i = 0; i < 60; i++) {
      const response = await admin.request.post('/api/v1/tokens', {
        headers: { 'x-csrf-token': csrfToken },
        data: { name: `bulk ${i}`, kind: 'personal', scopes: ['read'] },
      });
      expect(response.status()).toBe(201);
    }
    await admin.goto('/admin/audit');
    await heading(admin, 'Audit log').waitFor();
    const rows = admin.getByRole('table', { name: 'Audit log entries' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await admin.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(60);
    await admin.getByText(/entries, the oldest included/).waitFor();
    expect(await admin.getByRole('button', { name: 'Load more' }).count()).toBe(0);
    await rows.filter({ hasText: 'setup.completed' }).waitFor();
  });

  it('treats the API refusing a page (403) like a page the role does not allow', async () => {
    await admin.route('**/api/v1/users?*', (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 403,
          title: 'Forbidden',
          code: 'forbidden',
          detail: 'this needs the admin role; you have responder',
        }),
      }),
    );
    await admin.goto('/admin/users');
    await noAccess(admin).waitFor();
    await admin.getByText('The server said: This needs the admin role; you have responder.').waitFor();
    await admin.unroute('**/api/v1/users?*');
  });

  it('a team admin manages their team: members, a service token shown once, the team audit log', async () => {
    // The administrator makes Rina an admin of Payments (her global role stays responder).
    await admin.goto(paymentsPath);
    await heading(admin, 'Payments').waitFor();
    const teamRole = admin
      .getByRole('table', { name: 'Members' })
      .getByRole('combobox', { name: `Team role of ${RINA.name}` });
    await teamRole.selectOption('admin');
    await expect.poll(() => teamRole.inputValue()).toBe('admin');

    await rina.goto('/');
    await signIn(rina, RINA);
    await rina.waitForURL((url) => url.pathname === '/');
    await navLink(rina, 'Teams').waitFor();
    for (const label of ['Users', 'Audit log']) expect(await navLink(rina, label).count()).toBe(0);
    await navLink(rina, 'Teams').click();
    await heading(rina, 'Teams').waitFor();
    expect(
      await rina.getByRole('button', { name: 'New team' }).count(),
      'only global admins create teams',
    ).toBe(0);
    await rina.getByRole('link', { name: 'Payments' }).click();
    await heading(rina, 'Payments').waitFor();

    const tokens = rina.getByRole('region', { name: 'Service tokens' });
    await tokens.getByRole('button', { name: 'New token' }).click();
    const form = dialog(rina, 'New service token');
    await form.getByRole('textbox', { name: 'Name' }).fill('Alertmanager');
    await form.getByRole('checkbox', { name: 'ingest' }).waitFor();
    await form.getByRole('button', { name: 'Create token' }).click();
    const reveal = dialog(rina, 'Your new token');
    await reveal.getByText('you will not see it again').waitFor();
    expect(await reveal.getByTestId('new-token').textContent()).toMatch(/^siaga_svc_[\w-]{20,}$/);
    await reveal.getByRole('button', { name: 'Copy token' }).waitFor();
    await reveal.getByRole('button', { name: 'Done' }).click();
    await reveal.waitFor({ state: 'hidden' });
    const row = tokens.getByRole('row').filter({ hasText: 'Alertmanager' });
    await row.getByText('Active').waitFor();
    expect(await row.textContent()).not.toMatch(/siaga_svc_[\w-]{20,}/);

    await rina.getByRole('link', { name: 'Audit log' }).click();
    await heading(rina, 'Audit log').waitFor();
    expect(new URL(rina.url()).searchParams.get('teamId')).toBe(paymentsPath.split('/').at(-1));
    const entries = rina.getByRole('table', { name: 'Audit log entries' });
    await entries.locator('tr[data-action="team.member_role_changed"]').waitFor();
    await entries.locator('tr[data-action="token.created"]').waitFor();
    // Only her team's entries: nothing about creating people.
    expect(await entries.locator('tr[data-action="user.created"]').count()).toBe(0);
  });

  it('tells a throttled sign-in when to try again (429 with Retry-After)', async () => {
    const page = await freshPage();
    await page.route('**/api/v1/auth/login', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'retry-after': '42' },
        contentType: 'application/problem+json',
        body: JSON.stringify({
          status: 429,
          title: 'Too Many Requests',
          code: 'rate_limited',
          detail: 'too many failed sign-in attempts; try again later',
          retryAfterSeconds: 42,
        }),
      }),
    );
    await page.goto('/login');
    await signIn(page, RINA, 'guessing again');
    const alert = page.getByRole('alert').filter({ hasText: 'Too many failed sign-in attempts.' });
    await alert.waitFor();
    const seconds = Number(/Try again in (\d+) s\./.exec((await alert.textContent()) ?? '')?.[1]);
    expect(seconds).toBeGreaterThan(30);
    expect(seconds).toBeLessThanOrEqual(42);
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isDisabled()).toBe(true);
  });
});
