import type { Browser } from 'playwright-core';
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
  testIpv4,
  waitFor,
  type Deployment,
  type Person,
  UI_WAIT_MS,
} from '@corridor/testing';

/** The analysts' dashboard, served by the api at `/`, driven in a real browser against a real deployment. */
describe('dashboard', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; key: string };
  let analyst: Person;
  let browser: Browser;
  const seeded: string[] = [];
  /** An indicator the second seeded incident and the partner's incident share: they correlate. */
  const shared = testIpv4();

  beforeAll(async () => {
    // A short access-token lifetime: the page must renew it, and come back after the server closes its socket.
    deployment = await startDeployment('dashboard', { ACCESS_TOKEN_TTL_SECONDS: '30' });
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    analyst = await createOrgAdmin(deployment, ours.id, { roles: ['org-admin', 'analyst'], name: 'Duty analyst' });
    for (const n of [1, 2, 3]) {
      const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
        token: ours.key,
        body: incidentBody({ title: `Corridor-e2e seed ${n}`, tlp: 'GREEN', indicators: n === 2 ? [shared] : [] }),
      });
      expect(reply.status).toBe(201);
      seeded.push(reply.body.id);
    }
    browser = await launchChromium();
  }, 180_000);

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
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);

    const rows = page.locator('[role=option]');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);

    // Select the middle row, then start typing a filter that still matches every row.
    const chosen = seeded[1];
    await page.locator(`[data-incident-id="${chosen}"]`).click();
    const filter = page.locator('input[name=filter]');
    await filter.click();
    await filter.pressSequentially('Corridor-e2');

    // A partner pushes a CLEAR incident by API; it arrives over the live feed, with no reload.
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: partner.key,
      body: incidentBody({
        title: 'Corridor-e2e partner report',
        tlp: 'CLEAR',
        indicators: [shared.replace(/\.(\d+)$/, '[.]$1')],
      }),
    });
    expect(reply.status).toBe(201);
    await page.locator(`[data-incident-id="${reply.body.id}"]`).waitFor({ timeout: 15_000 });
    expect(await rows.count()).toBe(4);

    const selected = page.locator('[role=option][aria-selected=true]');
    expect(await selected.count()).toBe(1);
    expect(await selected.getAttribute('data-incident-id')).toBe(chosen);
    expect(await filter.inputValue()).toBe('Corridor-e2');
    expect(await filter.evaluate((node) => node === node.ownerDocument.activeElement)).toBe(true);

    // The resume point is kept for a reload: the greatest event id seen, under this person.
    const point = await page.evaluate<string | null>(`sessionStorage.getItem('corridor.live.${analyst.id}')`);
    expect(JSON.parse(point ?? '{}').lastEventId).toMatch(/^\d+-\d+$/);

    // What the page lists is what REST lists for this person.
    const { accessToken } = await logIn(deployment.baseUrl, analyst);
    const listed = await call(deployment.baseUrl, 'GET', '/api/v1/incidents', { token: accessToken });
    const shown = await rows.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-incident-id')));
    expect(new Set(shown)).toEqual(new Set(listed.body.items.map((item: { id: string }) => item.id)));

    await screenshot(page, 'feed-en');

    // Arabic: right-to-left, translated, remembered; indicator-like values stay left-to-right.
    await page.locator('select[name=language]').selectOption('ar');
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await page.getByRole('heading', { name: 'الحوادث' }).waitFor();
    expect(await page.evaluate<string | null>("localStorage.getItem('corridor.language')")).toBe('ar');
    expect(await selected.getAttribute('data-incident-id')).toBe(chosen);
    expect(await filter.inputValue()).toBe('Corridor-e2');

    await screenshot(page, 'dashboard-ar');

    // The selected incident, in Arabic: its TLP badge in FIRST's colours, the shared indicator left-to-right,
    // the correlation with the partner's CLEAR incident worded in full, and a comment added.
    await page.getByRole('button', { name: 'فتح' }).click();
    await page.getByRole('heading', { name: 'Corridor-e2e seed 2' }).waitFor();
    const badge = page.locator('.incident-head .tlp');
    expect(await badge.textContent()).toBe('TLP:GREEN');
    expect(
      await badge.evaluate((node) => {
        const style = node.ownerDocument.defaultView!.getComputedStyle(node);
        return [style.color, style.backgroundColor];
      }),
    ).toEqual(['rgb(51, 255, 0)', 'rgb(0, 0, 0)']);
    const value = page.locator('table.indicators bdi[dir=ltr]', { hasText: shared });
    await value.waitFor({ timeout: UI_WAIT_MS });
    const correlation = page.locator('ul.correlations li', { hasText: 'Corridor-e2e partner report' });
    await correlation.waitFor({ timeout: UI_WAIT_MS });
    expect(await correlation.textContent()).toContain('يطابق حادثة لدى');
    await page.locator('textarea[name=comment]').fill('رأينا العنوان نفسه');
    await page.getByRole('button', { name: 'نشر التعليق' }).click();
    await page.locator('.comments li', { hasText: 'رأينا العنوان نفسه' }).waitFor();

    await screenshot(page, 'incident-ar');
    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('renews the session, reconnects when the server closes the socket, keeps the scrolled view, and resumes after a reload', async () => {
    // A short window: the feed shows about two rows and must scroll.
    const context = await browser.newContext({ viewport: { width: 1280, height: 260 } });
    const page = await context.newPage();
    /** The socket.io CONNECT packets the page sent: the handshake's auth of each (re)connection. */
    const handshakes: Array<{ token: string; lastEventId?: string }> = [];
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const text = String(payload);
        if (text.startsWith('40{')) handshakes.push(JSON.parse(text.slice(2)));
      }),
    );
    await page.goto(deployment.baseUrl);
    await signIn(page, analyst);

    // Past the 30 s access token: renewed in the background, the closed socket reopened with the new one.
    await page.waitForTimeout(40_000);
    await page.locator('output[data-state=live]').waitFor({ timeout: 15_000 });
    const tokens = new Set(handshakes.map((handshake) => handshake.token));
    expect(tokens.size).toBeGreaterThan(1);

    // Scrolled down by one row, the row at the top of the view stays there when a new incident arrives above it.
    const scroller = page.locator('.feed-scroller');
    const topRow = () =>
      scroller.evaluate((node) => {
        const rows = [...node.querySelectorAll('[role=option]')] as any[];
        const top = rows.find((row) => row.getBoundingClientRect().top >= node.getBoundingClientRect().top - 1);
        return { scrollTop: node.scrollTop as number, id: top?.getAttribute('data-incident-id') as string };
      });
    await scroller.evaluate((node) => (node.scrollTop = 52));
    await page.waitForTimeout(200);
    const before = await topRow();
    expect(before.scrollTop).toBe(52);
    const late = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: partner.key,
      body: incidentBody({ title: 'Corridor-e2e after renewal', tlp: 'CLEAR' }),
    });
    await page.locator(`[data-incident-id="${late.body.id}"]`).waitFor({ state: 'attached', timeout: 15_000 });
    const after = await topRow();
    expect(after).toEqual({ scrollTop: 104, id: before.id });

    // A reload asks to sign in again, and the new socket resumes from the greatest event id kept in the tab.
    await page.reload();
    await page.locator('input[name=email]').waitFor();
    const key = `corridor.live.${analyst.id}`;
    const kept = JSON.parse((await page.evaluate<string | null>(`sessionStorage.getItem('${key}')`)) ?? '{}');
    expect(kept.lastEventId).toMatch(/^\d+-\d+$/);
    handshakes.length = 0;
    await signIn(page, analyst);
    expect(handshakes[0]?.lastEventId).toBe(kept.lastEventId);
    await context.close();
  }, 120_000);

  it('has no serious or critical accessibility violations on the login page and the feed, in English and Arabic', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    await page.locator('input[name=email]').waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await signIn(page, analyst);
    await page.locator('[role=option]').first().waitFor();
    await page.locator(`[data-incident-id="${seeded[0]}"]`).click();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.locator('select[name=language]').selectOption('ar');
    await page.getByRole('heading', { name: 'الحوادث' }).waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The check itself sees a critical fault when there is one: an image without a text alternative.
    await page.evaluate("document.body.append(Object.assign(document.createElement('img'), { src: '/favicon.ico' }))");
    expect((await seriousAxeViolations(page)).map((violation) => violation.id)).toContain('image-alt');
    expect(problems.filter((problem) => !problem.includes('favicon'))).toEqual([]);
    await context.close();
  });

  it('goes offline with the network and, when it is back, shows what was posted meanwhile exactly once', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    const rows = page.locator('[role=option]');
    await rows.first().waitFor();
    const before = await rows.count();

    await context.setOffline(true);
    await page.locator('output[data-state=offline]').waitFor({ timeout: 5000 });
    const posted: string[] = [];
    for (const n of [1, 2, 3]) {
      const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
        token: partner.key,
        body: incidentBody({ title: `Corridor-e2e while offline ${n}`, tlp: 'CLEAR' }),
      });
      expect(reply.status).toBe(201);
      posted.push(reply.body.id);
    }
    await page.waitForTimeout(1000);
    for (const id of posted) expect(await page.locator(`[data-incident-id="${id}"]`).count()).toBe(0);

    await context.setOffline(false);
    await page.locator('output[data-state=live]').waitFor({ timeout: 15_000 });
    for (const id of posted) await page.locator(`[data-incident-id="${id}"]`).waitFor({ timeout: 15_000 });
    // Replayed by the stream and possibly re-read by REST as well: each is listed once.
    await page.waitForTimeout(1000);
    for (const id of posted) expect(await page.locator(`[data-incident-id="${id}"]`).count()).toBe(1);
    expect(await rows.count()).toBe(before + 3);
    expect(problems.filter((problem) => !/ERR_INTERNET_DISCONNECTED/.test(problem))).toEqual([]);
    await context.close();
  });

  it('drops a partner incident from the feed live when its TLP no longer lets us see it, and brings it back when it does', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    await page.locator('[role=option]').first().waitFor();
    const posted = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
      token: partner.key,
      body: incidentBody({ title: 'Corridor-e2e shared, then not', tlp: 'CLEAR' }),
    });
    expect(posted.status).toBe(201);
    const row = page.locator(`[data-incident-id="${posted.body.id}"]`);
    await row.waitFor({ timeout: 15_000 });
    const patch = (tlp: string) =>
      call(deployment.baseUrl, 'PATCH', `/api/v1/incidents/${posted.body.id}`, { token: partner.key, body: { tlp } });
    expect((await patch('AMBER')).status).toBe(200);
    await row.waitFor({ state: 'detached', timeout: 15_000 });
    expect(await page.content()).not.toContain('Corridor-e2e shared, then not');
    expect((await patch('CLEAR')).status).toBe(200);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('re-reads the feed by REST when the server reports a gap in the stream', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    // In order: each read of the feed by REST, and each stream.gap frame.
    const seen: Array<'read' | 'gap'> = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/v1/incidents') seen.push('read');
    });
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (String(payload).startsWith('42["stream.gap"')) seen.push('gap');
      }),
    );
    await page.goto(deployment.baseUrl);
    // A resume point this deployment cannot replay from.
    await page.evaluate(
      `sessionStorage.setItem('corridor.live.${analyst.id}', JSON.stringify({ lastEventId: '1-0', incidents: [] }))`,
    );
    await signIn(page, analyst);
    await page.locator('[role=option]').first().waitFor();
    // After the gap the feed is read by REST (a refetch, or the first read when the feed mounts later).
    await waitFor(
      () => seen.includes('gap') && seen.lastIndexOf('read') > seen.indexOf('gap'),
      15_000,
      'a read after the gap',
    ).catch((error: Error) => {
      throw new Error(`${error.message}; seen in order: ${seen.join(', ')}`);
    });
    expect(seen.filter((s) => s === 'gap')).toHaveLength(1);
    await context.close();
  });
});
