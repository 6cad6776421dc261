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

type Rule = {
  id: string;
  name: string;
  enabled: boolean;
  trigger: Record<string, unknown>;
  targets: Record<string, unknown>;
  maxTlp: string;
};
type RuleAlert = {
  id: string;
  state: string;
  incident: { id: string; title: string } | null;
  acknowledged: { by: string; at: string } | null;
};

/**
 * The dashboard's on-call pages, in a real browser against a real deployment: an org-admin adds a
 * notification rule through the form (the api's refusals shown beside their fields first); a partner's
 * CLEAR critical incident raises an alert that appears live on two on-call people's open pages, one of
 * whom is paged and told so; they acknowledge it with the keyboard (through the socket), and the
 * other's page shows it acknowledged, by name, without a reload; axe finds nothing serious in English
 * and Arabic, and the Arabic page is laid out right-to-left.
 */
describe('dashboard: on call', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; key: string };
  let admin: Person;
  let adminToken: string;
  /** The first on-call person's: the org-admin alone reads no alerts. */
  let readerToken: string;
  let first: Person;
  let second: Person;
  let policyId: string;
  let browser: Browser;
  const run = randomBytes(3).toString('hex');
  const ruleName = `Critical to the night desk ${run}`;
  const title = `Corridor-e2e critical outage ${run}`;
  let alertId = '';

  const rules = async () =>
    (await call(deployment.baseUrl, 'GET', '/api/v1/notification-rules', { token: adminToken })).body.items as Rule[];
  const alerts = async () =>
    (await call(deployment.baseUrl, 'GET', '/api/v1/oncall/alerts?limit=100', { token: readerToken })).body
      .items as RuleAlert[];
  const text = (value: string | null) => value?.replace(/[\u2068\u2069]/g, '').trim();
  const openOnCall = async (person: Person) => {
    const opened = await openDashboard(browser, deployment.baseUrl);
    await signIn(opened.page, person);
    await opened.page.locator('nav.side a[href="/oncall"]').click();
    await opened.page.getByRole('heading', { name: 'On call', level: 1 }).waitFor();
    await opened.page.locator('.oncall-now [data-user-id]').first().waitFor({ timeout: UI_WAIT_MS });
    return opened;
  };

  beforeAll(async () => {
    deployment = await startDeployment('dashboard-oncall');
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    admin = await createOrgAdmin(deployment, ours.id, { name: 'Rota admin' });
    adminToken = (await logIn(deployment.baseUrl, admin)).accessToken;
    first = await createPerson(deployment.baseUrl, adminToken, ['oncall'], { name: 'Layla Night' });
    readerToken = (await logIn(deployment.baseUrl, first)).accessToken;
    second = await createPerson(deployment.baseUrl, adminToken, ['oncall'], { name: 'Omar Day' });
    // Each on call in a schedule of their own, so "on call now" names both.
    for (const [name, person] of [
      ['Primary', first],
      ['Secondary', second],
    ] as const) {
      const schedule = await call(deployment.baseUrl, 'POST', '/api/v1/oncall/schedules', {
        token: adminToken,
        body: {
          name,
          timeZone: 'Asia/Riyadh',
          rotations: [{ users: [person.id], handover: '09:00', lengthDays: 7, startDate: '2026-01-05' }],
        },
      });
      expect(schedule.status).toBe(201);
    }
    // The first level pages the first person at once; the next step is far beyond the test.
    const policy = await call(deployment.baseUrl, 'POST', '/api/v1/oncall/policies', {
      token: adminToken,
      body: {
        name: `Night desk ${run}`,
        levels: [{ targets: [{ kind: 'user', userId: first.id }], delayMinutes: 60 }],
        repeat: 0,
      },
    });
    expect(policy.status).toBe(201);
    policyId = policy.body.id as string;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  }, 180_000);

  it('lets an org-admin add a rule through the form, saying what the api refused beside each field', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, admin);
    // An org-admin alone reads no alerts: the rules are offered, the alert list is not.
    expect(await page.locator('nav.side a[href="/oncall"]').count()).toBe(0);
    await page.locator('nav.side a[href="/oncall/rules"]').click();
    await page.getByRole('heading', { name: 'Notification rules', level: 1 }).waitFor();
    await page.getByText('The organization has no rule yet.').waitFor();
    await page.getByRole('button', { name: 'Add a rule' }).click();

    // No name, and an address that is none: both refused, each said beside its field.
    await page.getByRole('button', { name: 'Add an address' }).click();
    await page.locator('#rule-email-0').fill('not-an-address');
    await page.locator('#rule-email-0-language').selectOption('ar');
    await page.getByRole('button', { name: 'Save rule' }).click();
    const nameErrors = page.locator('ul.field-errors[data-field="name"]');
    await nameErrors.waitFor();
    expect(text(await nameErrors.textContent())).not.toBe('');
    expect(text(await page.locator('ul.field-errors[data-field="targets.emails.0"]').textContent())).toContain(
      'address',
    );
    expect(await page.locator('#rule-name').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#rule-name').getAttribute('aria-describedby')).toBe('rule-name-errors');
    expect(await page.locator('#rule-email-0').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('rule-name');
    expect(await rules()).toEqual([]);

    // Filled in: critical incidents of the RSIT class "availability", the room and the night desk's policy.
    await page.getByLabel('Name', { exact: true }).fill(ruleName);
    await page.getByRole('button', { name: 'Remove address 1' }).click();
    expect(await page.locator('#rule-email-0').count()).toBe(0);
    expect(await page.locator('#rule-kind').inputValue()).toBe('incident');
    await page.locator('#rule-minSeverity').selectOption('critical');
    await page.locator('input[name=classes][value=availability]').check();
    expect(await page.locator('#rule-room').isChecked()).toBe(true);
    await page.locator('#rule-policyId').selectOption(policyId);
    await page.locator('#rule-maxTlp').selectOption('AMBER');
    expect(await page.getByText('The organization has no webhook endpoint.').count()).toBe(1);
    await page.getByRole('button', { name: 'Save rule' }).click();
    const row = page.locator(`table.rules-table tr[data-name="${ruleName}"]`);
    await row.waitFor();
    expect(text(await page.locator('.rules-status').textContent())).toBe(`Rule ${ruleName} added.`);
    expect(await page.locator('form.rule-form').count()).toBe(0);
    const stored = await rules();
    expect(stored).toEqual([
      expect.objectContaining({
        name: ruleName,
        enabled: true,
        trigger: { kind: 'incident', minSeverity: 'critical', classes: ['availability'] },
        targets: { room: true, emails: [], webhookEndpointIds: [], policyId },
        maxTlp: 'AMBER',
      }),
    ]);
    expect(await row.getAttribute('data-rule-id')).toBe(stored[0].id);
    const cells = (await row.locator('th, td').allTextContents()).map(text);
    expect(cells.slice(0, 4)).toEqual([
      ruleName,
      'An incident we may see at least Critical availability',
      `The on-call roomEscalation: Night desk ${run}`,
      'TLP:AMBER',
    ]);

    // The same name again: refused beside the name.
    await page.getByRole('button', { name: 'Add a rule' }).click();
    await page.getByLabel('Name', { exact: true }).fill(ruleName);
    await page.getByRole('button', { name: 'Save rule' }).click();
    await nameErrors.getByText('The organization already has a rule of this name.').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect((await rules()).length).toBe(1);

    expect(external).toEqual([]);
    // The feed, opened first, is not the org-admin's to read (403); then the two refusals above.
    expect(problems).toEqual([
      'Failed to load resource: the server responded with a status of 403 (Forbidden)',
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
    await context.close();
  });

  it('shows a partner’s critical incident live to two on-call people; one is paged and acknowledges by keyboard', async () => {
    const one = await openOnCall(first);
    const two = await openOnCall(second);
    for (const { page } of [one, two]) {
      await page.getByText('No alert in this view.').waitFor({ timeout: UI_WAIT_MS });
      await page.evaluate(() => ((globalThis as any).__sameDocument = true));
    }
    expect(text(await one.page.locator('.oncall-now').textContent())).toContain('Layla Night');
    expect(text(await one.page.locator('.oncall-now').textContent())).toContain('Omar Day');
    const posts: string[] = [];
    one.page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname.startsWith('/api/v1/oncall'))
        posts.push(request.url());
    });

    // A partner's CLEAR critical outage: visible to us, of the rule's class.
    const created = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: partner.key,
      body: incidentBody({
        title,
        tlp: 'CLEAR',
        severity: 'critical',
        classification: { class: 'availability', type: 'outage' },
      }),
    });
    expect(created.status).toBe(201);
    const incidentId = created.body.id as string;

    const rowOf = (page: Page) => page.locator('.rule-alert-list > li').filter({ hasText: title });
    for (const { page } of [one, two]) await rowOf(page).waitFor({ timeout: UI_WAIT_MS });
    const listed = (await alerts()).filter((alert) => alert.incident?.id === incidentId);
    expect(listed).toHaveLength(1);
    alertId = listed[0].id;
    for (const { page } of [one, two]) {
      const row = page.locator(`.rule-alert-list > li[data-alert-id="${alertId}"]`);
      expect(await row.getAttribute('data-state')).toBe('triggered');
      expect(text(await row.locator('.alert-rule').textContent())).toBe(ruleName);
      expect(text(await row.locator('.alert-trigger').textContent())).toBe('An incident we may see');
      expect(await row.locator(`a.alert-incident[href="/incidents/${incidentId}"]`).textContent()).toBe(title);
      expect(text(await row.locator('.tlp').textContent())).toBe('TLP:CLEAR');
    }

    // Paged: the first person is told, in an assertive live region; the second is not.
    const notice = one.page.locator(`.paged-notices[aria-live=assertive] .paged[data-alert-id="${alertId}"]`);
    await notice.waitFor({ timeout: UI_WAIT_MS });
    expect(text(await notice.textContent())).toContain(`You are paged. ${ruleName}: ${title}`);
    await one.page
      .locator(`.rule-alert-list > li[data-alert-id="${alertId}"] .alert-step`)
      .getByText('Paged once')
      .waitFor({ timeout: UI_WAIT_MS });
    expect(await two.page.locator('.paged').count()).toBe(0);
    await screenshot(one.page, 'oncall-en');

    // Keyboard only: Tab to the row's Acknowledge button, Enter.
    const ackButton = one.page
      .locator(`.rule-alert-list > li[data-alert-id="${alertId}"]`)
      .getByRole('button', { name: 'Acknowledge' });
    await one.page.locator('#rule-alerts-title').click();
    let focused = false;
    for (let i = 0; i < 30 && !focused; i++) {
      await one.page.keyboard.press('Tab');
      focused = await ackButton.evaluate((button) => button === (globalThis as any).document.activeElement);
    }
    expect(focused).toBe(true);
    await one.page.keyboard.press('Enter');

    const acked = (page: Page) =>
      page.locator(`.rule-alert-list > li[data-alert-id="${alertId}"][data-state=acknowledged]`);
    await acked(one.page).waitFor({ timeout: UI_WAIT_MS });
    expect(text(await acked(one.page).locator('.alert-ack').textContent())).toMatch(/^Acknowledged by you /);
    await notice.waitFor({ state: 'detached' });
    // The other page hears of it live, naming who acknowledged (on call now), without a reload.
    await acked(two.page).waitFor({ timeout: UI_WAIT_MS });
    expect(text(await acked(two.page).locator('.alert-ack').textContent())).toMatch(/^Acknowledged by Layla Night /);
    expect(await acked(two.page).getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await acked(two.page).getByRole('button', { name: 'Resolve' }).count()).toBe(1);
    for (const { page } of [one, two]) expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);

    const stored = (await alerts()).find((alert) => alert.id === alertId);
    expect(stored).toMatchObject({ state: 'acknowledged', acknowledged: { by: first.id } });
    // Through the socket event, not REST.
    expect(posts).toEqual([]);

    // Resolved on the second page: it leaves both lists of open alerts, and shows under "Resolved".
    await acked(two.page).getByRole('button', { name: 'Resolve' }).click();
    for (const { page } of [one, two])
      await page.locator(`.rule-alert-list > li[data-alert-id="${alertId}"]`).waitFor({ state: 'detached' });
    await one.page.locator('select[name=state]').selectOption('resolved');
    const resolved = one.page.locator(`.rule-alert-list > li[data-alert-id="${alertId}"][data-state=resolved]`);
    await resolved.waitFor({ timeout: UI_WAIT_MS });
    expect(text(await resolved.locator('.alert-resolved').textContent())).toMatch(/^Resolved by Omar Day /);

    for (const { context, problems, external } of [one, two]) {
      expect(external).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    }
  });

  it('passes axe on the on-call page and the rule form, in English and Arabic (right-to-left)', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    for (const language of ['en', 'ar'] as const) {
      await page.goto(`${deployment.baseUrl}/oncall?state=all`);
      await page.locator('select[name=language]').selectOption(language);
      await signIn(page, first);
      await page.locator(`.rule-alert-list > li[data-alert-id="${alertId}"]`).waitFor({ timeout: UI_WAIT_MS });
      await page.locator('.oncall-now [data-user-id]').first().waitFor({ timeout: UI_WAIT_MS });
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (language === 'ar') {
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
        expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('المناوبة');
        // The navigation stands at the inline start: on the right.
        const nav = await page.locator('nav.side').boundingBox();
        const main = await page.locator('main').boundingBox();
        expect(nav!.x).toBeGreaterThan(main!.x);
        await screenshot(page, 'oncall-ar');
      }
      await page.locator('header button').last().click();
      await page.locator('input[name=email]').waitFor();

      await signIn(page, admin);
      await page.locator('nav.side a[href="/oncall/rules"]').click();
      await page.locator('table.rules-table').waitFor();
      await page.locator('table.rules-table tbody tr button').first().click();
      await page.locator('form.rule-form').waitFor();
      await page.locator('#rule-name').fill('');
      await page.locator('form.rule-form button[type=submit]').click();
      await page.locator('ul.field-errors[data-field="name"]').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (language === 'ar') await screenshot(page, 'oncall-rules-ar');
      await page.locator('header button').last().click();
      await page.locator('input[name=email]').waitFor();
    }
    expect(
      problems.filter((problem) => !problem.includes('400 (Bad Request)') && !problem.includes('403 (Forbidden)')),
    ).toEqual([]);
    await context.close();
  });
  it('edits a rule and deletes it after a confirmation in its row', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, admin);
    await page.locator('nav.side a[href="/oncall/rules"]').click();
    const row = page.locator(`table.rules-table tr[data-name="${ruleName}"]`);
    await row.waitFor({ timeout: UI_WAIT_MS });
    const [rule] = await rules();

    await row.getByRole('button', { name: /^Edit / }).click();
    expect(await page.locator('#rule-name').inputValue()).toBe(ruleName);
    expect(await page.locator('#rule-policyId').inputValue()).toBe(policyId);
    await page.locator('#rule-enabled').uncheck();
    await page.locator('#rule-kind').selectOption('watchlist-hit');
    expect(await page.locator('#rule-minSeverity').count()).toBe(0);
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page
      .locator('.rules-status')
      .getByText(/^Rule .* saved\.$/)
      .waitFor();
    expect(text(await page.locator('.rules-status').textContent())).toBe(`Rule ${ruleName} saved.`);
    expect(await rules()).toEqual([
      expect.objectContaining({ id: rule.id, enabled: false, trigger: { kind: 'watchlist-hit' }, maxTlp: 'AMBER' }),
    ]);
    await row.getByText('(off)').waitFor();

    // Asked first; Cancel keeps it.
    const deletes: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'DELETE') deletes.push(new URL(request.url()).pathname);
    });
    await row.getByRole('button', { name: /^Delete / }).click();
    await row.locator('.rule-confirm').waitFor();
    expect(text(await row.locator('.rule-confirm').textContent())).toBe(
      `Delete the rule ${ruleName}? The alerts it raised stay.`,
    );
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Yes, delete');
    await row.getByRole('button', { name: 'Cancel' }).click();
    expect(deletes).toEqual([]);
    await row.getByRole('button', { name: /^Delete / }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await row.waitFor({ state: 'detached' });
    expect(deletes).toEqual([`/api/v1/notification-rules/${rule.id}`]);
    expect(await rules()).toEqual([]);
    // The alerts it raised stay.
    expect((await alerts()).map((alert) => alert.id)).toContain(alertId);
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 403 (Forbidden)']);
    await context.close();
  });
});
