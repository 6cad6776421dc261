import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import {
  call,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  launchChromium,
  logIn,
  openDashboard,
  screenshot,
  seriousAxeViolations,
  signIn,
  startDeployment,
  testDomain,
  waitFor,
  type Deployment,
  type Person,
  UI_WAIT_MS,
} from '@corridor/testing';

/** Above this many incidents a value stops correlating (set low for this suite). */
const HOT_THRESHOLD = 3;

/**
 * The dashboard's false-positive action and over-correlating values, in a real browser against a
 * real deployment: each correlation says its kind and strength; an analyst marks one as a false
 * positive for their organization and takes the mark back, and the api holds what the page shows;
 * the overview lists the values carried by more incidents than the hot threshold.
 */
describe('dashboard: false positives and over-correlating values', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; key: string };
  let analyst: Person;
  let token: string;
  let browser: Browser;
  const run = randomBytes(3).toString('hex');
  const net = `45.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  /** Ours carries the range and the domain; the partner's CLEAR incident an address in it and the same domain. */
  const range = `${net}.0/24`;
  const address = `${net}.8`;
  const shared = testDomain('fp');
  /** Carried by five incidents: over the threshold of three. */
  const hot = `47.${randomBytes(1)[0]}.${randomBytes(1)[0]}.9`;
  const ids = { ours: '', partner: '', hot: [] as string[] };
  const titles = { ours: `Corridor-e2e credential theft ${run}`, partner: `Corridor-e2e partner scan ${run}` };
  const correlations = { exact: '', inRange: '' };

  const submit = async (key: string, body: Record<string, unknown>) => {
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', { token: key, body: incidentBody(body) });
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };
  const detail = async (id: string) =>
    (await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${id}`, { token })).body as {
      state: string;
      correlations: Array<{ id: string; kind: string; strength: string }>;
      falsePositives: Array<{ correlationId: string; by: string; at: string }>;
      indicators: Array<{ value: string; hot: number | null }>;
    };
  const alertIds = async () =>
    (
      (await call(deployment.baseUrl, 'GET', '/api/v1/alerts?limit=200', { token })).body.items as Array<{ id: string }>
    ).map((alert) => alert.id);

  beforeAll(async () => {
    deployment = await startDeployment('dashboard-false-positive', {
      CORRELATION_HOT_THRESHOLD: String(HOT_THRESHOLD),
    });
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    analyst = await createOrgAdmin(deployment, ours.id, { roles: ['org-admin', 'analyst'], name: 'Triage analyst' });
    token = (await logIn(deployment.baseUrl, analyst)).accessToken;

    ids.ours = await submit(ours.key, { title: titles.ours, tlp: 'GREEN', indicators: [range, shared] });
    ids.partner = await submit(partner.key, { title: titles.partner, tlp: 'CLEAR', indicators: [address, shared] });
    await waitFor(async () => (await detail(ids.ours)).correlations.length === 2, 30_000, 'our incident correlated');
    const found = (await detail(ids.ours)).correlations;
    correlations.exact = found.find((c) => c.kind === 'exact')!.id;
    correlations.inRange = found.find((c) => c.kind === 'ip-in-cidr')!.id;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  }, 180_000);

  /** The false-positive requests a page sent: method and correlation id. */
  const falsePositiveCalls = (page: Page) => {
    const calls: string[] = [];
    page.on('request', (request) => {
      const match = /\/api\/v1\/correlations\/([^/]+)\/false-positive$/.exec(new URL(request.url()).pathname);
      if (match) calls.push(`${request.method()} ${decodeURIComponent(match[1])}`);
    });
    return calls;
  };

  it('shows kind and strength, marks a correlation as a false positive for the organization, and takes it back', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    const calls = falsePositiveCalls(page);
    await page.goto(`${deployment.baseUrl}/incidents/${ids.ours}`);
    await signIn(page, analyst);
    await page.getByRole('heading', { name: titles.ours }).waitFor();

    const exact = page.locator(`ul.correlations li[data-correlation-id="${correlations.exact}"]`);
    const inRange = page.locator(`ul.correlations li[data-correlation-id="${correlations.inRange}"]`);
    expect(await exact.locator('.correlation-kind').textContent()).toBe('(same value; strong match)');
    expect(await inRange.locator('.correlation-kind').textContent()).toBe('(address in a range; medium match)');
    // The partner's incident is CLEAR: its address, the other side of the range, is shown.
    expect(await inRange.locator('bdi.value').allTextContents()).toEqual([range, address]);
    expect(await inRange.getAttribute('data-false-positive')).toBe('false');

    await inRange.getByRole('button', { name: 'Mark as false positive' }).click();
    await page
      .locator(`ul.correlations li[data-correlation-id="${correlations.inRange}"][data-false-positive=true]`)
      .waitFor();
    await inRange.locator('.false-positive-mark', { hasText: 'You marked this as a false positive' }).waitFor();
    await inRange.getByRole('button', { name: 'Not a false positive' }).waitFor();
    expect(calls).toEqual([`POST ${correlations.inRange}`]);
    // The other correlation is untouched.
    expect(await exact.getAttribute('data-false-positive')).toBe('false');

    // The api holds the mark for our organization: on the incident, and the alert left the inbox.
    expect((await detail(ids.ours)).falsePositives).toEqual([
      { correlationId: correlations.inRange, by: analyst.id, at: expect.any(String) },
    ]);
    expect(await alertIds()).not.toContain(correlations.inRange);
    expect(await alertIds()).toContain(correlations.exact);

    // Read again from the api (a reload asks to sign in again), the page still shows it marked.
    await page.reload();
    await signIn(page, analyst);
    await page.getByRole('heading', { name: titles.ours }).waitFor();
    await inRange.locator('.false-positive-mark').waitFor();
    expect(await inRange.getAttribute('data-false-positive')).toBe('true');
    await screenshot(page, 'incident-false-positive-en');

    // The toggle takes the mark back.
    await inRange.getByRole('button', { name: 'Not a false positive' }).click();
    await inRange.getByRole('button', { name: 'Mark as false positive' }).waitFor();
    expect(await inRange.getAttribute('data-false-positive')).toBe('false');
    expect(await inRange.locator('.false-positive-mark').count()).toBe(0);
    expect(calls).toEqual([`POST ${correlations.inRange}`, `DELETE ${correlations.inRange}`]);
    expect((await detail(ids.ours)).falsePositives).toEqual([]);
    expect(await alertIds()).toContain(correlations.inRange);

    // A refusal is said beside the button, and nothing is shown as marked.
    await page.route(`**/api/v1/correlations/${correlations.exact}/false-positive`, (route) =>
      route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'forbidden', message: 'refused for the test', details: {} } }),
      }),
    );
    await exact.getByRole('button', { name: 'Mark as false positive' }).click();
    await exact.getByRole('alert').filter({ hasText: 'The mark could not be saved. Try again.' }).waitFor();
    expect(await exact.getAttribute('data-false-positive')).toBe('false');
    expect((await detail(ids.ours)).falsePositives).toEqual([]);
    await page.unroute(`**/api/v1/correlations/${correlations.exact}/false-positive`);

    // On the partner's incident our organization is told of the match, but the action is not ours there.
    await page.locator(`a[href="/incidents/${ids.partner}"]`).first().click();
    await page.getByRole('heading', { name: titles.partner }).waitFor();
    await page.locator('ul.correlations li').first().waitFor();
    expect(await page.getByRole('button', { name: 'Mark as false positive' }).count()).toBe(0);

    expect(external).toEqual([]);
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    await context.close();
  });

  it('marks an alert as a false positive from the inbox: it leaves the list, and Undo brings it back', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    const calls = falsePositiveCalls(page);
    await signIn(page, analyst);
    await page.getByRole('link', { name: /^Alerts/ }).click();
    const row = page.locator(`.inbox-list li[data-correlation-id="${correlations.inRange}"]`);
    await row.waitFor({ timeout: UI_WAIT_MS });
    await row.click();
    await row.getByRole('button', { name: 'Mark as false positive' }).click();
    await page.getByText('Marked as a false positive for your organization: the alert left the list.').waitFor();
    await row.waitFor({ state: 'detached' });
    await page.locator(`.inbox-list li[data-correlation-id="${correlations.exact}"]`).waitFor();
    expect(calls).toEqual([`POST ${correlations.inRange}`]);
    expect((await detail(ids.ours)).falsePositives.map((mark) => mark.correlationId)).toEqual([correlations.inRange]);
    expect(await alertIds()).not.toContain(correlations.inRange);

    await page.getByRole('button', { name: 'Undo' }).click();
    await row.waitFor();
    expect(calls).toEqual([`POST ${correlations.inRange}`, `DELETE ${correlations.inRange}`]);
    expect((await detail(ids.ours)).falsePositives).toEqual([]);
    expect(await alertIds()).toContain(correlations.inRange);
    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists the values over the hot threshold on the overview, with their type and count', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    await page.getByRole('link', { name: 'Overview' }).click();
    const panel = page.locator('[data-panel="hot-values"]');
    await panel.getByText('No value is over-correlating.').waitFor({ timeout: UI_WAIT_MS });
    expect(await panel.locator('[data-threshold]').getAttribute('data-threshold')).toBe(String(HOT_THRESHOLD));
    await panel.getByText('Values carried by more than 3 incidents no longer correlate or raise alerts.').waitFor();

    // Five incidents, of both organizations, carry one address: past three, it stops correlating.
    for (const key of [ours.key, partner.key, ours.key, partner.key, ours.key]) {
      ids.hot.push(await submit(key, { title: `Corridor-e2e resolver noise ${run}`, tlp: 'GREEN', indicators: [hot] }));
    }
    const last = ids.hot.at(-1)!;
    await waitFor(async () => (await detail(last)).state === 'correlated', 30_000, 'the fifth incident processed');
    const listed = (await call(deployment.baseUrl, 'GET', '/api/v1/indicators/hot', { token })).body;
    expect(listed).toEqual({ threshold: HOT_THRESHOLD, items: [{ type: 'ipv4', value: hot, incidents: 5 }] });

    await page.reload();
    await signIn(page, analyst);
    const row = panel.locator(`tr[data-indicator="${hot}"]`);
    await row.waitFor({ timeout: UI_WAIT_MS });
    expect(await row.locator('td, th').allTextContents()).toEqual(['ipv4', hot, '5']);
    expect(await panel.getByText('No value is over-correlating.').count()).toBe(0);

    // The incident page says it of the indicator too.
    await page.goto(`${deployment.baseUrl}/incidents/${last}`);
    await signIn(page, analyst);
    const note = page.locator('table.indicators tr', { hasText: hot }).locator('.warnings .hot');
    await note.waitFor({ timeout: UI_WAIT_MS });
    expect(await note.textContent()).toBe('Over-correlating: in 5 incidents, no longer correlated');
    expect(await page.locator('ul.correlations li').count()).toBe(0);

    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('passes axe on the incident page with a marked correlation, the overview and the inbox, in English and Arabic', async () => {
    const marked = await call(deployment.baseUrl, 'POST', `/api/v1/correlations/${correlations.exact}/false-positive`, {
      token,
    });
    expect(marked.status).toBe(200);
    // axe is injected as a script: this context alone bypasses the page's policy.
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    const texts = {
      en: { mark: 'You marked this as a false positive', hot: 'Over-correlating values' },
      ar: { mark: 'وسمتَ هذا الارتباط كإيجابية كاذبة', hot: 'قيم مفرطة الارتباط' },
    };
    for (const language of ['en', 'ar'] as const) {
      await page.goto(`${deployment.baseUrl}/incidents/${ids.ours}`);
      await page.locator('select[name=language]').selectOption(language);
      await signIn(page, analyst);
      const exact = page.locator(`ul.correlations li[data-correlation-id="${correlations.exact}"]`);
      await exact.locator('.false-positive-mark', { hasText: texts[language].mark }).waitFor();
      await page.locator('ol.timeline li').first().waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (language === 'ar') {
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
        expect(await exact.locator('.correlation-kind').textContent()).toBe('(القيمة نفسها؛ تطابق قوي)');
        await screenshot(page, 'incident-false-positive-ar');
      }

      await page.locator('nav.side a[href="/overview"]').click();
      const panel = page.locator('[data-panel="hot-values"]');
      await panel.getByRole('heading', { name: texts[language].hot }).waitFor({ timeout: UI_WAIT_MS });
      await panel.locator(`tr[data-indicator="${hot}"]`).waitFor();
      await page.locator('.overview-grid').waitFor({ timeout: UI_WAIT_MS });
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (language === 'ar') await screenshot(page, 'hot-values-ar');

      // The inbox, with its false-positive buttons (the marked alert is not in it).
      await page.locator('nav.side a[href="/inbox"]').click();
      await page
        .locator(`.inbox-list li[data-correlation-id="${correlations.inRange}"]`)
        .waitFor({ timeout: UI_WAIT_MS });
      expect(await page.locator(`.inbox-list li[data-correlation-id="${correlations.exact}"]`).count()).toBe(0);
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
