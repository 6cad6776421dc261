import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, Request } from 'playwright-core';
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

/**
 * A public address whose facts were read from the shipped data sets: `193.0.0.0,193.0.7.255,3333,Reseaux IP
 * Europeens Network Coordination Centre (RIPE NCC)` in @ip-location-db/asn's asn-ipv4.csv, and country
 * `NL` in geo-whois-asn-country.mmdb (apps/worker/src/enrichment/ip-facts.spec.ts reads the same range).
 * On no warning list (libs/domain warnings.spec.ts), so it is sent to providers.
 */
const ADDRESS = '193.0.6.139';
const AS_ORG = 'Reseaux IP Europeens Network Coordination Centre (RIPE NCC)';

/**
 * A local HTTP server playing the generic JSON provider (`/json/<type>/<value>`). It holds every
 * answer until `release()`: the provider's answer then lands while the dashboard is open.
 */
class HeldProvider {
  readonly asked: string[] = [];
  private held: ServerResponse[] = [];
  private open = false;
  private readonly server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://provider');
    this.asked.push(decodeURIComponent(url.pathname.split('/')[3] ?? ''));
    if (this.open) this.answer(response);
    else this.held.push(response);
  });

  async start(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  release(): void {
    this.open = true;
    for (const response of this.held.splice(0)) this.answer(response);
  }

  private answer(response: ServerResponse): void {
    if (response.destroyed) return;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ data: { score: -12, listed: true, note: { nested: 'dropped' } } }));
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

type Enrichment = {
  country?: string;
  asn?: number;
  asOrg?: string;
  providers?: Record<string, { at: string; fields: Record<string, unknown> }>;
};

/**
 * The incident page's enrichment, in a real browser against a real deployment whose worker starts
 * only once the page is open: the offline country and AS of an address, then an external provider's
 * answer, appear live without a reload; the data credit the licences ask for is shown under the
 * table; an indicator's history shows the counts the api gives for what the reader may see.
 */
describe('dashboard: indicator enrichment and history', () => {
  const provider = new HeldProvider();
  let deployment: Deployment;
  let analyst: Person;
  let token: string;
  let browser: Browser;
  const domain = testDomain('enrich');
  const ids = { ours: '', partner: '', hidden: '' };
  const keys = { other: '' };
  const title = `Corridor-e2e RIPE-hosted beacon ${domain}`;

  const detail = async (id: string) =>
    (await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${id}`, { token })).body as {
      state: string;
      correlations: unknown[];
      indicators: Array<{ value: string; enrichment: Enrichment }>;
    };
  const enrichmentOf = async (id: string) =>
    (await detail(id)).indicators.find((indicator) => indicator.value === ADDRESS)!.enrichment;

  beforeAll(async () => {
    const port = await provider.start();
    // No worker yet: the incidents wait, pending, until the page is open.
    deployment = await startDeployment(
      'dashboard-enrichment',
      {
        ENRICH_HTTP_JSON_URL: `http://127.0.0.1:${port}/json/{type}/{value}`,
        ENRICH_HTTP_JSON_MAPPING: JSON.stringify({ score: 'data.score', listed: 'data.listed', note: 'data.note' }),
        ENRICH_HTTP_JSON_TYPES: 'ipv4',
        ENRICH_HTTP_JSON_TIMEOUT_MS: '120000',
      },
      { worker: false },
    );
    const ours = await createOrganization(deployment.env);
    const partner = await createOrganization(deployment.env, { country: 'SA' });
    const other = await createOrganization(deployment.env, { country: 'AE' });
    keys.other = other.key;
    analyst = await createOrgAdmin(deployment, ours.id, {
      roles: ['org-admin', 'analyst'],
      name: 'Enrichment analyst',
    });
    token = (await logIn(deployment.baseUrl, analyst)).accessToken;
    const submit = async (key: string, body: Record<string, unknown>) => {
      const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', {
        token: key,
        body: incidentBody(body),
      });
      expect(reply.status).toBe(201);
      return reply.body.id as string;
    };
    // Three incidents carry the address: ours, a partner's we may see, and another's AMBER one we may not.
    ids.partner = await submit(partner.key, {
      tlp: 'CLEAR',
      indicators: [ADDRESS],
      occurredAt: '2026-11-02T06:00:00Z',
    });
    ids.hidden = await submit(other.key, { tlp: 'AMBER', indicators: [ADDRESS], occurredAt: '2026-10-01T00:00:00Z' });
    ids.ours = await submit(ours.key, {
      title,
      tlp: 'GREEN',
      indicators: [ADDRESS, domain],
      occurredAt: '2026-11-20T09:15:00Z',
    });
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
    await provider.stop();
  }, 180_000);

  /** Reads of the incident's detail the page makes, and its main-frame navigations (a reload is one). */
  const watch = (page: Page, id: string) => {
    const seen = { reads: 0, inFlight: 0, navigations: 0 };
    const isRead = (request: Request) =>
      request.method() === 'GET' && new URL(request.url()).pathname === `/api/v1/incidents/${id}`;
    page.on('request', (request) => {
      if (!isRead(request)) return;
      seen.reads++;
      seen.inFlight++;
    });
    const done = (request: Request) => {
      if (isRead(request)) seen.inFlight--;
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) seen.navigations++;
    });
    return seen;
  };

  it('shows country and AS, then a provider’s answer, as they land, with the data credit and the history', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    await page.goto(`${deployment.baseUrl}/incidents/${ids.ours}`);
    await signIn(page, analyst);
    await page.getByRole('heading', { name: title }).waitFor();
    expect((await detail(ids.ours)).state).toBe('pending');
    // Nothing enriched yet: no country, no AS, no credit.
    expect(await page.locator('.network-facts').count()).toBe(0);
    expect(await page.locator('[data-attribution]').count()).toBe(0);
    const seen = watch(page, ids.ours);

    await deployment.worker.start();
    const row = page.locator(`table.indicators tr[data-indicator="${ADDRESS}"]`);
    await row.locator('.network-facts .country[data-country=NL]').waitFor({ timeout: 60_000 });
    expect(await row.locator('.network-facts .country').textContent()).toBe('Country: Netherlands (NL)');
    await row.locator('.network-facts .as[data-asn="3333"]').waitFor();
    expect(await row.locator('.network-facts .as').textContent()).toBe(`AS: AS3333 ${AS_ORG}`);
    // The domain has no country or AS: nothing is said of them.
    const domainRow = page.locator(`table.indicators tr[data-indicator="${domain}"]`);
    expect(await domainRow.locator('.network-facts').count()).toBe(0);
    expect(await domainRow.locator('.providers-toggle').count()).toBe(0);
    expect(await enrichmentOf(ids.ours)).toMatchObject({ country: 'NL', asn: 3333, asOrg: AS_ORG });

    // The credit the data licences ask for, DB-IP's link included.
    const credit = page.locator('footer[data-attribution]');
    expect(await credit.locator('p[data-attribution=country]').textContent()).toBe('Country data: NRO (CC BY 4.0)');
    expect(await credit.locator('p[data-attribution=as]').textContent()).toBe(
      'AS data: RouteViews, IP Geolocation by DB-IP, and NRO (CC BY 4.0)',
    );
    expect(await credit.locator('a[href="https://db-ip.com"]').textContent()).toBe('IP Geolocation by DB-IP');

    // All three incidents processed (each one's alerts are told before it is marked correlated) and
    // the page's reads done: every event but the provider's answer has been told. The provider has been
    // asked, and holds its answer.
    await waitFor(
      async () => {
        const states = await Promise.all(
          (
            [
              [ids.ours, token],
              [ids.partner, token],
              [ids.hidden, keys.other],
            ] as const
          ).map(
            async ([id, key]) =>
              (await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${id}`, { token: key })).body.state,
          ),
        );
        return states.every((state) => state === 'correlated') && provider.asked.includes(ADDRESS);
      },
      60_000,
      'incidents correlated and the provider asked',
    );
    const correlations = (await detail(ids.ours)).correlations.length;
    expect(correlations).toBeGreaterThan(0);
    await waitFor(
      async () => (await page.locator('ul.correlations li').count()) === correlations,
      30_000,
      'the page shows every correlation',
    );
    await waitFor(() => seen.inFlight === 0, 30_000, 'the page’s reads of the incident done');
    expect(await enrichmentOf(ids.ours)).not.toHaveProperty('providers');
    expect(await row.locator('.providers-toggle').count()).toBe(0);
    const readsBefore = seen.reads;

    provider.release();
    const toggle = row.getByRole('button', { name: '1 provider answer' });
    await toggle.waitFor({ timeout: 60_000 });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const details = page.locator(`tr.indicator-details[data-details-of="${ADDRESS}"]`);
    expect(await toggle.getAttribute('aria-controls')).toBe(await details.getAttribute('id'));
    const answer = details.locator('li[data-provider="http-json"]');
    expect(await answer.locator('dd[data-field=score]').textContent()).toBe('-12');
    expect(await answer.locator('dd[data-field=listed]').textContent()).toBe('yes');
    // A field the mapping points at an object is kept as null by the worker: said to have no value.
    expect(await answer.locator('dd[data-field=note]').textContent()).toBe('no value');
    const stored = (await enrichmentOf(ids.ours)).providers!['http-json'];
    expect(stored.fields).toEqual({ score: -12, listed: true, note: null });
    expect(await answer.locator('time').getAttribute('datetime')).toBe(stored.at);
    // Merged from the live event: no reload, and the incident was not read again.
    expect(seen.navigations).toBe(0);
    expect(seen.reads).toBe(readsBefore);

    // History: what the api counts over what we may see (the partner's incident and ours, not the hidden one).
    const historyToggle = row.getByRole('button', { name: 'History' });
    await historyToggle.click();
    const history = details.locator('.indicator-history');
    await history.locator('dd[data-history=incidents]').waitFor();
    const reply = await call(
      deployment.baseUrl,
      'GET',
      `/api/v1/indicators/history?value=${encodeURIComponent(ADDRESS)}`,
      { token },
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      value: ADDRESS,
      incidents: 2,
      organizations: 2,
      firstSeen: '2026-11-02T06:00:00.000Z',
      lastSeen: '2026-11-20T09:15:00.000Z',
    });
    for (const name of ['incidents', 'organizations', 'sightings'] as const) {
      const cell = history.locator(`dd[data-history=${name}]`);
      expect([name, await cell.getAttribute('data-count'), await cell.textContent()]).toEqual([
        name,
        String(reply.body[name]),
        String(reply.body[name]),
      ]);
    }
    for (const name of ['firstSeen', 'lastSeen'] as const) {
      expect(await history.locator(`dd[data-history=${name}] time`).getAttribute('datetime')).toBe(reply.body[name]);
    }
    await history.getByText('Counted over the incidents you may see').waitFor();
    // Both disclosures share the details row; closing one leaves the other.
    await toggle.click();
    expect(await details.locator('.provider-answers').count()).toBe(0);
    expect(await details.locator('.indicator-history').count()).toBe(1);
    await screenshot(page, 'incident-enrichment-en');

    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 240_000);

  it('passes axe with both disclosures open, in English and Arabic, and names the country in the page’s language', async () => {
    // axe is injected as a script: this context alone bypasses the page's policy.
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    const texts = {
      en: { country: 'Country: Netherlands (NL)', providers: '1 provider answer', history: 'History' },
      ar: { country: 'البلد: هولندا (NL)', providers: 'إجابة مزوّد واحدة', history: 'السجل' },
    };
    for (const language of ['en', 'ar'] as const) {
      await page.goto(`${deployment.baseUrl}/incidents/${ids.ours}`);
      await page.locator('select[name=language]').selectOption(language);
      await signIn(page, analyst);
      const row = page.locator(`table.indicators tr[data-indicator="${ADDRESS}"]`);
      await row.locator('.network-facts .country').waitFor({ timeout: UI_WAIT_MS });
      expect(await row.locator('.network-facts .country').textContent()).toBe(texts[language].country);
      await row.getByRole('button', { name: texts[language].providers }).click();
      await row.getByRole('button', { name: texts[language].history }).click();
      const details = page.locator(`tr.indicator-details[data-details-of="${ADDRESS}"]`);
      await details.locator('li[data-provider="http-json"]').waitFor();
      await details.locator('dd[data-history=incidents]').waitFor();
      await page.locator('footer[data-attribution] a[href="https://db-ip.com"]').waitFor();
      await page.locator('ol.timeline li').first().waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (language === 'ar') {
        expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
        // A negative score keeps its sign before its digits in the right-to-left page.
        expect(await details.locator('dd[data-field=score] bdi').getAttribute('dir')).toBe('ltr');
        await screenshot(page, 'incident-enrichment-ar');
      }
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
