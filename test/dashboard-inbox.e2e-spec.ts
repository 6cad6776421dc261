import type { Browser, Page } from 'playwright-core';
import {
  call,
  createOrgAdmin,
  createOrganization,
  createPerson,
  incidentBody,
  launchChromium,
  logIn,
  openDashboard,
  screenshot,
  seriousAxeViolations,
  signIn,
  startDeployment,
  testIpv4,
  type Deployment,
  type Person,
  UI_WAIT_MS,
} from '@corridor/testing';

/**
 * The on-call inbox and the feed's filters, in real browsers against a real deployment: two people on
 * call in one organization see a partner's matching incident arrive as an alert, one acknowledges it
 * with the keyboard and the other's row changes without a reload; filters kept in the URL restrict
 * the list, keep out live rows that do not match, and survive a reload.
 */
describe('dashboard inbox and filters', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; key: string };
  let onCallA: Person;
  let onCallB: Person;
  let reader: Person;
  let browser: Browser;
  /** Our incident that the partner's first report will match, and the indicator they share. */
  const shared = testIpv4();
  let ourIncident: string;
  /** A second incident of ours and its indicator, for a second alert. */
  const sharedLater = `inbox-${Date.now().toString(36)}.corridor-test.org`;

  beforeAll(async () => {
    deployment = await startDeployment('dashboard-inbox');
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    const admin = await createOrgAdmin(deployment, ours.id);
    const { accessToken } = await logIn(deployment.baseUrl, admin);
    onCallA = await createPerson(deployment.baseUrl, accessToken, ['oncall'], { name: 'On call A' });
    onCallB = await createPerson(deployment.baseUrl, accessToken, ['oncall'], { name: 'On call B' });
    reader = await createPerson(deployment.baseUrl, accessToken, ['analyst'], { name: 'Analyst' });
    const first = await post(ours.key, { title: 'Inbox-e2e ours 1', indicators: [shared] });
    ourIncident = first.id;
    await post(ours.key, { title: 'Inbox-e2e ours 2', indicators: [sharedLater] });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  });

  async function post(key: string, body: Record<string, unknown>): Promise<{ id: string }> {
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', { token: key, body: incidentBody(body) });
    expect(reply.status).toBe(201);
    return reply.body;
  }

  async function restAlerts(person: Person): Promise<any[]> {
    const { accessToken } = await logIn(deployment.baseUrl, person);
    const reply = await call(deployment.baseUrl, 'GET', '/api/v1/alerts?limit=100', { token: accessToken });
    expect(reply.status).toBe(200);
    return reply.body.items;
  }

  /** Presses Tab until `selector` holds the focus (a person finding it with the keyboard). */
  async function tabTo(page: Page, selector: string, limit = 30): Promise<void> {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
    }
    throw new Error(`Tab never reached ${selector}`);
  }

  /** The correlation id of the inbox row that holds the focus. */
  const FOCUSED_ALERT = "document.activeElement?.getAttribute('data-correlation-id')";

  const shownAlerts = (page: Page) =>
    page
      .locator('.inbox-list > li')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-correlation-id') as string));

  it('alerts both people on call, and an acknowledgement by keyboard reaches the other one live', async () => {
    const a = await openDashboard(browser, deployment.baseUrl);
    const b = await openDashboard(browser, deployment.baseUrl);
    await signIn(a.page, onCallA);
    await signIn(b.page, onCallB);

    // A reaches the inbox with the keyboard only; B follows the link.
    await tabTo(a.page, 'nav a[href="/inbox"]');
    await a.page.keyboard.press('Enter');
    await a.page.waitForURL(/\/inbox$/);
    await b.page.getByRole('link', { name: /^Alerts/ }).click();
    for (const { page } of [a, b]) await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    // B's page must not reload from here on: a mark on its window would be lost.
    await b.page.evaluate('window.__sameDocument = true');

    // A partner reports the indicator (defanged) that our first incident carries.
    await post(partner.key, {
      title: 'Inbox-e2e partner report',
      tlp: 'CLEAR',
      indicators: [shared.replace(/\.(\d+)$/, '[.]$1')],
    });
    const rowOf = (page: Page) => page.locator('.inbox-list > li').first();
    for (const { page } of [a, b]) {
      await rowOf(page).waitFor({ timeout: UI_WAIT_MS });
      expect(await rowOf(page).getAttribute('data-acknowledged')).toBe('false');
      expect(await rowOf(page).textContent()).toContain(shared);
      expect(await rowOf(page).textContent()).toContain('Inbox-e2e partner report');
      await page.locator('nav a[href="/inbox"][data-unacknowledged="1"]').waitFor();
    }
    const [alert] = await restAlerts(onCallA);
    expect(alert.yourIncidentId).toBe(ourIncident);
    expect(await shownAlerts(a.page)).toEqual([alert.id]);
    expect(await shownAlerts(b.page)).toEqual([alert.id]);

    // A: Tab into the list (one tab stop), `a` acknowledges the focused alert.
    const acks: string[] = [];
    a.page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().includes('/ack')) acks.push(new URL(request.url()).pathname);
    });
    await tabTo(a.page, `.inbox-list > li[data-correlation-id="${alert.id}"]`);
    await a.page.keyboard.press('a');
    await a.page.locator(`li[data-correlation-id="${alert.id}"][data-acknowledged=true]`).waitFor();
    expect(await rowOf(a.page).textContent()).toContain('Acknowledged by you');
    expect(acks).toEqual([`/api/v1/correlations/${alert.id}/ack`]);

    // B: the same row, in place, worded for a colleague; the count is gone; no reload happened.
    await b.page.locator(`li[data-correlation-id="${alert.id}"][data-acknowledged=true]`).waitFor({ timeout: 15_000 });
    expect(await rowOf(b.page).textContent()).toContain('Acknowledged by a colleague');
    await b.page.locator('nav a[href="/inbox"][data-unacknowledged="0"]').waitFor();
    expect(await b.page.evaluate('window.__sameDocument')).toBe(true);
    const [stored] = await restAlerts(onCallB);
    expect(stored.acknowledged.by).toBe(onCallA.id);

    // A second alert arrives on top of B's list; B's selection stays on the row B chose.
    await rowOf(b.page).click();
    expect(await b.page.locator('li[aria-current=true]').getAttribute('data-correlation-id')).toBe(alert.id);
    await post(partner.key, { title: 'Inbox-e2e second partner report', tlp: 'CLEAR', indicators: [sharedLater] });
    await b.page.locator('.inbox-list > li').nth(1).waitFor({ timeout: UI_WAIT_MS });
    const order = await shownAlerts(b.page);
    expect(order).toHaveLength(2);
    expect(order[1]).toBe(alert.id);
    expect(await b.page.locator('li[aria-current=true]').getAttribute('data-correlation-id')).toBe(alert.id);
    expect(await b.page.evaluate(FOCUSED_ALERT)).toBe(alert.id);
    await b.page.locator('nav a[href="/inbox"][data-unacknowledged="1"]').waitFor();
    // What both pages list is what REST lists, in the same order.
    expect(order).toEqual((await restAlerts(onCallB)).map((item) => item.id));

    // Arrow keys move B's selection to the new alert; Enter opens its incident.
    await b.page.keyboard.press('ArrowUp');
    expect(await b.page.evaluate(FOCUSED_ALERT)).toBe(order[0]);
    await b.page.keyboard.press('Enter');
    await b.page.waitForURL(/\/incidents\//);

    await screenshot(a.page, 'inbox-en');
    for (const { context, problems, external } of [a, b]) {
      expect(problems).toEqual([]);
      expect(external).toEqual([]);
      await context.close();
    }
  }, 180_000);

  it('shows the alerts read-only to an analyst, who cannot acknowledge them', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    await signIn(page, reader);
    await page.getByRole('link', { name: /^Alerts/ }).click();
    await page.locator('.inbox-list > li').first().waitFor();
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(request.url());
    });
    // No acknowledgement; an analyst (incidents:write) may still mark an alert a false positive.
    expect(await page.locator('.inbox-list button', { hasText: 'Acknowledge' }).count()).toBe(0);
    expect(await page.locator('.inbox-list button', { hasText: 'Mark as false positive' }).count()).toBe(
      await page.locator('.inbox-list > li').count(),
    );
    expect(await page.locator('.hint').textContent()).toContain('on-call staff');
    await page.locator('.inbox-list > li').first().focus();
    await page.keyboard.press('a');
    await page.waitForTimeout(300);
    expect(posts).toEqual([]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('select[name=language]').selectOption('ar');
    await page.getByRole('heading', { name: 'التنبيهات' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('keeps the filters in the URL: they restrict the list, keep out live rows that do not match, and survive a reload', async () => {
    const tag = `Filter-e2e-${Date.now().toString(36)}`;
    await post(ours.key, {
      title: `${tag} critical malware`,
      severity: 'critical',
      tlp: 'AMBER',
      classification: { class: 'malicious-code', type: 'c2-server' },
    });
    await post(ours.key, {
      title: `${tag} critical green`,
      severity: 'critical',
      tlp: 'GREEN',
      classification: { class: 'malicious-code', type: 'c2-server' },
    });
    await post(ours.key, {
      title: `${tag} low fraud`,
      severity: 'low',
      tlp: 'AMBER',
      classification: { class: 'fraud', type: 'phishing' },
    });

    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, onCallA);
    await page.locator('[role=option]').first().waitFor();
    await page.locator('select[name=severity]').selectOption('critical');
    await page.locator('select[name=tlp]').selectOption('AMBER');
    const filter = page.locator('input[name=filter]');
    await filter.fill(tag);
    await page.waitForURL((url) => url.searchParams.get('q') === tag);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toEqual({ severity: 'critical', tlp: 'AMBER', q: tag });

    const titles = () =>
      page.locator('[role=option] .title').evaluateAll((nodes) => nodes.map((node) => node.textContent));
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('[role=option]').length === n, 1);
    expect(await titles()).toEqual([`${tag} critical malware`]);
    // The API applied severity and text; TLP, not a list filter of the API, was applied on the page.
    const { accessToken } = await logIn(deployment.baseUrl, onCallA);
    const listed = await call(deployment.baseUrl, 'GET', `/api/v1/incidents?severity=critical&q=${tag}`, {
      token: accessToken,
    });
    expect(listed.body.items.filter((item: any) => item.tlp === 'AMBER').map((item: any) => item.title)).toEqual(
      await titles(),
    );

    // Live: a report that fails a filter stays out, one that matches them all comes in; the typed text stays.
    await filter.pressSequentially(' crit');
    await post(ours.key, { title: `${tag} critical but green`, severity: 'critical', tlp: 'GREEN' });
    await post(ours.key, { title: `${tag} low amber`, severity: 'low', tlp: 'AMBER' });
    const matching = await post(ours.key, { title: `${tag} critical amber live`, severity: 'critical', tlp: 'AMBER' });
    await page.locator(`[data-incident-id="${matching.id}"]`).waitFor({ timeout: 15_000 });
    expect((await titles()).sort()).toEqual([`${tag} critical amber live`, `${tag} critical malware`]);
    expect(await filter.inputValue()).toBe(`${tag} crit`);
    await filter.fill(tag);
    await page.waitForTimeout(500);

    // A reload asks to sign in again and comes back to the same filtered list.
    const before = page.url();
    await page.reload();
    await signIn(page, onCallA);
    expect(page.url()).toBe(before);
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('[role=option]').length === n, 2);
    expect((await titles()).sort()).toEqual([`${tag} critical amber live`, `${tag} critical malware`]);
    expect(await page.locator('select[name=severity]').inputValue()).toBe('critical');
    expect(await page.locator('select[name=tlp]').inputValue()).toBe('AMBER');
    expect(await filter.inputValue()).toBe(tag);

    // The filters are kept while another page is shown, and cleared at once.
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('link', { name: 'Incidents' }).click();
    expect(page.url()).toBe(before);
    // Workflow status and "assigned to me" are the API's filters: nothing here is triaged or assigned.
    await page.locator('select[name=status]').selectOption('triaged');
    await page.waitForURL((u) => u.searchParams.get('status') === 'triaged');
    await page.getByText('No incidents match these filters.').waitFor();
    await page.locator('select[name=status]').selectOption('new');
    await page.locator('input[name=assignee]').check();
    await page.waitForURL((u) => u.searchParams.get('assignee') === 'me' && u.searchParams.get('status') === 'new');
    await page.getByText('No incidents match these filters.').waitFor();
    await page.locator('input[name=assignee]').uncheck();
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('[role=option]').length === n, 2);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.waitForURL((u) => u.search === '');
    expect(await filter.inputValue()).toBe('');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('puts the navigation on the inline start: left in English, right in Arabic and Urdu', async () => {
    const { context, page } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, onCallA);
    /** The left edges of the navigation and of the main content. */
    const sides = () =>
      page.evaluate<{ navLeft: number; mainLeft: number }>(`({
        navLeft: document.querySelector('nav.side').getBoundingClientRect().left,
        mainLeft: document.querySelector('main').getBoundingClientRect().left,
      })`);
    const english = await sides();
    expect(english.navLeft).toBeLessThan(english.mainLeft);
    for (const language of ['ar', 'ur']) {
      await page.locator('select[name=language]').selectOption(language);
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      const mirrored = await sides();
      expect(mirrored.navLeft).toBeGreaterThan(mirrored.mainLeft);
    }
    await screenshot(page, 'feed-ur');
    await page.locator('select[name=language]').selectOption('en');
    await context.close();
  });
});
