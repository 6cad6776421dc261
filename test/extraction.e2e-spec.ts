import mongoose from 'mongoose';
import {
  AppProcess,
  call,
  createOrganization,
  incidentBody,
  startDeployment,
  testIpv4,
  uniqueName,
  waitFor,
} from '@corridor/testing';

/**
 * Indicators from partners' free text and indicators field, through the real api, worker and stores:
 * defanged schemes, URLs ending in punctuation, Arabic prose with bidi marks, credentials that must
 * never be stored, and a hostile description that must not hold the api up.
 */
describe('indicator extraction end to end (api + worker + FerretDB + Redis)', () => {
  let env: Record<string, string>;
  let baseUrl: string;
  let api: AppProcess;
  let worker: AppProcess;
  let key: string;
  let connection: mongoose.Connection;

  const submit = (body: Record<string, unknown>) => call(baseUrl, 'POST', '/api/v1/incidents', { token: key, body });
  const get = (id: string) => call(baseUrl, 'GET', `/api/v1/incidents/${id}`, { token: key });
  const correlated = async (id: string) => {
    await waitFor(async () => (await get(id)).body.state === 'correlated', 30_000, `incident ${id} correlated`);
    return (await get(id)).body;
  };

  beforeAll(async () => {
    ({ env, baseUrl, api, worker } = await startDeployment('extraction'));
    key = (await createOrganization(env, { name: uniqueName('CERT extraction ') })).key;
    connection = await mongoose.createConnection(env.MONGODB_URI).asPromise();
  }, 180_000);

  afterAll(async () => {
    await connection?.close();
    await Promise.all([api?.stop(), worker?.stop()]);
  });

  it('stores every indicator of Arabic and English prose in canonical form, and no credential anywhere', async () => {
    const domain = `${uniqueName('c2-')}.com`;
    const ip = testIpv4();
    const fieldIp = testIpv4();
    const description = [
      `\u062a\u0645 \u0631\u0635\u062f ${ip}\u060c \u062b\u0645 \u200f${domain.replace('.', '[.]')}\u200f.`,
      `Beacons to h[tt]ps://${domain.replace('.', '[.]')}/gate;v=2, then ftp admin:s3cret-pw@files.${domain}.`,
      'Upgrade to version 1.2.3.4 and run setup.exe.',
    ].join('\n');
    const created = await submit(
      incidentBody({
        description,
        indicators: [`http://user:s3cret-pw@${domain}/login`, `\u200f${fieldIp}\u200f`, '::ffff:192.0.2.1'],
      }),
    );
    expect(created.status).toBe(201);
    const incident = await correlated(created.body.id);

    expect(incident.indicators.map((i: { type: string; value: string }) => [i.type, i.value])).toEqual([
      ['url', `http://${domain}/login`],
      ['ipv4', fieldIp],
      ['ipv6', '::ffff:192.0.2.1'],
      ['ipv4', ip],
      ['domain', domain],
      ['url', `https://${domain}/gate;v=2`],
      ['domain', `files.${domain}`],
    ]);
    expect(incident.rejectedIndicators).toEqual([]);
    expect(JSON.stringify([incident.indicators, incident.rejectedIndicators])).not.toContain('s3cret');

    // What the store holds: the submitted list and the indicators, not only what the api shows.
    const stored = await connection.collection('incidents').findOne({ _id: created.body.id as never });
    expect(stored).not.toBeNull();
    expect(JSON.stringify([stored?.submitted, stored?.indicators, stored?.rejectedIndicators])).not.toContain('s3cret');

    // The defanged form finds it by search.
    const found = await call(baseUrl, 'GET', `/api/v1/search?value=${encodeURIComponent(`hxtp://${domain}/login`)}`, {
      token: key,
    });
    expect(found.status).toBe(200);
    expect(found.body.value).toBe(`http://${domain}/login`);
    expect(found.body.items.map((item: { id: string }) => item.id)).toContain(created.body.id);
  });

  it('takes a 100 KB description of nested defang brackets and still answers other requests', async () => {
    const ip = testIpv4();
    const hostile = `a${'['.repeat(200)}.${']'.repeat(200)}com `.repeat(240);
    const created = await submit(incidentBody({ description: `${hostile}\nC2 ${ip.replace(/\.(\d+)$/, '[.]$1')}` }));
    expect(created.status).toBe(201);
    const other = await submit(incidentBody({ description: 'nothing here' }));
    expect(other.status).toBe(201);
    const incident = await correlated(created.body.id);
    // Each hostile word refangs to a.com; the address after them is still found.
    expect(incident.indicators.map((i: { value: string }) => i.value)).toEqual(['a.com', ip]);
  });
});
