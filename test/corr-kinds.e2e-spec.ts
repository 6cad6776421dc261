import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import {
  RecordingClient,
  call,
  createOrgAdmin,
  createOrganization,
  logIn,
  incidentBody,
  runCli,
  startDeployment,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type Org = { id: string; name: string; key: string };
type Alert = {
  id: string;
  type: string;
  value: string;
  kind: string;
  strength: string;
  matched: { type: string; value: string } | null;
  yourIncidentId: string;
  counterpart: { disclosure: string; incident?: { id: string } };
};

const HOT_THRESHOLD = 3;
const byte = () => 1 + (randomBytes(1)[0] % 250);
const hex = () => randomBytes(2).toString('hex');

/**
 * Every kind of correlation on real stores: each produces a correlation and a live alert carrying
 * its kind and strength; TLP holds for every kind (the other side's value reaches only readers who
 * may see that incident); false positives; the hot-value cut-off; the reindex rebuilding all kinds.
 */
describe('correlation kinds (api, worker, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  const orgs: Record<'a' | 'b' | 'c' | 'd', Org> = {} as never;
  const clients: Partial<Record<'a' | 'b' | 'c' | 'd', RecordingClient>> = {};

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const processed = async (org: Org, overrides: Record<string, unknown>) => {
    const created = await http(org.key, 'POST', '/api/v1/incidents', incidentBody({ tlp: 'CLEAR', ...overrides }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(
      async () => (await http(org.key, 'GET', `/api/v1/incidents/${id}`)).body.state === 'correlated',
      15_000,
      `incident ${id} correlated`,
    );
    return id;
  };
  const detail = async (org: Org, id: string) => (await http(org.key, 'GET', `/api/v1/incidents/${id}`)).body;
  const alertTo = (tag: 'a' | 'b' | 'c' | 'd', incidentId: string, kind: string) =>
    clients[tag]!.next(
      'correlation.alert',
      (x) => x.yourIncidentId === incidentId && x.kind === kind,
    ) as Promise<Alert>;

  beforeAll(async () => {
    deployment = await startDeployment('corr-kinds', { CORRELATION_HOT_THRESHOLD: String(HOT_THRESHOLD) });
    baseUrl = deployment.baseUrl;
    for (const tag of ['a', 'b', 'c', 'd'] as const) {
      orgs[tag] = await createOrganization(deployment.env, { kind: 'cert' });
      const client = new RecordingClient(baseUrl, orgs[tag].key);
      await client.connected();
      clients[tag] = client;
    }
  }, 120_000);

  afterAll(async () => {
    Object.values(clients).forEach((client) => client?.close());
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  }, 180_000);

  /** A (earlier) reports `earlier`, B (later) reports `later`: both are alerted with `kind` and `strength`. */
  async function expectKind(earlier: string, later: string, kind: string, strength: string) {
    const first = await processed(orgs.a, { indicators: [earlier] });
    const second = await processed(orgs.b, { indicators: [later] });
    const [toB, toA] = await Promise.all([alertTo('b', second, kind), alertTo('a', first, kind)]);
    expect(toB).toMatchObject({ kind, strength, counterpart: { disclosure: 'full', incident: { id: first } } });
    expect(toA).toMatchObject({ kind, strength, counterpart: { disclosure: 'full', incident: { id: second } } });
    // Each side reads its own value first, and the other's as `matched` (both incidents are CLEAR).
    expect(toA.matched?.value).toBe(toB.value);
    expect(toB.matched?.value).toBe(toA.value);
    const view = (await detail(orgs.b, second)).correlations.find((c: Alert) => c.id === toB.id);
    expect(view).toMatchObject({ kind, strength, matched: toB.matched });
    return { first, second, toA, toB };
  }

  it('an IP inside a reported CIDR, and a CIDR containing a reported IP (v4)', async () => {
    const net = `45.${byte()}.${byte()}`;
    const one = await expectKind(`${net}.0/24`, `${net}.77`, 'ip-in-cidr', 'medium');
    expect(one.toB).toMatchObject({
      type: 'ipv4',
      value: `${net}.77`,
      matched: { type: 'cidr', value: `${net}.0/24` },
    });
    const other = `45.${byte()}.${byte()}`;
    await expectKind(`${other}.9`, `${other}.0/25`, 'ip-in-cidr', 'medium');
  });

  it('an IP inside a reported CIDR, both ways round (v6), at an odd prefix length', async () => {
    const group = hex();
    await expectKind(`2a0c:b641:${group}::/47`, `2a0c:b641:${group}:1::5`, 'ip-in-cidr', 'medium');
    const other = hex();
    await expectKind(`2a0c:b641:${other}::1`, `2a0c:b641:${other}::/64`, 'ip-in-cidr', 'medium');
  });

  it('overlapping CIDRs, v4 and v6, the wider one earlier or later', async () => {
    const b = byte();
    await expectKind(`46.${b}.0.0/16`, `46.${b}.${byte()}.0/24`, 'cidr-overlap', 'weak');
    const group = hex();
    await expectKind(`2a0c:b641:${group}:ab00::/56`, `2a0c:b641:${group}::/48`, 'cidr-overlap', 'weak');
  });

  it('a domain and its subdomains, either way round, public-suffix aware', async () => {
    const domain = `${uniqueName('evil-')}.corridor-test.co.uk`;
    await expectKind(domain, `login.portal.${domain}`, 'subdomain', 'medium');
    const other = `${uniqueName('corp-')}.corridor-test.com`;
    await expectKind(`mail.${other}`, other, 'subdomain', 'medium');
  });

  it('never across a public suffix: a.github.io and b.github.io do not correlate', async () => {
    const tag = uniqueName('');
    await processed(orgs.a, { indicators: [`a${tag}.github.io`, `x.c${tag}.github.io`] });
    const later = await processed(orgs.b, { indicators: [`b${tag}.github.io`, `c${tag}.github.io`] });
    const kinds = (await detail(orgs.b, later)).correlations.map((c: Alert) => [c.kind, c.value, c.matched?.value]);
    // Only x.c….github.io under c….github.io (one registrable domain) relates.
    expect(kinds).toEqual([['subdomain', `c${tag}.github.io`, `x.c${tag}.github.io`]]);
  });

  it('a URL and its host, and a parent domain of its host', async () => {
    const host = `${uniqueName('phish-')}.corridor-test.net`;
    await expectKind(host, `https://${host}/login?x=1`, 'url-host', 'medium');
    const parent = `${uniqueName('cdn-')}.corridor-test.org`;
    await expectKind(`https://static.${parent}/kit.zip`, parent, 'url-domain', 'weak');
    const ip = `47.51.100.${byte()}`;
    await expectKind(`http://${ip}:8080/payload`, ip, 'url-host', 'medium');
  });

  it('an e-mail address and its domain', async () => {
    const domain = `${uniqueName('mail-')}.corridor-test.com`;
    await expectKind(`ceo@${domain}`, domain, 'email-domain', 'medium');
  });

  it('hashes submitted together are one file: reports of either correlate', async () => {
    const md5 = randomBytes(16).toString('hex');
    const sha256 = randomBytes(32).toString('hex');
    // B reported the sha256 alone, A both hashes of the sample, then C the md5 alone.
    const b = await processed(orgs.b, { indicators: [sha256] });
    const a = await processed(orgs.a, { indicators: [md5, sha256] });
    const c = await processed(orgs.c, { indicators: [md5] });
    const [toC, toB] = await Promise.all([alertTo('c', c, 'file-alias'), alertTo('b', b, 'file-alias')]);
    expect(toC).toMatchObject({
      type: 'md5',
      value: md5,
      strength: 'strong',
      matched: { type: 'sha256', value: sha256 },
    });
    expect(toC.counterpart.incident?.id).toBe(b);
    expect(toB).toMatchObject({ type: 'sha256', value: sha256, matched: { type: 'md5', value: md5 } });
    const exact = (await detail(orgs.c, c)).correlations.filter((x: Alert) => x.kind === 'exact');
    expect(exact.map((x: Alert) => x.counterpart.incident?.id)).toEqual([a]);
  });

  it('the cluster takes depth (alias of hops) and draws the new kinds as edges with their kind', async () => {
    const net = `45.${byte()}.${byte()}`;
    const { first, second } = await expectKind(`${net}.0/24`, `${net}.5`, 'ip-in-cidr', 'medium');
    const reply = await http(orgs.b.key, 'GET', `/api/v1/incidents/${second}/cluster?depth=1`);
    expect(reply.status).toBe(200);
    expect(reply.body.edges).toEqual([
      {
        source: second,
        target: first,
        indicators: [
          {
            type: 'ipv4',
            value: `${net}.5`,
            kind: 'ip-in-cidr',
            strength: 'medium',
            matched: { type: 'cidr', value: `${net}.0/24` },
          },
        ],
      },
    ]);
    const bad = await http(orgs.b.key, 'GET', `/api/v1/incidents/${second}/cluster?depth=3`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('depth');
  });

  it('TLP: no kind reveals an incident the reader may not see, nor its value', async () => {
    const net = `45.${byte()}.${byte()}`;
    const title = `AMBER ${uniqueName('secret-')}`;
    const hidden = await processed(orgs.a, {
      tlp: 'AMBER',
      title,
      indicators: [`${net}.0/24`, `${uniqueName('h-')}.corridor-test.com`],
    });
    const mine = await processed(orgs.b, { tlp: 'CLEAR', indicators: [`${net}.200`] });
    const toB = await alertTo('b', mine, 'ip-in-cidr');
    // AMBER discloses an anonymous match by default: the level, never the range, the title or the id.
    expect(toB).toMatchObject({ value: `${net}.200`, matched: null, counterpart: { disclosure: 'anonymous' } });
    const everything = JSON.stringify([
      toB,
      await detail(orgs.b, mine),
      (await http(orgs.b.key, 'GET', '/api/v1/alerts')).body,
      (await http(orgs.b.key, 'GET', `/api/v1/incidents/${mine}/cluster?depth=2`)).body,
      (await http(orgs.b.key, 'GET', `/api/v1/search?value=${net}.200`)).body,
    ]);
    for (const secret of [`${net}.0/24`, title, hidden]) expect(everything).not.toContain(secret);
    // Searching the range itself (B typed it) finds B's own incident only.
    const byRange = (await http(orgs.b.key, 'GET', `/api/v1/search?value=${net}.0/24`)).body;
    expect([...byRange.items, ...byRange.related].map((x: { id: string }) => x.id)).toEqual([mine]);
    expect(JSON.stringify(byRange)).not.toContain(title);
    // A (the owner) may see B's CLEAR incident: it reads B's address.
    const toA = await alertTo('a', hidden, 'ip-in-cidr');
    expect(toA).toMatchObject({ value: `${net}.0/24`, matched: { type: 'ipv4', value: `${net}.200` } });
    // D, a bystander, is told nothing and finds nothing.
    expect(clients.d!.received('correlation.alert').some((x) => x.yourIncidentId === hidden)).toBe(false);
    // Only A's hidden range contains .9: D finds nothing. The range finds B's CLEAR address only.
    const search = await http(orgs.d.key, 'GET', `/api/v1/search?value=${net}.9`);
    expect([...search.body.items, ...search.body.related]).toEqual([]);
    const range = await http(orgs.d.key, 'GET', `/api/v1/search?value=${net}.0/24`);
    expect([...range.body.items, ...range.body.related].map((x: { id: string }) => x.id)).toEqual([mine]);
  });

  it('search finds related incidents of every kind, with their kind and value', async () => {
    const domain = `${uniqueName('s-')}.corridor-test.com`;
    const sub = await processed(orgs.a, { indicators: [`api.${domain}`] });
    const url = await processed(orgs.c, { indicators: [`https://${domain}/x`] });
    const reply = await http(orgs.d.key, 'GET', `/api/v1/search?value=${domain}`);
    expect(reply.status).toBe(200);
    const related = reply.body.related.map((x: { id: string; kind: string; indicator: { value: string } }) => [
      x.id,
      x.kind,
      x.indicator.value,
    ]);
    expect(related.sort()).toEqual(
      [
        [sub, 'subdomain', `api.${domain}`],
        [url, 'url-host', `https://${domain}/x`],
      ].sort(),
    );
  });

  it('false positives: suppressed in the marking organization’s list and future alerts, audited, undone', async () => {
    const net = `45.${byte()}.${byte()}`;
    const { first, second, toB } = await expectKind(`${net}.0/24`, `${net}.8`, 'ip-in-cidr', 'medium');
    const path = `/api/v1/correlations/${toB.id}/false-positive`;
    // Only a side that may see its incident can mark it.
    expect((await http(orgs.d.key, 'POST', path)).status).toBe(404);
    const marked = await http(orgs.b.key, 'POST', path);
    expect(marked.status).toBe(200);
    expect(marked.body).toMatchObject({
      id: toB.id,
      yourIncidentId: second,
      falsePositive: { by: expect.any(String) },
    });
    const listed = async (org: Org) =>
      ((await http(org.key, 'GET', '/api/v1/alerts?limit=200')).body.items as Alert[]).map((x) => x.id);
    expect(await listed(orgs.b)).not.toContain(toB.id);
    expect(await listed(orgs.a)).toContain(toB.id);
    expect((await detail(orgs.b, second)).falsePositives).toEqual([
      { correlationId: toB.id, by: expect.any(String), at: expect.any(String) },
    ]);
    expect((await detail(orgs.a, first)).falsePositives).toEqual([]);

    // C reports the same range later: the same pair of values with B's address. C is alerted, B is not.
    const again = await processed(orgs.c, { indicators: [`${net}.0/24`] });
    const toC = await alertTo('c', again, 'ip-in-cidr');
    expect(toC.matched?.value).toBe(`${net}.8`);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(clients.b!.received('correlation.alert').some((x) => x.id === toC.id)).toBe(false);
    expect(await listed(orgs.b)).not.toContain(toC.id);

    const admin = await createOrgAdmin(deployment, orgs.b.id);
    const { accessToken } = await logIn(baseUrl, admin);
    const actions = async () =>
      ((await http(accessToken, 'GET', '/api/v1/audit')).body.items as Array<{ action: string }>).map((r) => r.action);
    expect(await actions()).toContain('correlation.false-positive');

    const undone = await http(orgs.b.key, 'DELETE', path);
    expect(undone.status).toBe(200);
    expect(undone.body.falsePositive).toBeNull();
    expect(await listed(orgs.b)).toEqual(expect.arrayContaining([toB.id, toC.id]));
    expect(await actions()).toContain('correlation.false-positive.undo');
  });

  it('hot values stop correlating past the threshold and are listed with their count only', async () => {
    const hot = `47.0.2.${byte()}`;
    const owners = [orgs.a, orgs.b, orgs.c, orgs.d, orgs.a];
    const ids: string[] = [];
    for (const org of owners) ids.push(await processed(org, { indicators: [hot] }));
    // The fifth found more than the threshold already carrying it: no correlation, no alert.
    const last = await detail(orgs.a, ids[4]);
    expect(last.correlations).toEqual([]);
    expect(last.indicators.find((i: { value: string }) => i.value === hot).hot).toBe(5);
    const fourth = await detail(orgs.d, ids[3]);
    expect(fourth.correlations.length).toBe(3);
    const list = await http(orgs.c.key, 'GET', '/api/v1/indicators/hot');
    expect(list.status).toBe(200);
    expect(list.body.threshold).toBe(HOT_THRESHOLD);
    expect(list.body.items).toContainEqual({ type: 'ipv4', value: hot, incidents: 5 });
    expect(JSON.stringify(list.body)).not.toMatch(/incidentId|orgId|organization/);
    expect((await http(orgs.c.key, 'GET', '/api/v1/indicators/hot?limit=0')).status).toBe(400);
  });

  it('lists a hot value only to those who may see an incident carrying it', async () => {
    const hidden = `47.0.3.${byte()}`;
    // AMBER incidents of a, b and c name nobody else: d may see none of them.
    for (const org of [orgs.a, orgs.b, orgs.c, orgs.a, orgs.b])
      await processed(org, { tlp: 'AMBER', indicators: [hidden] });
    const hot = async (org: Org) =>
      ((await http(org.key, 'GET', '/api/v1/indicators/hot')).body.items as Array<{ value: string }>).map(
        (item) => item.value,
      );
    expect(await hot(orgs.a)).toContain(hidden);
    expect(await hot(orgs.d)).not.toContain(hidden);
    // Once d reports it itself, d has met it and is told how hot it is.
    await processed(orgs.d, { tlp: 'AMBER', indicators: [hidden] });
    const listed = (await http(orgs.d.key, 'GET', '/api/v1/indicators/hot')).body.items;
    expect(listed).toContainEqual({ type: 'ipv4', value: hidden, incidents: 6 });
  });

  it('reindex rebuilds every kind from the store', async () => {
    const net = `45.${byte()}.${byte()}`;
    const group = hex();
    const domain = `${uniqueName('r-')}.corridor-test.com`;
    const md5 = randomBytes(16).toString('hex');
    const sha1 = randomBytes(20).toString('hex');
    await processed(orgs.a, { indicators: [`${net}.0/24`, `2a0c:b641:${group}::/48`, `a.${domain}`, md5, sha1] });
    await processed(orgs.c, { indicators: [sha1] });
    // Everything of this deployment's index disappears; the CLI rebuilds it.
    const redis = new Redis(deployment.env.REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${deployment.env.REDIS_PREFIX}:{cx}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    const rebuilt = await runCli(deployment.env, ['reindex']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.json.reindexed).toBeGreaterThan(20);
    expect(rebuilt.stderr).toMatch(/reindex: \d+ incidents indexed in \d+ ms/);

    const later = await processed(orgs.b, {
      indicators: [`${net}.3`, `2a0c:b641:${group}:7::1`, domain, md5],
    });
    const kinds = (await detail(orgs.b, later)).correlations.map((c: Alert) => `${c.kind} ${c.value}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        `ip-in-cidr ${net}.3`,
        `ip-in-cidr 2a0c:b641:${group}:7::1`,
        `subdomain ${domain}`,
        `exact ${md5}`,
        `file-alias ${md5}`,
      ]),
    );
  });
});
