import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import {
  RecordingClient,
  call,
  createOrgAdmin,
  createOrganization,
  incidentBody,
  logIn,
  runCli,
  startDeployment,
  testDomain,
  testIpv4,
  uniqueName,
  waitFor,
  type Deployment,
} from '@corridor/testing';

type Entry = { id: string; type: string; value: string; note: string | null; warnings: Array<{ list: string }> };
type Hit = {
  id: string;
  watchId: string;
  watched: { type: string; value: string };
  kind: string;
  strength: string;
  matched: { type: string; value: string } | null;
  counterpart: Record<string, unknown> & { disclosure: string; incident?: { id: string; title: string } };
  createdAt: string;
};

const BODY_LIMIT = 65_536;
const hex = (n: number) => [...Array(n)].map(() => Math.floor(Math.random() * 16).toString(16)).join('');

/**
 * Watchlists (issue #9 §5) on the real stores: an organization watches values (REST, bulk text
 * import, operator CLI); when a watched value, or one related to it by a correlation kind, appears
 * in any incident, the organization's readers get `watchlist.hit` — the incident named when they may
 * see it, otherwise worded by its owner's disclosure policy — and `GET /api/v1/watchlist/hits` says
 * the same. Nobody else hears of it.
 */
describe('watchlists (api, worker, cli, FerretDB, Redis)', () => {
  let deployment: Deployment;
  let baseUrl: string;
  const orgs: Record<'w' | 'o' | 'x', { id: string; name: string; key: string }> = {} as never;
  const live: Partial<Record<'w' | 'o' | 'x', RecordingClient>> = {};

  const http = (token: string, method: string, path: string, body?: unknown) =>
    call(baseUrl, method, path, { token, body });
  const text = (token: string, path: string, content: string, contentType = 'text/plain') =>
    call(baseUrl, 'POST', path, { token, rawBody: content, headers: { 'content-type': contentType } });
  const watch = async (token: string, body: Record<string, unknown>) => {
    const reply = await http(token, 'POST', '/api/v1/watchlist', body);
    expect([200, 201]).toContain(reply.status);
    return reply.body as Entry;
  };
  const processed = async (token: string, overrides: Record<string, unknown>) => {
    const created = await http(token, 'POST', '/api/v1/incidents', incidentBody(overrides));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await waitFor(
      async () => ['correlated', 'failed'].includes((await http(token, 'GET', `/api/v1/incidents/${id}`)).body.state),
      20_000,
      `incident ${id} processed`,
    );
    return id;
  };
  const hitsOf = async (token: string, query = '') => {
    const reply = await http(token, 'GET', `/api/v1/watchlist/hits${query}`);
    expect(reply.status).toBe(200);
    return reply.body as { items: Hit[]; nextCursor: string | null };
  };
  const liveHit = async (client: RecordingClient, match: (hit: Hit) => boolean) => {
    const { eventId, ...hit } = (await client.next('watchlist.hit', (h) =>
      match(h as unknown as Hit),
    )) as unknown as Hit & {
      eventId: string;
    };
    expect(typeof eventId).toBe('string');
    return hit;
  };

  beforeAll(async () => {
    deployment = await startDeployment('watchlists', { BODY_LIMIT_BYTES: String(BODY_LIMIT) });
    baseUrl = deployment.baseUrl;
    for (const tag of ['w', 'o', 'x'] as const) {
      orgs[tag] = await createOrganization(deployment.env, { kind: 'cert' });
      live[tag] = new RecordingClient(baseUrl, orgs[tag].key);
      await live[tag].connected();
      await live[tag].resumed();
    }
  }, 120_000);

  afterAll(async () => {
    for (const client of Object.values(live)) client?.close();
    await Promise.all([deployment.api.stop(), deployment.worker.stop()]);
  }, 180_000);

  describe('the list', () => {
    it('adds a value in canonical form, answers a repeat with the same entry, pages, and removes', async () => {
      const domain = testDomain('crud');
      const first = await http(orgs.w.key, 'POST', '/api/v1/watchlist', {
        value: `hxxps://${domain.toUpperCase().replace(/\./g, '[.]')}`,
        note: 'phishing kit',
      });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        type: 'url',
        value: `https://${domain}/`,
        note: 'phishing kit',
        warnings: [],
      });
      expect(first.body.id).toMatch(/^wl-[0-9a-f]{40}$/);
      const again = await http(orgs.w.key, 'POST', '/api/v1/watchlist', { value: `https://${domain}/` });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);

      const second = await watch(orgs.w.key, { value: testIpv4(), type: 'ipv4' });
      const page1 = await http(orgs.w.key, 'GET', '/api/v1/watchlist?limit=1');
      expect(page1.status).toBe(200);
      expect(page1.body.items.map((e: Entry) => e.id)).toEqual([second.id]);
      const page2 = await http(orgs.w.key, 'GET', `/api/v1/watchlist?limit=1&cursor=${page1.body.nextCursor}`);
      expect(page2.body.items.map((e: Entry) => e.id)).toEqual([first.body.id]);

      // Another organization sees nothing of it and cannot remove it.
      expect((await http(orgs.x.key, 'GET', '/api/v1/watchlist')).body.items).toEqual([]);
      expect((await http(orgs.x.key, 'DELETE', `/api/v1/watchlist/${second.id}`)).status).toBe(404);
      expect((await http(orgs.w.key, 'DELETE', `/api/v1/watchlist/${second.id}`)).status).toBe(204);
      expect((await http(orgs.w.key, 'DELETE', `/api/v1/watchlist/${second.id}`)).status).toBe(404);
      const after = await http(orgs.w.key, 'GET', '/api/v1/watchlist?limit=200');
      expect(after.body.items.map((e: Entry) => e.id)).not.toContain(second.id);
    });

    it('refuses bad input with a 400 naming the field, and never echoes a credential', async () => {
      const cases: Array<[unknown, string]> = [
        [{ value: 'not an indicator at all' }, 'value'],
        [{ value: 'evil.corridor-test.net', type: 'ipv4' }, 'value'],
        [{ value: 'evil.corridor-test.net', type: 'hostname' }, 'type'],
        [{ note: 'no value' }, 'value'],
        [{ value: 'evil.corridor-test.net', note: 'x'.repeat(501) }, 'note'],
        [{ value: 'evil.corridor-test.net', extra: 1 }, 'extra'],
        [{ value: 'admin:hunter2@mail.corridor-test.net' }, 'value'],
        [{ value: '0.0.0.0/0' }, 'value'],
        [{ value: '2a00::/11' }, 'value'],
      ];
      for (const [body, field] of cases) {
        const reply = await http(orgs.w.key, 'POST', '/api/v1/watchlist', body);
        expect(reply.status).toBe(400);
        expect(reply.body.error.code).toBe('validation_failed');
        expect(reply.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
        expect(JSON.stringify(reply.body)).not.toContain('hunter2');
      }
      const cursor = await http(orgs.w.key, 'GET', '/api/v1/watchlist?cursor=bm90LWEtY3Vyc29y');
      expect(cursor.status).toBe(400);
      expect(cursor.body.error.details.fields[0].field).toBe('cursor');
    });

    it('keeps a value on a warning list, with its warning', async () => {
      const entry = await watch(orgs.w.key, { value: '8.8.8.8' });
      expect(entry.warnings.map((w) => w.list)).toEqual(['public-dns-resolvers']);
    });

    it('is described in the OpenAPI document, the import as text/plain', async () => {
      const doc = (await call(baseUrl, 'GET', '/docs/openapi.json')).body;
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/watchlist',
          '/api/v1/watchlist/import',
          '/api/v1/watchlist/hits',
          '/api/v1/watchlist/{id}',
        ]),
      );
      expect(Object.keys(doc.paths['/api/v1/watchlist/import'].post.requestBody.content)).toEqual(['text/plain']);
      expect(doc.paths['/api/v1/watchlist/hits'].get.responses['200'].content['application/json'].schema.$ref).toBe(
        '#/components/schemas/WatchHitPageDto',
      );
    });

    it('asks for incidents:read to read and incidents:write to change', async () => {
      const admin = await createOrgAdmin(deployment, orgs.x.id);
      const token = (await logIn(baseUrl, admin)).accessToken;
      expect((await http(token, 'GET', '/api/v1/watchlist')).status).toBe(403);
      expect((await http(token, 'POST', '/api/v1/watchlist', { value: testIpv4() })).status).toBe(403);
      expect((await http(token, 'GET', '/api/v1/watchlist/hits')).status).toBe(403);
    });
  });

  describe('bulk import', () => {
    it('counts added, duplicate and rejected lines, naming each rejected line', async () => {
      const [a, b] = [testDomain('imp'), testIpv4()];
      const already = await watch(orgs.w.key, { value: b });
      const file = [
        '# CERT-W watchlist',
        `${a.replace('.', '[.]')}   # seen in a phishing wave`,
        '',
        b,
        a.toUpperCase(),
        'bob:secret@mail.corridor-test.net',
        'garbage here',
        `${testIpv4().split('.').slice(0, 3).join('.')}.0/24`,
        '10.1.2.3',
      ].join('\r\n');
      const reply = await text(orgs.w.key, '/api/v1/watchlist/import', file);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        added: 3,
        duplicates: 2,
        rejected: [
          { line: 6, value: 'mail.corridor-test.net', reason: 'credential', message: expect.any(String) },
          { line: 7, value: 'garbage here', reason: 'unrecognized', message: expect.any(String) },
        ],
      });
      expect(JSON.stringify(reply.body)).not.toContain('secret');
      const entries = (await http(orgs.w.key, 'GET', '/api/v1/watchlist?limit=200')).body.items as Entry[];
      const imported = entries.find((e) => e.value === a);
      expect(imported).toMatchObject({ type: 'domain', note: 'seen in a phishing wave' });
      expect(entries.filter((e) => e.value === b).map((e) => e.id)).toEqual([already.id]);
      expect(entries.find((e) => e.value === '10.1.2.3')?.warnings.map((w) => w.list)).toEqual(['rfc1918']);
    });

    it('takes text/plain only, up to the body limit', async () => {
      const json = await http(orgs.w.key, 'POST', '/api/v1/watchlist/import', { lines: ['a'] });
      expect(json.status).toBe(400);
      expect(json.body.error.details.fields[0].field).toBe('Content-Type');
      const large = await text(orgs.w.key, '/api/v1/watchlist/import', `${'x'.repeat(BODY_LIMIT + 10)}\n`);
      expect(large.status).toBe(413);
      expect(large.body.error.code).toBe('payload_too_large');
    });
  });

  describe('hits', () => {
    const ip = testIpv4();
    const rangeBase = testIpv4().split('.').slice(0, 3).join('.');
    const domain = testDomain('watched');
    const md5 = hex(32);
    const hiddenTitle = `AMBER ${uniqueName('hidden-')}`;
    let entries: Record<'ip' | 'cidr' | 'domain' | 'md5', Entry>;

    beforeAll(async () => {
      entries = {
        ip: await watch(orgs.w.key, { value: ip }),
        cidr: await watch(orgs.w.key, { value: `${rangeBase}.0/24` }),
        domain: await watch(orgs.w.key, { value: domain }),
        md5: await watch(orgs.w.key, { value: md5 }),
      };
    });

    it('names an incident the watching organization may see, with the kind of each relation', async () => {
      const url = `https://cdn.${domain}/login`;
      const inRange = `${rangeBase}.77`;
      const id = await processed(orgs.o.key, {
        tlp: 'CLEAR',
        title: 'Visible campaign',
        indicators: [url, inRange, ip],
      });
      const fromDomain = await liveHit(live.w!, (h) => h.watchId === entries.domain.id);
      expect(fromDomain).toMatchObject({
        watched: { type: 'domain', value: domain },
        kind: 'url-domain',
        strength: 'weak',
        matched: { type: 'url', value: url },
        counterpart: {
          disclosure: 'full',
          organization: { id: orgs.o.id, name: orgs.o.name },
          incident: { id, title: 'Visible campaign', tlp: 'CLEAR' },
        },
      });
      const fromRange = await liveHit(live.w!, (h) => h.watchId === entries.cidr.id);
      expect(fromRange).toMatchObject({ kind: 'ip-in-cidr', matched: { type: 'ipv4', value: inRange } });
      expect(fromRange.counterpart.incident?.id).toBe(id);
      const exact = await liveHit(live.w!, (h) => h.watchId === entries.ip.id);
      expect(exact).toMatchObject({ kind: 'exact', strength: 'strong', matched: null });

      const listed = (await hitsOf(orgs.w.key)).items;
      for (const hit of [fromDomain, fromRange, exact]) expect(listed.find((h) => h.id === hit.id)).toEqual(hit);
    });

    it('words a hidden incident by its owner’s disclosure policy: no id, title, organization or value of it', async () => {
      const secretUrl = `https://${domain}/${uniqueName('secret-path-')}`;
      const id = await processed(orgs.o.key, {
        tlp: 'AMBER',
        title: hiddenTitle,
        description: 'Internal only',
        indicators: [secretUrl, md5],
      });
      const byHash = await liveHit(live.w!, (h) => h.watchId === entries.md5.id && h.counterpart.disclosure !== 'full');
      const byDomain = await liveHit(
        live.w!,
        (h) => h.watchId === entries.domain.id && h.counterpart.disclosure !== 'full',
      );
      for (const hit of [byHash, byDomain]) {
        expect(hit.counterpart).toEqual({ disclosure: 'anonymous', tlp: 'AMBER' });
        expect(hit.counterpart).not.toHaveProperty('incident');
        expect(hit.counterpart).not.toHaveProperty('organization');
        expect(hit.matched).toBeNull();
        const wire = JSON.stringify(hit);
        for (const secret of [id, hiddenTitle, orgs.o.id, orgs.o.name, secretUrl, 'Internal only']) {
          expect(wire).not.toContain(secret);
        }
      }
      expect(byHash.kind).toBe('exact');
      expect(byDomain.kind).toBe('url-host');
      const listed = (await hitsOf(orgs.w.key)).items;
      expect(listed.find((h) => h.id === byHash.id)).toEqual(byHash);
      expect(listed.find((h) => h.id === byDomain.id)).toEqual(byDomain);
      expect(JSON.stringify(listed)).not.toContain(hiddenTitle);
    });

    it('finds a watched hash through another hash of the same file (file-alias)', async () => {
      const watchedMd5 = hex(32);
      const otherSha = hex(64);
      const entry = await watch(orgs.w.key, { value: watchedMd5 });
      // One incident reports both hashes of the file; a later one only the sha256.
      await processed(orgs.o.key, { tlp: 'CLEAR', indicators: [watchedMd5, otherSha] });
      const later = await processed(orgs.o.key, { tlp: 'CLEAR', title: 'Sample seen again', indicators: [otherSha] });
      const hit = await liveHit(live.w!, (h) => h.watchId === entry.id && h.counterpart.incident?.id === later);
      expect(hit).toMatchObject({ kind: 'file-alias', matched: { type: 'sha256', value: otherSha } });
    });

    it('alerts an organization of its own incident carrying a value it watches', async () => {
      const own = testIpv4();
      const entry = await watch(orgs.o.key, { value: own });
      const id = await processed(orgs.o.key, { tlp: 'AMBER+STRICT', indicators: [own] });
      const hit = await liveHit(live.o!, (h) => h.watchId === entry.id);
      expect(hit.counterpart).toMatchObject({ disclosure: 'full', incident: { id } });
    });

    it('looks a newly watched value up among incidents processed before it (retro-hunt)', async () => {
      const earlier = testDomain('earlier');
      const visibleId = await processed(orgs.o.key, {
        tlp: 'CLEAR',
        title: 'Earlier visible',
        indicators: [`mail.${earlier}`],
      });
      const hiddenIp = testIpv4();
      const hiddenId = await processed(orgs.o.key, { tlp: 'AMBER', title: hiddenTitle, indicators: [hiddenIp] });
      const otherIp = testIpv4();
      const otherId = await processed(orgs.o.key, { tlp: 'CLEAR', indicators: [otherIp] });
      const byDomain = await watch(orgs.w.key, { value: earlier });
      // Two values of one file: looked up together, in one retro-hunt job.
      const imported = await text(orgs.w.key, '/api/v1/watchlist/import', `# later\n${hiddenIp}\n${otherIp}\n`);
      expect(imported.body).toEqual({ added: 2, duplicates: 0, rejected: [] });
      const other = await liveHit(live.w!, (h) => h.watched.value === otherIp);
      expect(other).toMatchObject({ kind: 'exact', counterpart: { disclosure: 'full', incident: { id: otherId } } });

      const visible = await liveHit(live.w!, (h) => h.watchId === byDomain.id);
      expect(visible).toMatchObject({
        kind: 'subdomain',
        matched: { type: 'domain', value: `mail.${earlier}` },
        counterpart: { disclosure: 'full', incident: { id: visibleId, title: 'Earlier visible' } },
      });
      const hidden = await liveHit(live.w!, (h) => h.watched.value === hiddenIp);
      expect(hidden).toMatchObject({ kind: 'exact', matched: null });
      expect(hidden.counterpart).toEqual({ disclosure: 'anonymous', tlp: 'AMBER' });
      for (const secret of [hiddenId, hiddenTitle, orgs.o.id]) expect(JSON.stringify(hidden)).not.toContain(secret);
      const listed = (await hitsOf(orgs.w.key, '?limit=200')).items;
      expect(listed.find((h) => h.id === visible.id)).toEqual(visible);
      expect(listed.find((h) => h.id === hidden.id)).toEqual(hidden);
    });

    it('stops hitting once an entry is removed', async () => {
      const [gone, kept] = [testIpv4(), testIpv4()];
      const removed = await watch(orgs.w.key, { value: gone });
      const stays = await watch(orgs.w.key, { value: kept });
      expect((await http(orgs.w.key, 'DELETE', `/api/v1/watchlist/${removed.id}`)).status).toBe(204);
      await processed(orgs.o.key, { tlp: 'CLEAR', indicators: [gone] });
      // Processed in order, and each reader's events arrive in order: once the later hit is in, an
      // earlier one would be too.
      await processed(orgs.o.key, { tlp: 'CLEAR', indicators: [kept] });
      await liveHit(live.w!, (h) => h.watchId === stays.id);
      expect(live.w!.received('watchlist.hit').filter((h) => h.watchId === removed.id)).toEqual([]);
      expect((await hitsOf(orgs.w.key, '?limit=200')).items.map((h) => h.watchId)).not.toContain(removed.id);
    });

    it('tells nothing to an organization that does not watch, nor the incident’s owner of others’ watches', async () => {
      // Every hit above reached W (or O for its own entry) before this runs.
      expect(live.x!.received('watchlist.hit')).toEqual([]);
      expect(live.o!.received('watchlist.hit').every((hit) => (hit as unknown as Hit).watched.value !== domain)).toBe(
        true,
      );
      expect((await hitsOf(orgs.x.key)).items).toEqual([]);
      const ownersView = (await hitsOf(orgs.o.key)).items;
      expect(ownersView.map((h) => h.watchId)).not.toContain(entries.domain.id);
    });

    it('records one hit per entry and incident, announced once, and pages the hits', async () => {
      const before = live.w!.received('watchlist.hit').length;
      const id = await processed(orgs.o.key, { tlp: 'CLEAR', indicators: [ip] });
      await liveHit(live.w!, (h) => h.counterpart.incident?.id === id);
      const page = await hitsOf(orgs.w.key, '?limit=200');
      expect(page.items.filter((h) => h.counterpart.incident?.id === id)).toHaveLength(1);
      expect(live.w!.received('watchlist.hit').length).toBe(before + 1);
      // Found from both sides or retried, every hit reached the watching organization once.
      const delivered = live.w!.received('watchlist.hit').map((hit) => hit.id);
      expect(new Set(delivered).size).toBe(delivered.length);
      const paged = await hitsOf(orgs.w.key, '?limit=1');
      expect(paged.items).toHaveLength(1);
      expect(paged.nextCursor).not.toBeNull();
      const next = await hitsOf(orgs.w.key, `?limit=1&cursor=${paged.nextCursor}`);
      expect(next.items[0].id).not.toBe(paged.items[0].id);
    });
  });

  describe('operator CLI', () => {
    it('imports a file for an organization and prints one summary line when not on a terminal', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'watch-'));
      const file = join(dir, 'watchlist.txt');
      const domain = testDomain('cli');
      writeFileSync(file, `# from the CLI\n${domain}\n${domain}\n${testIpv4()}\nnot-a-value here\n`);
      const result = await runCli(deployment.env, ['watchlist', 'import', '--org', orgs.x.id, file]);
      expect(result.code).toBe(0);
      expect(result.json).toEqual({
        orgId: orgs.x.id,
        added: 2,
        duplicates: 1,
        rejected: [{ line: 5, value: 'not-a-value here', reason: 'unrecognized', message: expect.any(String) }],
      });
      expect(result.stderr).toMatch(/^watchlist import: 2 added, 1 duplicates, 1 rejected in \d+ ms\n$/);
      const entries = (await http(orgs.x.key, 'GET', '/api/v1/watchlist')).body.items as Entry[];
      expect(entries.map((e) => e.value)).toContain(domain);

      const missing = await runCli(deployment.env, ['watchlist', 'import', '--org', 'no-such-org', file]);
      expect(missing.code).toBe(2);
    });

    it('rebuilds a lost watch index from the store when the next incident is processed', async () => {
      const value = testIpv4();
      const entry = await watch(orgs.w.key, { value });
      const redis = new Redis(deployment.env.REDIS_URL);
      try {
        const prefix = deployment.env.REDIS_PREFIX;
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:{cx}w:*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.del(...keys);
          cursor = next;
        } while (cursor !== '0');
        await redis.del(`${prefix}:cxw:ready`);
      } finally {
        redis.disconnect();
      }
      await processed(orgs.o.key, { tlp: 'CLEAR', indicators: [value] });
      const hit = await liveHit(live.w!, (h) => h.watchId === entry.id);
      expect(hit).toMatchObject({ kind: 'exact', watched: { type: 'ipv4', value } });
    });

    it('reindex rebuilds the watch index too, and hits still arrive', async () => {
      const value = testIpv4();
      const entry = await watch(orgs.w.key, { value });
      const rebuilt = await runCli(deployment.env, ['reindex']);
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.json.watched).toBeGreaterThanOrEqual(8);
      expect(rebuilt.stderr).toMatch(/^reindex: \d+ incidents indexed in \d+ ms \(\d+\/s\), and \d+ watched values\n$/);
      await processed(orgs.o.key, { tlp: 'CLEAR', indicators: [value] });
      const hit = await liveHit(live.w!, (h) => h.watchId === entry.id);
      expect(hit.kind).toBe('exact');
    });
  });
});
