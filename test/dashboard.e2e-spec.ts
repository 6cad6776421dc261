import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import {
  ROOT,
  call,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  startDeployment,
  type Deployment,
  type Person,
} from '@corridor/testing';

/** Debian's Chromium, headless; nothing is downloaded. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = path.join(ROOT, 'artifacts');

/** The analysts' dashboard, served by the api at `/`, driven in a real browser against a real deployment. */
describe('dashboard', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; key: string };
  let analyst: Person;
  let browser: Browser;
  const seeded: string[] = [];

  beforeAll(async () => {
    deployment = await startDeployment('dashboard');
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    analyst = await createOrgAdmin(deployment, ours.id, { roles: ['org-admin', 'analyst'], name: 'Duty analyst' });
    for (const n of [1, 2, 3]) {
      const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
        token: ours.key,
        body: incidentBody({ title: `Corridor-e2e seed ${n}`, tlp: 'GREEN' }),
      });
      expect(reply.status).toBe(201);
      seeded.push(reply.body.id);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  });

  it('serves the page under a strict policy and leaves the api, docs and health alone', async () => {
    const page = await fetch(`${deployment.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("font-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await page.text()).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    // A client route gets the page too; the api's own paths keep their JSON answers.
    const route = await fetch(`${deployment.baseUrl}/incidents/${seeded[0]}`);
    expect(route.headers.get('content-type')).toMatch(/text\/html/);
    const missing = await fetch(`${deployment.baseUrl}/api/v1/no-such-route`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/application\/json/);
    const asset = await fetch(`${deployment.baseUrl}/assets/no-such-file.js`);
    expect(asset.status).toBe(404);
    expect((await fetch(`${deployment.baseUrl}/health`)).headers.get('content-type')).toMatch(/application\/json/);

    const docs = await fetch(`${deployment.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
    expect((await fetch(`${deployment.baseUrl}/docs/openapi.json`)).status).toBe(200);
  });

  it('merges a partner incident live without moving the selection or the filter text, then switches to Arabic', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(deployment.baseUrl)) external.push(request.url());
    });

    await page.goto(deployment.baseUrl);
    await page.locator('input[name=email]').fill(analyst.email);
    await page.locator('input[name=password]').fill(analyst.password);
    await page.locator('button[type=submit]').click();

    const rows = page.locator('[role=option]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    await page.locator('output[data-state=live]').waitFor({ timeout: 15_000 });

    // Select the middle row, then start typing a filter that still matches every row.
    const chosen = seeded[1];
    await page.locator(`[data-incident-id="${chosen}"]`).click();
    const filter = page.locator('input[name=filter]');
    await filter.click();
    await filter.pressSequentially('Corridor-e2');

    // A partner pushes a CLEAR incident by API; it arrives over the live feed, with no reload.
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: partner.key,
      body: incidentBody({ title: 'Corridor-e2e partner report', tlp: 'CLEAR' }),
    });
    expect(reply.status).toBe(201);
    await page.locator(`[data-incident-id="${reply.body.id}"]`).waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(4);

    const selected = page.locator('[role=option][aria-selected=true]');
    expect(await selected.count()).toBe(1);
    expect(await selected.getAttribute('data-incident-id')).toBe(chosen);
    expect(await filter.inputValue()).toBe('Corridor-e2');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('filter');

    // The resume point is kept for a reload: the greatest event id seen, under this person.
    const point = await page.evaluate((key) => sessionStorage.getItem(key), `corridor.live.${analyst.id}`);
    expect(JSON.parse(point ?? '{}').lastEventId).toMatch(/^\d+-\d+$/);

    // What the page lists is what REST lists for this person.
    const { accessToken } = await logIn(deployment.baseUrl, analyst);
    const listed = await call(deployment.baseUrl, 'GET', '/api/v1/incidents', { token: accessToken });
    const shown = await rows.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-incident-id')));
    expect(new Set(shown)).toEqual(new Set(listed.body.items.map((item: { id: string }) => item.id)));

    // Arabic: right-to-left, translated, remembered; indicator-like values stay left-to-right.
    await page.locator('select[name=language]').selectOption('ar');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await page.getByRole('heading', { name: 'الحوادث' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('corridor.language'))).toBe('ar');
    expect(await selected.getAttribute('data-incident-id')).toBe(chosen);
    expect(await filter.inputValue()).toBe('Corridor-e2');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-ar.png'), fullPage: true });

    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
