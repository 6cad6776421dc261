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
  testIpv4,
  waitFor,
  type Deployment,
  type Person,
  UI_WAIT_MS,
} from '@corridor/testing';

/**
 * Text as the page shows it: data inside a sentence (names, ranges) is wrapped in Unicode isolates
 * (U+2068…U+2069) so it keeps its own direction in Arabic and Urdu. Matches `text` with or without them.
 */
function shown(text: string): RegExp {
  const chars = [...text].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(chars.join('[\u2068\u2069]*'));
}

/**
 * The dashboard's incident page and submission form in a real browser against a real deployment:
 * correlations worded by what the reader may know, the timeline growing live, the correlation
 * cluster (graph and list) holding only what the reader may see, the workflow controls, and the form
 * showing the api's refusals beside each field.
 */
describe('dashboard: incident page and submission form', () => {
  let deployment: Deployment;
  let ours: { id: string; key: string };
  let partner: { id: string; key: string };
  let third: { id: string; key: string };
  let analyst: Person;
  let colleague: Person;
  let browser: Browser;
  const run = randomBytes(3).toString('hex');
  /** Our incident shares `visible` with the partner's CLEAR one and `hidden` with its AMBER one. */
  const visible = testIpv4();
  const hidden = `hidden-${run}.corridor-test.net`;
  /** The partner's CLEAR incident shares `further` with a third organization's CLEAR one: two hops from ours. */
  const further = `further-${run}.corridor-test.org`;
  /** Also carried by the partner's CLEAR incident, but on a warning list: shown, never correlated. */
  const warned = '8.8.8.8';
  const ids = { ours: '', clear: '', amber: '', twoHops: '' };
  const titles = {
    ours: `Corridor-e2e phishing wave ${run}`,
    clear: `Corridor-e2e partner sighting ${run}`,
    amber: `Corridor-e2e restricted partner case ${run}`,
    twoHops: `Corridor-e2e second hop ${run}`,
  };

  const submit = async (key: string, body: Record<string, unknown>) => {
    const reply = await call(deployment.baseUrl, 'POST', '/api/v1/incidents', { token: key, body: incidentBody(body) });
    expect(reply.status).toBe(201);
    return reply.body.id as string;
  };

  beforeAll(async () => {
    deployment = await startDeployment('dashboard-incident');
    ours = await createOrganization(deployment.env);
    partner = await createOrganization(deployment.env, { country: 'SA' });
    third = await createOrganization(deployment.env, { country: 'AE' });
    // An org-admin who analyses too: may list the organization's people, so assigns by name.
    analyst = await createOrgAdmin(deployment, ours.id, { roles: ['org-admin', 'analyst'], name: 'Duty analyst' });
    const { accessToken } = await logIn(deployment.baseUrl, analyst);
    colleague = await createPerson(deployment.baseUrl, accessToken, ['analyst'], { name: `Night analyst ${run}` });

    ids.ours = await submit(ours.key, { title: titles.ours, tlp: 'GREEN', indicators: [visible, hidden, warned] });
    ids.clear = await submit(partner.key, {
      title: titles.clear,
      tlp: 'CLEAR',
      indicators: [visible, further, warned],
    });
    ids.amber = await submit(partner.key, { title: titles.amber, tlp: 'AMBER', indicators: [hidden] });
    ids.twoHops = await submit(third.key, { title: titles.twoHops, tlp: 'CLEAR', indicators: [further] });
    // Processed and correlated on both of our incident's indicators.
    await waitFor(
      async () => {
        const reply = await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${ids.ours}`, { token: ours.key });
        const twoHops = await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${ids.twoHops}`, {
          token: third.key,
        });
        return reply.body.correlations?.length === 2 && twoHops.body.correlations?.length === 1;
      },
      30_000,
      'the seeded incidents correlated',
    );
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([deployment?.api.stop(), deployment?.worker.stop()]);
  });

  /** The GET requests of the timeline a page made: a live entry must not come from one of these. */
  const timelineReads = (page: Page) => {
    const reads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && /\/api\/v1\/incidents\/[^/]+\/timeline/.test(request.url())) {
        reads.push(request.url());
      }
    });
    return reads;
  };

  it('shows correlations, the timeline and the cluster, and changes status, assignment and contact live', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    const reads = timelineReads(page);
    await page.goto(`${deployment.baseUrl}/incidents/${ids.ours}`);
    await signIn(page, analyst);
    await page.getByRole('heading', { name: titles.ours }).waitFor();

    // The CLEAR match in full, with a link; the AMBER one as its owner discloses it, with a contact button.
    const full = page.locator('ul.correlations li', { hasText: titles.clear });
    await full.waitFor();
    expect(await full.locator(`a[href="/incidents/${ids.clear}"]`).count()).toBe(1);
    const anonymous = page.locator('ul.correlations li', { hasText: 'a partner organization holds a matching report' });
    expect(await anonymous.locator('bdi[dir=ltr]').first().textContent()).toBe(hidden);
    await anonymous.getByRole('button', { name: 'Ask for contact' }).click();
    await anonymous.locator('[data-contact-status=pending]', { hasText: 'waiting for an answer' }).waitFor();

    // The indicators: the resolver shown with the warning list it is on, and said not to be correlated.
    const resolver = page.locator('table.indicators tr', { hasText: warned });
    expect(await resolver.locator('.warnings').textContent()).toMatch(shown('Public DNS resolverNot correlated'));
    expect(await resolver.locator('.pap').textContent()).toBe('PAP:GREEN');
    expect(await page.locator('table.indicators tr', { hasText: visible }).locator('.warnings').textContent()).toBe('');
    await page.getByText('Indicators with a warning are not malicious on their own').waitFor();
    expect(await page.locator('.incident-head .pap').textContent()).toBe('PAP:GREEN');

    // The timeline: submitted, processed, one entry per correlation, and the contact request just made (live).
    const timeline = page.locator('ol.timeline');
    await timeline.locator('li[data-kind=submitted]', { hasText: 'submitted the incident' }).waitFor();
    await timeline.locator('li[data-kind=processed]', { hasText: '3 indicators kept' }).waitFor();
    expect(await timeline.locator('li[data-kind=correlated]').count()).toBe(2);
    await timeline
      .locator('li[data-kind=contact_requested]', { hasText: 'Your organization asked for contact' })
      .waitFor({ timeout: 10_000 });

    // The cluster: ours, the partner's CLEAR incident and the one two hops away — never the AMBER one.
    const list = page.locator('ul.cluster-list');
    await list.locator('li').nth(2).waitFor({ timeout: 10_000 });
    expect(await list.locator('li').count()).toBe(3);
    expect(await list.locator('li.root [aria-current=page]').textContent()).toContain(titles.ours);
    expect(await list.locator(`a[href="/incidents/${ids.clear}"]`).textContent()).toBe(titles.clear);
    expect(await list.locator(`a[href="/incidents/${ids.twoHops}"]`).textContent()).toBe(titles.twoHops);
    expect(await page.locator('.cluster-canvas canvas').count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(titles.amber);
    expect(await page.content()).not.toContain(ids.amber);

    // The status control offers only what the workflow allows; the change arrives in the timeline live.
    const status = page.locator('select[name=status]');
    const offered = await status
      .locator('option')
      .evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value));
    expect(offered).toEqual(['', 'triaged', 'investigating', 'contained', 'resolved', 'closed']);
    const readsBefore = reads.length;
    await status.selectOption('triaged');
    await page.getByRole('button', { name: 'Change status' }).click();
    await timeline
      .locator('li[data-kind=status_changed]', { hasText: 'You changed the status from New to Triaged' })
      .waitFor({ timeout: 10_000 });
    // The entry may arrive before the answer to the change: the field follows with the answer.
    await page.locator('dd[data-field=status]', { hasText: 'Triaged' }).waitFor();
    // Now from triaged: no way back to new or triaged.
    expect(
      await page
        .locator('select[name=status] option')
        .evaluateAll((options) => options.map((option) => (option as unknown as { value: string }).value)),
    ).toEqual(['', 'investigating', 'contained', 'resolved', 'closed']);

    // Assignment by name (an org-admin may list the organization's people).
    await page.locator('select[name=assignee]').selectOption({ label: `Night analyst ${run}` });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.locator('dd[data-field=assignee]', { hasText: `Night analyst ${run}` }).waitFor();
    await timeline
      .locator('li[data-kind=assigned]', { hasText: shown(`You assigned the incident to Night analyst ${run}`) })
      .waitFor({ timeout: 10_000 });
    // Both entries came over the socket: the timeline was not read again.
    expect(reads.length).toBe(readsBefore);

    // What the page shows is what the api stored.
    const stored = await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${ids.ours}`, { token: ours.key });
    expect(stored.body).toMatchObject({ status: 'triaged', assigneeId: colleague.id });
    const contact = stored.body.correlations.find((c: any) => c.counterpart.disclosure === 'anonymous').contact;
    expect(contact).toMatchObject({ direction: 'outgoing', status: 'pending' });

    await screenshot(page, 'incident-en');

    // The graph by keyboard: the first arrow reaches the root, the next the first other incident by title.
    const canvas = page.locator('.cluster-canvas');
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('.cluster-graph [aria-live]', { hasText: shown(`${titles.ours}, TLP:GREEN, 1 of 3`) }).waitFor();
    await page.keyboard.press('ArrowRight');
    const next = [titles.clear, titles.twoHops].sort((a, b) => a.localeCompare(b))[0];
    await page.locator('.cluster-graph [aria-live]', { hasText: shown(`${next}, TLP:CLEAR, 2 of 3`) }).waitFor();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: next }).waitFor();
    expect(page.url()).toBe(`${deployment.baseUrl}/incidents/${next === titles.clear ? ids.clear : ids.twoHops}`);
    // A partner's incident: shown, not changeable by us.
    expect(await page.locator('select[name=status]').count()).toBe(0);

    expect(external).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('offers an analyst who may not list people "assign to me" and "unassign"', async () => {
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await page.goto(`${deployment.baseUrl}/incidents/${ids.ours}`);
    await signIn(page, colleague);
    await page.getByRole('heading', { name: titles.ours }).waitFor();
    // Assigned to this person by the previous test.
    await page.locator('dd[data-field=assignee]', { hasText: 'You' }).waitFor();
    expect(await page.locator('select[name=assignee]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Assign to me' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Unassign' }).click();
    await page.locator('dd[data-field=assignee]', { hasText: 'Nobody' }).waitFor();
    await page.locator('ol.timeline li[data-kind=assigned]', { hasText: 'You removed the assignment' }).waitFor();
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await page.locator('dd[data-field=assignee]', { hasText: 'You' }).waitFor();
    const stored = await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${ids.ours}`, { token: ours.key });
    expect(stored.body.assigneeId).toBe(colleague.id);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lets the owner of the restricted incident accept the contact request; then each side names the other', async () => {
    const partnerAnalyst = await createOrgAdmin(deployment, partner.id, { roles: ['org-admin', 'analyst'] });
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await page.goto(`${deployment.baseUrl}/incidents/${ids.amber}`);
    await signIn(page, partnerAnalyst);
    await page.getByRole('heading', { name: titles.amber }).waitFor();
    // Asked by the first test: a partner asks, nothing more — until accepted.
    const match = page.locator('ul.correlations li', { hasText: hidden });
    await match.locator('[data-contact-status=pending]', { hasText: 'A partner asks to be put in contact' }).waitFor();
    await match.getByRole('button', { name: 'Accept contact' }).click();
    await match.locator('[data-contact-status=accepted]', { hasText: 'You accepted contact' }).waitFor();
    await page
      .locator('ol.timeline li[data-kind=contact_answered]', { hasText: 'Your organization accepted contact with' })
      .waitFor({ timeout: 10_000 });
    expect(problems).toEqual([]);
    await context.close();

    const ourSide = await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${ids.ours}`, { token: ours.key });
    const contact = ourSide.body.correlations.find((c: any) => c.value === hidden).contact;
    expect(contact).toMatchObject({ direction: 'outgoing', status: 'accepted', incidentId: ids.amber });
  });

  it('shows the field the api refuses beside it, then lands on the new incident with its extracted indicators', async () => {
    const { context, page, problems, external } = await openDashboard(browser, deployment.baseUrl);
    await signIn(page, analyst);
    await page.getByRole('link', { name: 'Report an incident' }).click();
    await page.getByRole('heading', { name: 'Report an incident' }).waitFor();

    const title = `Corridor-e2e phoned-in report ${run}`;
    const host = `login-${run}.corridor-test.org`;
    await page.locator('input[name=title]').fill(title);
    await page
      .locator('textarea[name=description]')
      .fill(`Caller saw mails linking to hxxps://${host.replace(/\./g, '[.]')}/owa from 198.51.100[.]23`);
    await page.locator('select[name=class]').selectOption('fraud');
    await page.locator('select[name=type]').selectOption('phishing');
    await page.locator('select[name=severity]').selectOption('high');
    // TLP:RED for someone who does not exist: refused, and said beside the recipients.
    await page.locator('select#submit-tlp').selectOption('RED');
    await page.locator('textarea[name=recipientUsers]').fill('no-such-person');
    await page.locator('input[name=indicator-0]').fill('D41D8CD98F00B204E9800998ECF8427E');
    await page.locator('select[name=indicator-type-0]').selectOption('md5');
    await page.getByRole('button', { name: 'Submit the incident' }).click();

    const errors = page.locator('.field-errors[data-field=recipients]');
    await errors.waitFor();
    expect(await errors.textContent()).toContain('no user no-such-person');
    const field = page.locator('textarea[name=recipientUsers]');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect((await field.getAttribute('aria-describedby'))?.split(' ')).toContain(await errors.getAttribute('id'));
    expect(await field.evaluate((node) => node === node.ownerDocument.activeElement)).toBe(true);
    // Nothing else was refused, and nothing was stored.
    expect(await page.locator('.field-errors').count()).toBe(1);
    const listed = await call(deployment.baseUrl, 'GET', `/api/v1/incidents?q=${encodeURIComponent(title)}`, {
      token: ours.key,
    });
    expect(listed.body.items).toEqual([]);
    await screenshot(page, 'submit-refused-en');

    // At TLP:GREEN (no people named) it is accepted, and the page of the new incident opens.
    await page.locator('select#submit-tlp').selectOption('GREEN');
    // The PAP choice offers the default for the TLP chosen, then the four levels; PAP:RED is taken.
    expect(await page.locator('select#submit-pap option').first().textContent()).toBe(
      'Default for the TLP (PAP:GREEN)',
    );
    await page.locator('select#submit-pap').selectOption('RED');
    await page.getByRole('button', { name: 'Submit the incident' }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    const id = /\/incidents\/([^/]+)$/.exec(page.url())?.[1] ?? '';
    expect(id).not.toBe('');

    // Processed in the background; the page shows the indicators from the text, refanged and canonical.
    const table = page.locator('table.indicators');
    await table.locator('tr', { hasText: `https://${host}/owa` }).waitFor({ timeout: UI_WAIT_MS });
    await table.locator('tr', { hasText: '198.51.100.23' }).waitFor();
    await table.locator('tr', { hasText: 'd41d8cd98f00b204e9800998ecf8427e' }).waitFor();
    expect(await table.locator('tr', { hasText: '198.51.100.23' }).textContent()).toContain('Description');

    const stored = await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${id}`, { token: ours.key });
    expect(stored.body).toMatchObject({ title, tlp: 'GREEN', pap: 'RED', severity: 'high', recipients: { users: [] } });
    expect(stored.body.indicators.map((i: any) => [i.type, i.value, i.source]).sort()).toEqual(
      [
        ['ipv4', '198.51.100.23', 'description'],
        ['md5', 'd41d8cd98f00b204e9800998ecf8427e', 'field'],
        ['url', `https://${host}/owa`, 'description'],
      ].sort(),
    );
    expect(external).toEqual([]);
    // The refusal is the one failed request.
    expect(problems).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
    await context.close();
  });

  it('lets the submitting organization retract an incident, with a reason and a confirmation', async () => {
    const title = `Corridor-e2e exercise data ${run}`;
    const id = await submit(ours.key, { title, tlp: 'GREEN', indicators: [`retract-${run}.corridor-test.net`] });
    await waitFor(
      async () =>
        (await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${id}`, { token: ours.key })).body.state ===
        'correlated',
      30_000,
      'the incident processed',
    );
    const { context, page, problems } = await openDashboard(browser, deployment.baseUrl);
    await page.goto(`${deployment.baseUrl}/incidents/${id}`);
    await signIn(page, analyst);
    await page.getByRole('heading', { name: title }).waitFor();
    const control = page.locator('details.retract');
    await control.locator('summary').click();
    const button = control.getByRole('button', { name: 'Retract the incident' });
    expect(await button.isDisabled()).toBe(true);
    await control.locator('textarea[name=reason]').fill('Exercise data, submitted in error');
    expect(await button.isDisabled()).toBe(true); // not confirmed yet
    await control.getByRole('checkbox').check();
    await button.click();
    await page.getByRole('status').filter({ hasText: 'Retraction recorded' }).waitFor();
    // Carried out by the worker: the page then says so, and REST answers 410 to us.
    await page.getByRole('alert').filter({ hasText: 'retracted by its submitter' }).waitFor({ timeout: UI_WAIT_MS });
    const gone = await call(deployment.baseUrl, 'GET', `/api/v1/incidents/${id}`, { token: ours.key });
    expect(gone.status).toBe(410);
    // The browser logs the 410 of the incident's re-read; nothing else went wrong.
    expect(problems.filter((problem) => !problem.includes('status of 410'))).toEqual([]);
    await context.close();
  });

  it('passes axe on the incident page and the form, in English and Arabic', async () => {
    // axe is injected as a script: this context alone bypasses the page's policy.
    const { context, page } = await openDashboard(browser, deployment.baseUrl, { bypassCSP: true });
    for (const language of ['en', 'ar']) {
      await page.goto(`${deployment.baseUrl}/incidents/${ids.ours}`);
      await page.locator('select[name=language]').selectOption(language);
      await signIn(page, analyst);
      await page.locator('ul.cluster-list li').nth(2).waitFor({ timeout: 10_000 });
      await page.locator('.cluster-canvas canvas').first().waitFor();
      await page.locator('ol.timeline li').first().waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
      if (language === 'ar') await screenshot(page, 'incident-page-ar');
      await page.locator('nav.side a[href="/submit"]').click();
      await page.locator('form.submit-form').waitFor();
      expect(await seriousAxeViolations(page)).toEqual([]);
    }
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await context.close();
  });
});
