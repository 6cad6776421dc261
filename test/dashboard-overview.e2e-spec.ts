import mongoose from 'mongoose';
import type { Browser, Page } from 'playwright-core';
import { v7 as uuidv7 } from 'uuid';
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

const SEEDED = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const CLASSES = [
  // In the taxonomy's order, as the overview lists them.
  ['malicious-code', 'c2-server'],
  ['intrusion-attempts', 'brute-force'],
  ['availability', 'ddos'],
  ['fraud', 'phishing'],
  ['vulnerable', 'vulnerable-system'],
] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/**
 * The overview and a feed of ten thousand incidents, in a real browser against a real deployment. The
 * incidents are written straight into this suite's own database (the API then reads them as it reads
 * any stored incident), spread over the last 30 days, some visible to the analyst and some not.
 */
describe('dashboard overview and a large feed', () => {
  let deployment: Deployment;
  let analyst: Person;
  let browser: Browser;
  let token: string;
  /** How many of the seeded incidents the analyst may see. */
  let visible = 0;

  beforeAll(async () => {
    deployment = await startDeployment('dashboard-overview');
    const ours = await createOrganization(deployment.env);
    const partners = [
      await createOrganization(deployment.env, { country: 'SA' }),
      await createOrganization(deployment.env, { country: 'AE' }),
    ];
    const admin = await createOrgAdmin(deployment, ours.id);
    analyst = await createPerson(
      deployment.baseUrl,
      (await logIn(deployment.baseUrl, admin)).accessToken,
      ['analyst'],
      {
        name: 'Overview analyst',
      },
    );
    token = (await logIn(deployment.baseUrl, analyst)).accessToken;

    const connection = await mongoose.createConnection(deployment.env.MONGODB_URI).asPromise();
    try {
      const now = Date.now();
      const documents = Array.from({ length: SEEDED }, (_, i) => {
        // Oldest first, so ids (UUIDv7, time-ordered) and receipt times agree.
        const createdAt = new Date(now - 60_000 - Math.floor(((SEEDED - i) / SEEDED) * 28.5 * DAY_MS));
        const id = uuidv7({ msecs: createdAt.getTime() });
        const orgId = i % 3 === 0 ? ours.id : partners[i % 2].id;
        // Partners' AMBER incidents do not name us: the analyst must see none of them, anywhere.
        const tlp =
          orgId === ours.id
            ? (['CLEAR', 'GREEN', 'AMBER'] as const)[Math.floor(i / 3) % 3]
            : i % 5 === 0
              ? 'AMBER'
              : 'CLEAR';
        if (orgId === ours.id || tlp === 'CLEAR') visible++;
        const [cls, type] = CLASSES[i % CLASSES.length];
        return {
          _id: id,
          orgId,
          authorId: 'seed',
          recipientOrgIds: [],
          recipientUserIds: [],
          status: 'new',
          statusChangedBy: null,
          statusChangedAt: null,
          assigneeId: null,
          title: `Seeded incident ${i}`,
          description: 'Seeded for the overview and the large feed.',
          occurredAt: createdAt,
          classification: { class: cls, type },
          severity: SEVERITIES[(i * 7) % SEVERITIES.length],
          tlp,
          externalRef: null,
          disclosure: null,
          refKey: id,
          idemKey: id,
          state: 'correlated',
          failureReason: null,
          submitted: [],
          // A few hosts recur across incidents: the overview's most shared indicators.
          indicators: [
            {
              raw: `198.51.100.${i % 13}`,
              type: 'ipv4',
              value: `198.51.100.${i % 13}`,
              source: 'field',
              enrichment: {},
            },
          ],
          rejectedIndicators: [],
          createdAt,
          updatedAt: createdAt,
          stateChangedAt: createdAt,
        };
      });
      for (let at = 0; at < documents.length; at += 1000) {
        await connection.collection('incidents').insertMany(documents.slice(at, at + 1000) as any[]);
      }
    } finally {
      await connection.close();
    }
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  }, 180_000);

  /** Opens every figures table and reads it: each row as its cells' text, keyed as the page marks them. */
  async function figures(page: Page, panel: string): Promise<string[][]> {
    const details = page.locator(`[data-panel="${panel}"] details`);
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    return page
      .locator(`[data-panel="${panel}"] table tbody tr`)
      .evaluateAll((rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent ?? '')));
  }

  const number = (text: string) => Number(text.replace(/,/g, ''));

  it('draws the charts, and their tables show the figures the API returns', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl, {
      viewport: { width: 1400, height: 1000 },
    });
    await signIn(page, analyst);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(/\/overview$/);
    for (const chart of ['by-classification', 'by-severity', 'top-indicators', 'partners']) {
      const canvas = page.locator(`canvas[data-chart="${chart}"]`);
      await canvas.waitFor({ timeout: UI_WAIT_MS });
      // Something was drawn: the canvas has opaque pixels.
      // A function, not a string: the page's policy forbids eval, which string predicates need when polled.
      await page.waitForFunction((name) => {
        const element = (globalThis as any).document.querySelector(`canvas[data-chart="${name}"]`);
        const pixels = element?.width
          ? element.getContext('2d').getImageData(0, 0, element.width, element.height).data
          : [];
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) return true;
        return false;
      }, chart);
      expect(await canvas.getAttribute('role')).toBe('img');
      expect((await canvas.getAttribute('aria-label'))?.length).toBeGreaterThan(20);
    }

    const overview = (await call(deployment.baseUrl, 'GET', '/api/v1/overview?days=30', { token })).body;
    expect(overview.days).toHaveLength(30);
    const total = overview.days.reduce((sum: number, day: any) => sum + day.total, 0);
    // Every seeded incident the analyst may see falls in the window, and nothing else is counted.
    expect(total).toBe(visible);
    await page.getByText(`${total.toLocaleString('en')} incidents in the period`).waitFor();

    // Per day by class: one column per class that counted anything, then the day's total.
    const classKeys = await page
      .locator('[data-panel="by-classification"] thead th[data-key]')
      .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-key')));
    expect(classKeys).toEqual(
      CLASSES.map(([cls]) => cls).filter((cls) => overview.days.some((d: any) => d.byClassification[cls] > 0)),
    );
    const byClass = await figures(page, 'by-classification');
    expect(byClass).toHaveLength(30);
    expect(byClass.map((cells) => cells.slice(1).map(number))).toEqual(
      overview.days.map((day: any) => [...classKeys.map((cls) => day.byClassification[cls!]), day.total]),
    );
    const bySeverity = await figures(page, 'by-severity');
    const severityKeys = SEVERITIES.filter((sev) => overview.days.some((d: any) => d.bySeverity[sev] > 0));
    expect(bySeverity.map((cells) => cells.slice(1).map(number))).toEqual(
      overview.days.map((day: any) => [...severityKeys.map((sev) => day.bySeverity[sev]), day.total]),
    );
    // Days are dated for the reader: the first column names each day of the API's list.
    const dates = await page
      .locator('[data-panel="by-severity"] tbody th time')
      .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('datetime')));
    expect(dates).toEqual(overview.days.map((day: any) => day.date));

    const indicators = await figures(page, 'top-indicators');
    expect(overview.topIndicators.length).toBeGreaterThan(0);
    expect(indicators.map(([type, value, count]) => [type, value, number(count)])).toEqual(
      overview.topIndicators.map((entry: any) => [entry.type, entry.value, entry.incidents]),
    );
    const partners = await figures(page, 'partners');
    expect(partners.map(([name, count]) => [name, number(count)])).toEqual(
      overview.partners.map((entry: any) => [entry.organization.name, entry.incidents]),
    );
    await screenshot(page, 'overview-en');

    // Arabic: the layout and the charts mirror, labels are translated, numbers formatted for the language.
    await page.locator('select[name=language]').selectOption('ar');
    await page.getByRole('heading', { name: 'نظرة عامة' }).waitFor();
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('canvas[data-chart="by-severity"]').getAttribute('aria-label')).toContain('مخطط');
    const arabicTotal = await page
      .locator('[data-panel="by-severity"] tbody tr')
      .first()
      .locator('td[data-key=total]')
      .textContent();
    expect(arabicTotal).toBe(new Intl.NumberFormat('ar').format(overview.days[0].total));
    const heads = await page
      .locator('[data-panel="by-severity"] thead th[data-key]')
      .evaluateAll((cells) => cells.map((cell) => cell.textContent));
    expect(heads).toContain('حرجة');
    const [first, second] = await page
      .locator('.overview-grid > .panel')
      .evaluateAll((panels) => panels.slice(0, 2).map((panel) => panel.getBoundingClientRect().left));
    expect(first).toBeGreaterThan(second);
    await screenshot(page, 'overview-ar');

    // The page ran under its strict policy: a refused script or style would be a console error.
    const served = await fetch(`${deployment.baseUrl}/overview`);
    expect(served.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(served.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(problems).toEqual([]);
    expect(external).toEqual([]);
    await context.close();
  });

  it('has no serious or critical accessibility violations on the overview and the inbox', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    await signIn(page, analyst);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('canvas[data-chart="partners"]').waitFor({ timeout: UI_WAIT_MS });
    for (const summary of await page.locator('details summary').all()) await summary.click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: /^Alerts/ }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('reads ten thousand incidents page by page as the list scrolls, and stays smooth', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    const pageReads: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/incidents') pageReads.push(url.searchParams.get('cursor') ?? 'first');
    });
    await signIn(page, analyst);
    await page.locator('[role=option]').first().waitFor();
    expect(pageReads).toEqual(['first']);
    await page.getByText('200 incidents (more as you scroll)').waitFor();

    // Long tasks (over 50 ms of script on the main thread) while the list grows and scrolls.
    await page.evaluate(`
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
      }).observe({ type: 'longtask', buffered: false });
    `);
    // Scroll to the end again and again: each time near the end, the next page is read.
    // (A function, not a string: the page's policy forbids eval, which string predicates need when polled.)
    await page.waitForFunction(
      () => {
        const { document } = globalThis as any;
        const scroller = document.querySelector('.feed-scroller');
        scroller.scrollTop = scroller.scrollHeight;
        return !document.querySelector('.count').textContent.includes('more as you scroll');
      },
      undefined,
      // Some 35 page reads, each a scan and sort of ten thousand documents on FerretDB: generous on a loaded machine.
      { polling: 100, timeout: 360_000 },
    );
    await page.getByText(`${visible.toLocaleString('en')} incidents`, { exact: true }).waitFor();
    expect(pageReads.length).toBe(Math.ceil(visible / 200));
    expect(new Set(pageReads).size).toBe(pageReads.length);

    // The last page may have arrived after the last scroll: go to the end of the full list.
    await page.evaluate(() => {
      const scroller = (globalThis as any).document.querySelector('.feed-scroller');
      scroller.scrollTop = scroller.scrollHeight;
    });
    await page.locator('[role=option] .title', { hasText: /^Seeded incident 0$/ }).waitFor({ timeout: 10_000 });
    // Only the rows in view are in the document, however many are loaded.
    expect(await page.locator('[role=option]').count()).toBeLessThan(60);
    const last = await page.locator('[role=option]').last().locator('.title').textContent();
    expect(last).toBe('Seeded incident 0');

    // A smooth scroll from the end back to the top, one step per frame: frame times stay short.
    const frames = await page.evaluate<number[]>(`new Promise((resolve) => {
      const scroller = document.querySelector('.feed-scroller');
      const times = [];
      let previous = performance.now();
      const step = () => {
        const now = performance.now();
        times.push(now - previous);
        previous = now;
        scroller.scrollTop = Math.max(0, scroller.scrollTop - 2600);
        if (scroller.scrollTop > 0 && times.length < 400) requestAnimationFrame(step);
        else resolve(times.slice(1));
      };
      requestAnimationFrame(step);
    })`);
    frames.sort((a, b) => a - b);
    const median = frames[Math.floor(frames.length / 2)];
    expect(frames.length).toBeGreaterThan(100);
    expect(median).toBeLessThan(50);
    const longest = Math.max(0, ...(await page.evaluate<number[]>('window.longTasks')));
    expect(longest).toBeLessThan(500);

    // A live incident goes on top of the ten thousand; the keyboard still moves through them.
    const live = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token,
      body: incidentBody({ title: 'Live over ten thousand', tlp: 'CLEAR' }),
    });
    expect(live.status).toBe(201);
    await page.locator(`[data-incident-id="${live.body.id}"]`).waitFor({ timeout: 15_000 });
    await page.getByText(`${(visible + 1).toLocaleString('en')} incidents`, { exact: true }).waitFor();
    await page.locator(`[data-incident-id="${live.body.id}"]`).click();
    await page.locator('.feed-scroller').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await page.locator('[role=option][aria-selected=true] .title').textContent()).toBe(
      `Seeded incident ${SEEDED - 3}`,
    );
    expect(problems).toEqual([]);
    await context.close();
  }, 480_000);
});
