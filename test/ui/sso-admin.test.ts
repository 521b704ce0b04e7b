import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  addSessionCookie,
  assertWebBuilt,
  callApi,
  completeSetupViaApi,
  freePort,
  launchBrowser,
  newContext,
  signInViaApi,
  startServer,
  trackPageErrors,
  type ApiSession,
  type Credentials,
  type SiagaServer,
} from './support.ts';

/**
 * The single sign-on admin page in a real browser against the real server: an administrator adds an OpenID
 * Connect provider, edits it, turns it off and on, and deletes it; the sign-in page follows; the client secret
 * never comes back from the server; a responder is kept out. Nothing answers at the issuer: saving a provider
 * does not contact it (only a sign-in does). The steps share one server and run in order.
 */

const ADMIN: Credentials = {
  email: 'ada@example.com',
  name: 'Ada Admin',
  password: 'sso pages are for admins only',
};
const RINA: Credentials = {
  email: 'rina@example.com',
  name: 'Rina Responder',
  password: 'rina walks the pager route',
};
const NAME = 'Acme ID';
const SLUG = 'acme-id';
/** Random, so finding it anywhere in a page or a response can only mean it leaked. */
const CLIENT_SECRET = `acme-secret-${randomBytes(12).toString('hex')}`;
const PHONE = { width: 375, height: 740 };

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const dialog = (page: Page, name: string) => page.getByRole('dialog', { name });
const card = (page: Page) => page.getByRole('article', { name: NAME });
const status = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });

describe('single sign-on administration in the browser', () => {
  let server: SiagaServer | undefined;
  let browser: Browser | undefined;
  let adminSession: ApiSession | undefined;
  let rinaSession: ApiSession | undefined;
  let paymentsId = '';
  let issuer = '';
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];
  /** Every response the administrator's page received, with its body, to look for the secret in. */
  const received: Promise<{ method: string; url: string; body: string }>[] = [];

  beforeAll(async () => {
    assertWebBuilt();
    server = await startServer();
    adminSession = await completeSetupViaApi(server, ADMIN);
    const team = (await callApi(server, adminSession, 'POST', '/api/v1/teams', { name: 'Payments' })) as {
      id: string;
    };
    paymentsId = team.id;
    await callApi(server, adminSession, 'POST', '/api/v1/users', { ...RINA, role: 'responder' });
    rinaSession = await signInViaApi(server, RINA);
    // A loopback issuer may use plain http; nothing needs to listen there for these steps.
    issuer = `http://127.0.0.1:${await freePort()}/`;
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

  async function openPage(session: ApiSession | undefined, options: BrowserContextOptions = {}) {
    if (!server || !browser) throw new Error('the server or the browser did not start');
    const context = await newContext(browser, server.baseUrl, options);
    contexts.push(context);
    if (session) await addSessionCookie(context, server.baseUrl, session);
    const page = await context.newPage();
    pageErrors.push(trackPageErrors(page));
    return page;
  }

  /** The sign-in buttons as the public API lists them (the sign-in page shows exactly these). */
  async function signInSlugs(page: Page): Promise<string[]> {
    const response = await page.request.get('/api/v1/auth/sso/providers');
    expect(response.status()).toBe(200);
    return ((await response.json()) as { slug: string }[]).map((p) => p.slug);
  }

  async function providersViaApi(page: Page) {
    const response = await page.request.get('/api/v1/sso/providers');
    expect(response.status()).toBe(200);
    return (await response.json()) as Record<string, unknown>[];
  }

  let admin: Page;
  let redirectUri = '';

  it('an administrator adds a provider; the redirect URI to register is shown before and after saving', async () => {
    if (!server) throw new Error('the server did not start');
    redirectUri = `${server.baseUrl}/api/v1/auth/sso/${SLUG}/callback`;
    admin = await openPage(adminSession);
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    admin.on('response', (response) => {
      const method = response.request().method();
      received.push(
        response.text().then(
          (body) => ({ method, url: response.url(), body }),
          () => ({ method, url: response.url(), body: '' }), // redirects and aborted requests have no body
        ),
      );
    });

    await admin.goto('/');
    await mainNav(admin)
      .getByRole('list', { name: 'Admin' })
      .getByRole('link', { name: /^Single sign-on/ })
      .click();
    await admin.waitForURL((url) => url.pathname === '/admin/sso');
    await heading(admin, 'Single sign-on').waitFor();
    await admin.getByText('No single sign-on providers yet').waitFor();

    await admin.getByRole('button', { name: 'Add provider' }).click();
    const form = dialog(admin, 'Add a single sign-on provider');
    await form.getByRole('textbox', { name: 'Display name' }).fill(NAME);
    // The slug follows the name, and the redirect URI follows the slug, before anything is saved.
    expect(await form.getByRole('textbox', { name: 'Slug' }).inputValue()).toBe(SLUG);
    expect(await form.getByTestId('redirect-uri').textContent()).toBe(redirectUri);
    await form.getByRole('textbox', { name: 'Client ID' }).fill('siaga-web');
    await form.getByLabel('Client secret').fill(CLIENT_SECRET);

    // Plain http to another machine is refused by the server; its reason sits next to the Issuer field.
    const issuerField = form.getByRole('textbox', { name: 'Issuer' });
    await issuerField.fill('http://id.example.com/');
    await form.getByRole('button', { name: 'Add provider' }).click();
    await form.getByText(/^Must use https \(plain http only for a provider on this machine/).waitFor();
    expect(await issuerField.getAttribute('aria-invalid')).toBe('true');

    await issuerField.fill(issuer);
    await form.getByRole('button', { name: 'Add provider' }).click();
    await form.waitFor({ state: 'hidden' });
    await status(admin, `${NAME} was added`).waitFor();

    const provider = card(admin);
    await provider.getByText(issuer, { exact: true }).waitFor();
    expect(await provider.getByTestId('redirect-uri').textContent()).toBe(redirectUri);
    expect(await provider.getByRole('switch', { name: 'Enabled' }).isChecked()).toBe(true);
    await provider.getByText('0 role mappings · 0 team mappings').waitFor();
    await provider.getByRole('button', { name: 'Copy the redirect URI' }).click();
    await provider.getByRole('button', { name: 'Copied the redirect URI' }).waitFor();
    await expect.poll(() => admin.evaluate(() => navigator.clipboard.readText())).toBe(redirectUri);

    // The server's view agrees: the redirect URI comes from its public URL, the secret is only "stored".
    const [saved] = await providersViaApi(admin);
    expect(saved).toMatchObject({ slug: SLUG, issuer, redirectUri, hasClientSecret: true, enabled: true });
    expect(await admin.content()).not.toContain(CLIENT_SECRET);
  });

  it('edits it: off hides it from the sign-in page, on brings it back; mappings are added without resending the secret', async () => {
    const provider = card(admin);
    const enabled = provider.getByRole('switch', { name: 'Enabled' });
    await enabled.click();
    await status(admin, `${NAME} is disabled`).waitFor();
    expect(await enabled.isChecked()).toBe(false);
    await expect.poll(() => signInSlugs(admin)).toEqual([]);
    await enabled.click();
    await status(admin, `${NAME} is enabled`).waitFor();
    expect(await enabled.isChecked()).toBe(true);
    await expect.poll(() => signInSlugs(admin)).toEqual([SLUG]);

    await provider.getByRole('button', { name: 'Edit' }).click();
    const form = dialog(admin, `Edit ${NAME}`);
    // Write-only: the field is empty and says a secret is stored.
    expect(await form.getByLabel('Client secret').inputValue()).toBe('');
    await form.getByText('Stored — enter a new one to replace it.').waitFor();
    expect(await form.getByTestId('redirect-uri').textContent()).toBe(redirectUri);

    await form.getByRole('button', { name: 'Add role mapping' }).click();
    await form.getByRole('textbox', { name: 'Group of role mapping 1' }).fill('siaga-admins');
    await form.getByRole('combobox', { name: 'Role of role mapping 1' }).selectOption('admin');
    await form.getByRole('button', { name: 'Add team mapping' }).click();
    await form.getByRole('textbox', { name: 'Group of team mapping 1' }).fill('payments-oncall');
    await form.getByRole('combobox', { name: 'Team of team mapping 1' }).selectOption({ label: 'Payments' });
    expect(await form.getByRole('combobox', { name: 'Team role of team mapping 1' }).inputValue()).toBe(
      'responder',
    );
    await form.getByRole('combobox', { name: 'Default role' }).selectOption('observer');

    const [patch] = await Promise.all([
      admin.waitForRequest((request) => request.method() === 'PATCH'),
      form.getByRole('button', { name: 'Save' }).click(),
    ]);
    // Only what changed is sent; an untouched secret field keeps the stored secret.
    expect(Object.keys(patch.postDataJSON() as object).sort()).toEqual([
      'defaultRole',
      'roleMappings',
      'teamMappings',
    ]);
    await form.waitFor({ state: 'hidden' });
    await status(admin, `${NAME} was saved`).waitFor();
    await provider.getByText('1 role mapping · 1 team mapping').waitFor();
    await provider.getByText('Observer', { exact: true }).waitFor();

    const [saved] = await providersViaApi(admin);
    expect(saved).toMatchObject({
      enabled: true,
      defaultRole: 'observer',
      roleMappings: [{ group: 'siaga-admins', role: 'admin' }],
      teamMappings: [{ group: 'payments-oncall', teamId: paymentsId, role: 'responder' }],
      hasClientSecret: true,
    });
  });

  it('refuses a second provider with the same slug, next to the Slug field (409)', async () => {
    await admin.getByRole('button', { name: 'Add provider' }).click();
    const form = dialog(admin, 'Add a single sign-on provider');
    await form.getByRole('textbox', { name: 'Display name' }).fill(NAME);
    await form.getByRole('textbox', { name: 'Issuer' }).fill(issuer);
    await form.getByRole('textbox', { name: 'Client ID' }).fill('another-client');
    await form.getByLabel('Client secret').fill(`${CLIENT_SECRET}-2`);
    await form.getByRole('button', { name: 'Add provider' }).click();
    await form.getByText('Another provider already uses this slug.').waitFor();
    expect(await form.getByRole('textbox', { name: 'Slug' }).getAttribute('aria-invalid')).toBe('true');
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'hidden' });
    expect(await admin.getByRole('article').count()).toBe(1);
  });

  it('never shows the client secret: not in the page, not in any response the page received', async () => {
    expect(await admin.content()).not.toContain(CLIENT_SECRET);
    const responses = await Promise.all(received);
    const api = responses.filter(({ url }) => new URL(url).pathname.startsWith('/api/v1/sso/providers'));
    // The lists, the created and the edited provider and the refusal came back: there was something to look in.
    const answered = (method: string) => api.filter((r) => r.method === method).map((r) => r.body);
    expect(answered('GET').some((body) => body.includes('"hasClientSecret":true'))).toBe(true);
    expect(answered('POST').some((body) => body.includes(`"slug":"${SLUG}"`))).toBe(true);
    expect(answered('POST').some((body) => body.includes('"code":"conflict"'))).toBe(true);
    expect(answered('PATCH').length).toBeGreaterThanOrEqual(3);
    for (const { url, body } of responses) expect(body, url).not.toContain(CLIENT_SECRET);
  });

  it('a signed-out browser gets the "Sign in with" button, and /login?error=no_role explains the refusal', async () => {
    const page = await openPage(undefined);
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in to Siaga' }).waitFor();
    const button = page.getByRole('link', { name: `Sign in with ${NAME}` });
    await button.waitFor();
    expect(await button.getAttribute('href')).toBe(`/api/v1/auth/sso/${SLUG}/start?returnTo=%2F`);

    await page.goto('/login?error=no_role');
    await page.getByRole('alert').filter({ hasText: 'None of your groups gives access to Siaga.' }).waitFor();
  });

  it('a responder opening /admin/sso sees the no-access page, and no link to it', async () => {
    const page = await openPage(rinaSession);
    await page.goto('/admin/sso');
    await heading(page, 'You do not have access to this page').waitFor();
    await page.getByText('Only administrators manage single sign-on.').waitFor();
    await mainNav(page)
      .getByRole('link', { name: /^Prepare\b/ })
      .waitFor();
    expect(
      await mainNav(page)
        .getByRole('link', { name: /^Single sign-on/ })
        .count(),
    ).toBe(0);
    expect((await page.request.get('/api/v1/sso/providers')).status()).toBe(403);
  });

  it('on a phone, in the dark theme, the list and the form fit the screen', async () => {
    const page = await openPage(adminSession, {
      viewport: PHONE,
      isMobile: true,
      hasTouch: true,
      colorScheme: 'dark',
    });
    await page.goto('/admin/sso');
    await heading(page, 'Single sign-on').waitFor();
    await card(page).waitFor();
    const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
    expect(await pageWidth(), 'no sideways scrolling').toBeLessThanOrEqual(PHONE.width);

    await card(page).getByRole('button', { name: 'Edit' }).click();
    const form = dialog(page, `Edit ${NAME}`);
    await form.getByRole('textbox', { name: 'Group of team mapping 1' }).waitFor();
    const overflow = await form.evaluate((element) => element.scrollWidth - element.clientWidth);
    expect(overflow, 'the form does not scroll sideways').toBeLessThanOrEqual(0);
    expect(await pageWidth()).toBeLessThanOrEqual(PHONE.width);
  });

  it('deletes the provider after a confirmation; the sign-in page stops offering it', async () => {
    await card(admin).getByRole('button', { name: 'Delete' }).click();
    const confirm = dialog(admin, `Delete ${NAME}?`);
    await confirm.getByText('The sign-in page stops offering it at once.').waitFor();
    await confirm.getByRole('button', { name: 'Delete provider' }).click();
    await confirm.waitFor({ state: 'hidden' });
    await status(admin, `${NAME} was deleted`).waitFor();
    await admin.getByText('No single sign-on providers yet').waitFor();
    expect(await card(admin).count()).toBe(0);
    expect(await signInSlugs(admin)).toEqual([]);
  });
});
