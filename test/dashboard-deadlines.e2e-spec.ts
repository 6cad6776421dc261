import { randomBytes } from 'node:crypto';
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
  type Deployment,
  type Person,
  UI_WAIT_MS,
} from '@corridor/testing';

type Milestone = { key: string; due: string; status: string; completedAt: string | null };
type Item = { incidentId: string; milestone: string; status: string; due: string; mayComplete: boolean };

const HOUR = 3_600_000;

/**
 * The dashboard's deadlines page, in a real browser against a real deployment (DEADLINE_SOON_HOURS 48):
 * our AMBER incident, aware 30 hours ago, has its NIS2 early warning overdue by 6 hours and its
 * notification due in 42; a partner's CLEAR incident is listed to us without a button. The page
 * shows each with its status, filters by status, marks a milestone done (it leaves the overdue list,
 * and REST says it is done), shows the api's refusal, and follows a change made elsewhere without a
 * reload. The partner's people never see our incident's deadlines. Axe finds nothing serious in English
 * and Arabic, and the Arabic page is laid out right-to-left.
 */
describe('dashboard: deadlines', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; key: string };
  let analyst: Person;
  let analystToken: string;
  let partnerAnalyst: Person;
  let browser: Browser;
  const run = randomBytes(3).toString('hex');
  const title = `Corridor-e2e grid outage ${run}`;
  const partnerTitle = `Corridor-e2e partner outage ${run}`;
  const laterTitle = `Corridor-e2e aware later ${run}`;
  let incidentId = '';
  let partnerIncidentId = '';
  let laterIncidentId = '';

  const text = (value: string | null) => value?.replace(/[\u2068\u2069]/g, '').trim();
  const submit = async (key: string, incidentTitle: string, tlp: string) => {
    const created = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: key,
      body: incidentBody({ title: incidentTitle, tlp }),
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const setDeadlines = async (token: string, id: string, awareAt: Date) => {
    const set = await call(deployment.baseUrl, 'PUT', `/api/v1/incidents/${id}/deadlines`, {
      token,
      body: { profileId: 'nis2', awareAt: awareAt.toISOString() },
    });
    expect(set.status).toBe(200);
    return set.body.milestones as Milestone[];
  };
  const milestones = async (id: string) =>
    (await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${id}/deadlines`, { token: analystToken })).body
      .milestones as Milestone[];
  const listed = async (status?: string) =>
    (
      await call(deployment.baseUrl, 'GET', `/api/v1/deadlines${status ? `?status=${status}` : ''}`, {
        token: analystToken,
      })
    ).body.items as Item[];
  const row = (page: Page, id: string, milestone: string) =>
    page.locator(`tr.deadline[data-incident-id="${id}"][data-milestone="${milestone}"]`);
  const openDeadlines = async (person: Person) => {
    const opened = await openDashboard(browser, deployment.baseUrl);
    await signIn(opened.page, person);
    await opened.page.locator('nav.side a[href="/deadlines"]').click();
    await opened.page.getByRole('heading', { name: 'Regulatory deadlines', level: 1 }).waitFor();
    return opened;
  };

  beforeAll(async () => {
    deployment = await startDeployment('dashboard-deadlines', { DEADLINE_SOON_HOURS: '48' });
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    const admin = await createOrgAdmin(deployment, ours.id);
    const adminToken = (await logIn(deployment.baseUrl, admin)).accessToken;
    analyst = await createPerson(deployment.baseUrl, adminToken, ['analyst'], { name: 'Sana Analyst' });
    analystToken = (await logIn(deployment.baseUrl, analyst)).accessToken;
    const partnerAdmin = await createOrgAdmin(deployment, partner.id);
    const partnerAdminToken = (await logIn(deployment.baseUrl, partnerAdmin)).accessToken;
    partnerAnalyst = await createPerson(deployment.baseUrl, partnerAdminToken, ['analyst'], { name: 'Faisal' });
    const partnerToken = (await logIn(deployment.baseUrl, partnerAnalyst)).accessToken;

    // Ours, AMBER (the partner may not see it): aware 30 h ago, so the early warning (24 h) is overdue
    // by 6 h and the notification (72 h) due in 42 h, within the 48-hour window.
    incidentId = await submit(ours.key, title, 'AMBER');
    const set = await setDeadlines(analystToken, incidentId, new Date(Date.now() - 30 * HOUR));
    expect(set.map((m) => [m.key, m.status])).toEqual([
      ['early-warning', 'overdue'],
      ['incident-notification', 'due-soon'],
      ['final-report', 'pending'],
    ]);
    // The partner's, CLEAR (we see it; only the partner completes its milestones).
    partnerIncidentId = await submit(partner.key, partnerTitle, 'CLEAR');
    await setDeadlines(partnerToken, partnerIncidentId, new Date(Date.now() - HOUR));
    laterIncidentId = await submit(ours.key, laterTitle, 'AMBER');
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  }, 180_000);

  it('lists the milestones by status, soonest first, with the due time in the reader’s words', async () => {
    const { context, page, problems, external } = await openDeadlines(analyst);
    const early = row(page, incidentId, 'early-warning');
    await early.waitFor({ timeout: UI_WAIT_MS });
    const rest = await milestones(incidentId);

    expect(await early.getAttribute('data-status')).toBe('overdue');
    expect(await page.locator('section.deadline-group[data-status=overdue]').locator(early).count()).toBe(1);
    expect(text(await early.locator('a').textContent())).toBe(title);
    expect(await early.locator('a').getAttribute('href')).toBe(`/incidents/${incidentId}`);
    expect(text(await early.locator('.deadline-label').textContent())).toBe('Early warning');
    expect(text(await early.locator('.deadline-status').textContent())).toBe('Overdue');
    expect(text(await early.locator('.deadline-relative').textContent())).toBe('overdue by 6 hours');
    expect(await early.locator('time').getAttribute('datetime')).toBe(rest[0].due);

    const notification = row(page, incidentId, 'incident-notification');
    expect(await notification.getAttribute('data-status')).toBe('due-soon');
    expect(text(await notification.locator('.deadline-status').textContent())).toBe('Due soon');
    expect(text(await notification.locator('.deadline-relative').textContent())).toMatch(/^in 4[12] hours$/);
    expect(await row(page, incidentId, 'final-report').getAttribute('data-status')).toBe('pending');
    expect(text(await row(page, incidentId, 'final-report').locator('.deadline-status').textContent())).toBe(
      'Not yet due',
    );

    // Overdue, then due soon, then the rest; each group soonest first.
    expect(
      await page
        .locator('section.deadline-group')
        .evaluateAll((groups) => groups.map((group) => group.getAttribute('data-status'))),
    ).toEqual(['overdue', 'due-soon', 'pending']);
    for (const status of ['overdue', 'due-soon', 'pending']) {
      const dues = await page
        .locator(`section.deadline-group[data-status=${status}] tr.deadline time`)
        .evaluateAll((times) => times.map((time) => time.getAttribute('datetime') ?? ''));
      expect(dues.length).toBeGreaterThan(0);
      expect(dues).toEqual([...dues].sort((a, b) => Date.parse(a) - Date.parse(b)));
    }

    // Ours may be marked done; the partner's, which we only see, may not (the api says so per row).
    expect(await early.getByRole('button', { name: 'Mark done' }).count()).toBe(1);
    const theirs = row(page, partnerIncidentId, 'early-warning');
    expect(await theirs.getAttribute('data-status')).toBe('due-soon');
    expect(text(await theirs.locator('a').textContent())).toBe(partnerTitle);
    expect(await theirs.getByRole('button').count()).toBe(0);
    const items = await listed();
    expect(items.find((i) => i.incidentId === partnerIncidentId)?.mayComplete).toBe(false);
    expect(items.find((i) => i.incidentId === incidentId)?.mayComplete).toBe(true);

    // Filtering by status: the URL keeps it, the list holds only that status.
    await page.locator('select[name=status]').selectOption('overdue');
    await page.waitForURL(/\?status=overdue$/);
    // The filter's own answer on screen (a new filter shows nothing until it is read).
    await page.locator('.deadlines .count').getByText('1 open milestone', { exact: true }).waitFor();
    expect(await early.count()).toBe(1);
    expect(await page.locator('tr.deadline:not([data-status=overdue])').count()).toBe(0);

    await page.locator('select[name=status]').selectOption('due-soon');
    await row(page, incidentId, 'incident-notification').waitFor({ timeout: UI_WAIT_MS });
    expect(await early.count()).toBe(0);
    expect(await theirs.count()).toBe(1);
    expect(await page.locator('tr.deadline:not([data-status=due-soon])').count()).toBe(0);

    await page.locator('select[name=status]').selectOption('all');
    await early.waitFor({ timeout: UI_WAIT_MS });
    expect(new URL(page.url()).search).toBe('');
    await screenshot(page, 'deadlines-en');

    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('marks a milestone done: it leaves the overdue list, and REST says it is done', async () => {
    const { context, page, problems } = await openDeadlines(analyst);
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    await page.locator('select[name=status]').selectOption('overdue');
    const early = row(page, incidentId, 'early-warning');
    await early.waitFor({ timeout: UI_WAIT_MS });
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
    });

    await early.getByRole('button', { name: 'Mark done' }).click();
    await early.waitFor({ state: 'detached', timeout: UI_WAIT_MS });
    expect(posts).toEqual([`/api/v1/incidents/${incidentId}/deadlines/early-warning/complete`]);
    const stored = await milestones(incidentId);
    expect(stored[0]).toMatchObject({ key: 'early-warning', status: 'done' });
    expect(stored[0].completedAt).not.toBeNull();
    expect((await listed('overdue')).some((i) => i.incidentId === incidentId)).toBe(false);
    expect(await page.locator('.deadline-error').count()).toBe(0);

    // The whole list: the notification is still open, the early warning is not.
    await page.locator('select[name=status]').selectOption('all');
    const notification = row(page, incidentId, 'incident-notification');
    await notification.waitFor({ timeout: UI_WAIT_MS });
    expect(await early.count()).toBe(0);

    // Completed elsewhere (by REST): the open page follows without a reload.
    const done = await call(
      deployment.baseUrl,
      'POST',
      `/api/v1/incidents/${incidentId}/deadlines/incident-notification/complete`,
      { token: analystToken, body: {} },
    );
    expect(done.status).toBe(200);
    await notification.waitFor({ state: 'detached', timeout: UI_WAIT_MS });
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('says why the api refused to mark a milestone done', async () => {
    // Aware a few minutes from now (as far ahead as the clock skew allows): nothing of it can be
    // completed before then, so the api refuses.
    await setDeadlines(analystToken, laterIncidentId, new Date(Date.now() + 4 * 60_000));
    const { context, page, problems } = await openDeadlines(analyst);
    const early = row(page, laterIncidentId, 'early-warning');
    await early.waitFor({ timeout: UI_WAIT_MS });
    await early.getByRole('button', { name: 'Mark done' }).click();
    const error = page.locator('.deadline-error[role=alert]');
    await error.waitFor({ timeout: UI_WAIT_MS });
    expect(text(await error.textContent())).toBe(
      `“Early warning” of “${laterTitle}” was not marked done: must not be before awareAt`,
    );
    // Nothing changed: the row stays, and REST says it is open.
    expect(await early.count()).toBe(1);
    expect((await milestones(laterIncidentId))[0]).toMatchObject({ key: 'early-warning', completedAt: null });
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('shows a partner’s people their own deadlines and none of an incident they may not see', async () => {
    const { context, page, problems } = await openDeadlines(partnerAnalyst);
    const own = row(page, partnerIncidentId, 'early-warning');
    await own.waitFor({ timeout: UI_WAIT_MS });
    expect(await own.getByRole('button', { name: 'Mark done' }).count()).toBe(1);
    // Each filter once its answer is on screen: the partner's own early warning is due soon, nothing overdue.
    for (const filter of ['all', 'overdue', 'due-soon']) {
      await page.locator('select[name=status]').selectOption(filter);
      if (filter === 'overdue')
        await page.getByText('No open milestone in this view.').waitFor({ timeout: UI_WAIT_MS });
      else await own.waitFor({ timeout: UI_WAIT_MS });
      expect(await page.locator(`tr.deadline[data-incident-id="${incidentId}"]`).count()).toBe(0);
      expect(await page.locator(`tr.deadline[data-incident-id="${laterIncidentId}"]`).count()).toBe(0);
      expect(await page.getByText(title).count()).toBe(0);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('passes axe in English and Arabic (right-to-left), and speaks Urdu', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    for (const language of ['en', 'ar', 'ur'] as const) {
      await page.goto(`${deployment.baseUrl}/deadlines`);
      await page.locator('select[name=language]').selectOption(language);
      await signIn(page, analyst);
      const theirs = row(page, partnerIncidentId, 'early-warning');
      await theirs.waitFor({ timeout: UI_WAIT_MS });
      if (language !== 'ur') expect(await seriousAxeViolations(page)).toEqual([]);
      if (language !== 'en') expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      if (language === 'ar') {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('المواعيد النهائية التنظيمية');
        expect(text(await theirs.locator('.deadline-status').textContent())).toBe('تستحق قريبًا');
        expect(text(await theirs.locator('.deadline-relative').textContent())).toMatch(/^خلال .*ساعة$/);
        // The navigation stands at the inline start: on the right.
        const nav = await page.locator('nav.side').boundingBox();
        const main = await page.locator('main').boundingBox();
        expect(nav!.x).toBeGreaterThan(main!.x);
        await screenshot(page, 'deadlines-ar');
      }
      if (language === 'ur') {
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('ضابطہ جاتی آخری تاریخیں');
        expect(text(await theirs.locator('.deadline-relative').textContent())).toMatch(/گھنٹے میں$/);
      }
      await page.locator('header button').last().click();
      await page.locator('input[name=email]').waitFor();
    }
    expect(problems).toEqual([]);
    await context.close();
  });
});
