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
  testDomain,
  type Deployment,
  type Person,
  UI_WAIT_MS,
} from '@corridor/testing';

type Entry = { id: string; type: string; value: string; note: string | null; createdAt: string };
type Hit = { id: string; watched: { value: string }; counterpart: { disclosure: string; incident?: { id: string } } };

/**
 * The dashboard's watchlist page, in a real browser against a real deployment: an analyst watches a
 * value and imports a list (the api holds what the page says, a refused line is numbered); a partner's
 * AMBER incident not shared with the analyst's organization hits a watched range and appears on the
 * open page without a reload, worded anonymously, while a GREEN incident shared with it links to the
 * incident; a hit arriving elsewhere is counted in the navigation; an entry is removed after a
 * confirmation; axe finds nothing serious in English and Arabic.
 */
describe('dashboard: watchlist', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; name: string; key: string };
  let analyst: Person;
  let admin: Person;
  let token: string;
  let browser: Browser;
  const run = randomBytes(3).toString('hex');
  const net = `45.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
  /** Watched through the import; the partner's incidents carry addresses inside it. */
  const range = `${net}.0/24`;
  /** Watched through the form, defanged as an analyst pastes it. */
  const domain = testDomain('wl');
  const titles = {
    hidden: `Corridor-e2e hidden scan ${run}`,
    visible: `Corridor-e2e shared scan ${run}`,
    later: `Corridor-e2e later scan ${run}`,
  };
  const ids = { hidden: '', visible: '', later: '' };

  const entries = async () =>
    (await call(deployment.baseUrl, 'GET', '/api/v1/watchlist?limit=200', { token })).body.items as Entry[];
  const hits = async () =>
    (await call(deployment.baseUrl, 'GET', '/api/v1/watchlist/hits?limit=200', { token })).body.items as Hit[];
  const submit = async (body: Record<string, unknown>) => {
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: partner.key,
      body: incidentBody(body),
    });
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };
  const shownHits = (page: Page) =>
    page.locator('.hit-list > li').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-hit-id')));

  beforeAll(async () => {
    deployment = await startDeployment('dashboard-watchlist');
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    analyst = await createOrgAdmin(deployment, ours.id, { roles: ['org-admin', 'analyst'], name: 'Watch analyst' });
    token = (await logIn(deployment.baseUrl, analyst)).accessToken;
    admin = await createPerson(deployment.baseUrl, token, ['org-admin'], { name: 'Admin only' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  }, 180_000);

  it('watches a value typed in the form and imports a list, saying which line was refused and why', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    await page.getByRole('link', { name: /^Watchlist/ }).click();
    await page.getByRole('heading', { name: 'Watchlist', level: 1 }).waitFor();
    await page.getByText('Nothing is watched yet.').waitFor();

    // A value that is no indicator: the api's words beside the value field, nothing stored.
    await page.getByLabel('Value', { exact: true }).fill('not an indicator at all');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    const valueErrors = page.locator('ul.field-errors[data-field=value]');
    await valueErrors.waitFor();
    expect((await valueErrors.textContent())?.trim()).not.toBe('');
    expect(await page.locator('#watch-value').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#watch-value').getAttribute('aria-describedby')).toContain('watch-value-errors');
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('watch-value');
    expect(await entries()).toEqual([]);

    // Defanged, with a note: stored in canonical form, listed on the page.
    await page.getByLabel('Value', { exact: true }).fill(domain.replace(/\./g, '[.]').toUpperCase());
    await page.getByLabel('Note (optional)').fill('phishing kit');
    await page.getByRole('button', { name: 'Watch', exact: true }).click();
    const row = page.locator(`table.watch-table tr[data-value="${domain}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect([...cells.slice(0, 4), cells[5]]).toEqual(['domain', domain, 'phishing kit', '', 'Remove']);
    expect(await row.locator('time').getAttribute('datetime')).toBe((await entries())[0].createdAt);
    expect(await valueErrors.count()).toBe(0);
    expect((await page.locator('.watch-added').textContent())?.replace(/[\u2068\u2069]/g, '')).toBe(
      `Now watching ${domain}.`,
    );
    expect(await entries()).toEqual([expect.objectContaining({ type: 'domain', value: domain, note: 'phishing kit' })]);

    // A text file: a comment, the range with a note, a line that is no indicator, the domain again.
    const file = ['# partner ranges', `${range}  # scanning range`, 'this is not an indicator', domain, ''].join('\n');
    await page.locator('#watch-import-file').setInputFiles({
      name: 'watch.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from(file),
    });
    await page.waitForFunction(
      (text) => (globalThis as any).document.querySelector('#watch-import-text')?.value === text,
      file,
    );
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const counts = page.locator('.import-counts');
    await counts.waitFor();
    expect(await counts.locator('[data-count=added] dd').textContent()).toBe('1');
    expect(await counts.locator('[data-count=duplicates] dd').textContent()).toBe('1');
    expect(await counts.locator('[data-count=rejected] dd').textContent()).toBe('1');
    expect(await page.locator('table.import-rejected tbody tr').count()).toBe(1);
    expect(await page.locator('table.import-rejected tr[data-line="3"] td').allTextContents()).toEqual([
      '3',
      'this is not an indicator',
      'not a recognized indicator',
    ]);
    await page.locator(`table.watch-table tr[data-value="${range}"]`).waitFor();
    const stored = await entries();
    expect(stored.map((entry) => entry.value)).toEqual([range, domain]);
    expect(stored[0]).toMatchObject({ type: 'cidr', note: 'scanning range' });
    // The page lists what the api lists, in its order.
    expect(
      await page
        .locator('table.watch-table tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-value'))),
    ).toEqual([range, domain]);

    expect(external).toEqual([]);
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('shows hits live: a hidden incident worded anonymously, a shared one linked; counted in the navigation elsewhere', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    await page.locator('nav.side a[href="/watchlist"]').click();
    await page.getByText('No watched value has appeared yet.').waitFor({ timeout: UI_WAIT_MS });
    // The page must not reload from here on: a mark on its window would be lost.
    await page.evaluate(() => ((globalThis as any).__sameDocument = true));

    // AMBER, not shared with us: we learn only that a partner holds a matching report.
    ids.hidden = await submit({ title: titles.hidden, tlp: 'AMBER', indicators: [`${net}.77`] });
    const hidden = page.locator('.hit-list > li[data-disclosure=anonymous]');
    await hidden.waitFor({ timeout: 30_000 });
    expect(await hidden.locator('.alert-indicator').textContent()).toBe(`cidr ${range}`);
    expect(await hidden.locator('.correlation-kind').textContent()).toBe('(address in a range; medium match)');
    expect(await hidden.locator('.alert-counterpart').textContent()).toContain(
      'a partner organization holds a matching report',
    );
    expect(await hidden.locator('.alert-counterpart').textContent()).toContain('AMBER');
    expect(await hidden.locator('a').count()).toBe(0);
    expect(await hidden.locator('.hit-matched').count()).toBe(0);
    const html = await page.content();
    for (const secret of [ids.hidden, titles.hidden, `${net}.77`, partner.id, partner.name]) {
      expect(html).not.toContain(secret);
    }

    // GREEN, shared with us: named, its address shown, and linked.
    ids.visible = await submit({
      title: titles.visible,
      tlp: 'GREEN',
      recipients: { organizations: [ours.id], users: [] },
      indicators: [`${net}.78`],
    });
    const visible = page.locator('.hit-list > li[data-disclosure=full]');
    await visible.waitFor({ timeout: 30_000 });
    const link = visible.locator(`a[href="/incidents/${ids.visible}"]`);
    expect((await link.textContent())?.replace(/[\u2068\u2069]/g, '')).toBe(
      `matches ${partner.name}: ${titles.visible}`,
    );
    expect(await visible.locator('.hit-matched bdi').textContent()).toBe(`${net}.78`);
    // Newest first, as the api lists them; nothing reloaded.
    const listed = await hits();
    expect(listed.map((hit) => hit.counterpart.incident?.id ?? null)).toEqual([ids.visible, null]);
    expect(await shownHits(page)).toEqual(listed.map((hit) => hit.id));
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(await page.locator('nav.side a[href="/watchlist"]').getAttribute('data-unseen')).toBe('0');
    await screenshot(page, 'watchlist-hits-en');

    // The link opens the incident; a hit arriving meanwhile is counted in the navigation.
    await link.click();
    await page.getByRole('heading', { name: titles.visible }).waitFor();
    ids.later = await submit({ title: titles.later, tlp: 'AMBER', indicators: [`${net}.79`] });
    const counted = page.locator('nav.side a[href="/watchlist"][data-unseen="1"]');
    await counted.waitFor({ timeout: 30_000 });
    expect(await counted.locator('.nav-count').textContent()).toBe('1');
    expect(await counted.locator('.visually-hidden').textContent()).toBe('1 new hit');
    await counted.click();
    await page.locator('nav.side a[href="/watchlist"][data-unseen="0"]').waitFor();
    expect(await page.locator('.hit-list > li').count()).toBe(3);
    expect(await page.locator('.hit-list > li').first().getAttribute('data-disclosure')).toBe('anonymous');
    expect(await page.content()).not.toContain(titles.later);
    expect(await page.evaluate(() => (globalThis as any).__sameDocument)).toBe(true);
    expect(await shownHits(page)).toEqual((await hits()).map((hit) => hit.id));

    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('removes an entry after a confirmation in its row; its hits stay listed', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    await page.locator('nav.side a[href="/watchlist"]').click();
    const row = page.locator(`table.watch-table tr[data-value="${range}"]`);
    await row.waitFor({ timeout: UI_WAIT_MS });
    const deletes: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'DELETE') deletes.push(new URL(request.url()).pathname);
    });

    // Asked first; Cancel keeps it.
    await row.getByRole('button', { name: /^Remove/ }).click();
    await row.getByText(/Stop watching .* Its hits stay listed\./).waitFor();
    expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Yes, remove');
    await row.getByRole('button', { name: 'Cancel' }).click();
    expect(deletes).toEqual([]);

    const entry = (await entries()).find((e) => e.value === range)!;
    await row.getByRole('button', { name: /^Remove/ }).click();
    await row.getByRole('button', { name: 'Yes, remove' }).click();
    await row.waitFor({ state: 'detached' });
    expect(deletes).toEqual([`/api/v1/watchlist/${entry.id}`]);
    expect((await entries()).map((e) => e.value)).toEqual([domain]);
    expect(await page.locator(`table.watch-table tr[data-value="${domain}"]`).count()).toBe(1);
    expect(await page.locator('.hit-list > li').count()).toBe(3);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is not offered to a person who may not read incidents', async () => {
    const { context, page } = await openDashboard(browser, deployment.baseUrl);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/watchlist')) asked.push(request.url());
    });
    await signIn(page, admin);
    await page.locator('nav.side a[href="/overview"]').waitFor();
    expect(await page.locator('nav.side a[href="/watchlist"]').count()).toBe(0);
    await page.goto(`${deployment.baseUrl}/watchlist`);
    await signIn(page, admin);
    await page.getByText('Reading the watchlist needs the right to read incidents.').waitFor();
    expect(await page.locator('form.watch-add, form.watch-import, table.watch-table, .hit-list').count()).toBe(0);
    expect(asked).toEqual([]);
    await context.close();
  });

  it('passes axe with hits, entries, an import result and a confirmation, in English and Arabic', async () => {
    // axe is injected as a script: this context alone bypasses the page's policy.
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    const texts = {
      en: { title: 'Watchlist', import: 'Import', remove: /^Remove/ },
      ar: { title: 'قائمة المراقبة', import: 'استيراد', remove: /^إزالة/ },
    };
    for (const language of ['en', 'ar'] as const) {
      await page.goto(`${deployment.baseUrl}/watchlist`);
      await page.locator('select[name=language]').selectOption(language);
      await signIn(page, analyst);
      await page.getByRole('heading', { name: texts[language].title, level: 1 }).waitFor();
      await page.locator('.hit-list > li[data-disclosure=full]').waitFor({ timeout: UI_WAIT_MS });
      await page.locator(`table.watch-table tr[data-value="${domain}"]`).waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);

      await page.locator('#watch-import-text').fill(`${domain}\nnot an indicator either\n`);
      await page.getByRole('button', { name: texts[language].import, exact: true }).click();
      await page.locator('table.import-rejected tr[data-line="2"]').waitFor();
      await page
        .locator(`table.watch-table tr[data-value="${domain}"]`)
        .getByRole('button', { name: texts[language].remove })
        .click();
      await page.locator('.watch-confirm').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (language === 'ar') {
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
        expect(
          await page.locator('.hit-list > li[data-disclosure=anonymous] .alert-counterpart').first().textContent(),
        ).toContain('لدى جهة شريكة بلاغ مطابق');
        await screenshot(page, 'watchlist-ar');
      }
    }
    expect((await entries()).map((e) => e.value)).toEqual([domain]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
