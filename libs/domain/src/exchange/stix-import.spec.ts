import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../errors/domain-error';
import type { Incident, IncidentIndicator } from '../incidents/incident';
import { fixtureAt, greenIncidentOfA } from '../incidents/incident.fixtures';
import type { IndicatorType } from '../indicators';
import { TLP_LEVELS } from '../visibility/tlp';
import type { ImportedIncident } from './imported';
import { TLP1_MARKING_IDS, TLP2_MARKING_IDS, toStixBundle } from './stix';
import { OPENCTI_AMBER_STRICT_MARKING_ID, importStixBundle, tlpOfStixMarking } from './stix-import';

const SAMPLES = join(__dirname, 'samples', 'stix');
const sample = (name: string): any => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));
const only = (name: string): ImportedIncident => {
  const result = importStixBundle(sample(name));
  expect(result.incidents).toHaveLength(1);
  return result.incidents[0];
};
const values = (incident: ImportedIncident) =>
  incident.indicators
    .map((i) => [i.type, i.value, i.forDetection])
    .sort((a, b) => String(a[1]).localeCompare(String(b[1])));

describe('tlpOfStixMarking: every marking id', () => {
  it.each(TLP_LEVELS.map((tlp) => [TLP2_MARKING_IDS[tlp], tlp]))('TLP 2.0 %s → %s', (id, tlp) => {
    expect(tlpOfStixMarking(id)).toBe(tlp);
  });

  it.each([
    [TLP1_MARKING_IDS.WHITE, 'CLEAR'],
    [TLP1_MARKING_IDS.GREEN, 'GREEN'],
    [TLP1_MARKING_IDS.AMBER, 'AMBER'],
    [TLP1_MARKING_IDS.RED, 'RED'],
    [OPENCTI_AMBER_STRICT_MARKING_ID, 'AMBER+STRICT'],
    ['marking-definition--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c', 'AMBER+STRICT'],
    [TLP2_MARKING_IDS.GREEN.toUpperCase().replace('MARKING-DEFINITION', 'marking-definition'), 'GREEN'],
  ])('%s → %s', (id, tlp) => {
    expect(tlpOfStixMarking(id)).toBe(tlp);
  });
});

describe('importStixBundle: the samples', () => {
  it('an incident under TLP 2.0 AMBER, with its indicator patterns and CVE', () => {
    const document = sample('incident-tlp2.json');
    const incident = only('incident-tlp2.json');
    const sdo = document.objects.find((o: any) => o.type === 'incident');
    expect(incident).toMatchObject({
      externalRef: sdo.id,
      version: '2026-11-21T10:30:00.000Z',
      revoked: false,
      title: 'Phishing wave against banks',
      description: 'Credential phishing pages imitating bank logins.',
      occurredAt: new Date('2026-11-20T09:00:00.000Z'),
      tlp: 'AMBER',
      audience: { kind: 'tlp' },
      unmapped: [],
    });
    expect(incident.severity).toBeUndefined();
    expect(values(incident)).toEqual([
      ['ipv4', '203.0.113.7', true],
      ['cve', 'CVE-2026-12345', true],
      ['domain', 'login-bank.example', true],
    ]);
    expect(incident.indicators.find((i) => i.type === 'cve')?.origin).toMatch(
      /^objects\[4\]\.external_references\[0\]\.external_id$/,
    );
    expect(incident.indicators.find((i) => i.type === 'ipv4')?.origin).toBe('objects[3].pattern');
  });

  it('TLP 1.0 markings: a RED indicator narrows a GREEN incident; observed-data gives context', () => {
    const incident = only('incident-tlp1.json');
    expect(incident.tlp).toBe('RED');
    expect(incident.occurredAt).toEqual(new Date('2026-11-19T23:10:00Z'));
    expect(values(incident)).toEqual([
      ['cidr', '198.51.100.0/24', true],
      ['ipv4', '198.51.100.23', false],
    ]);
    expect(incident.unmapped.map((u) => u.reason)).toEqual(['sightings are kept as context of the incident']);
  });

  it('a report without incident is one, TLP 1.0 WHITE read as CLEAR', () => {
    const document = sample('report-tlp1-white.json');
    const incident = only('report-tlp1-white.json');
    expect(incident).toMatchObject({
      externalRef: document.objects.find((o: any) => o.type === 'report').id,
      title: 'Weekly phishing digest',
      description: 'Addresses seen in the week.',
      tlp: 'CLEAR',
      audience: { kind: 'tlp' },
    });
    expect(values(incident)).toEqual([
      ['email', 'billing@bad.example', true],
      ['url', "http://bad.example/it's\\here", true],
    ]);
  });

  it('a grouping without markings: the source default applies', () => {
    const incident = only('grouping-unmarked.json');
    expect(incident.tlp).toBeUndefined();
    expect(incident.audience).toEqual({ kind: 'source-default' });
    expect(incident.title).toBe('Samples under analysis');
    expect(values(incident)).toEqual([
      ['sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', true],
      ['md5', '44d88612fea8a8f36de82e1278abb02f', true],
      ['asn', 'AS64500', true],
    ]);
  });

  it('observed-data alone: the bundle is the incident; its SCOs are context, not for detection', () => {
    const document = sample('observed-data-tlp2-green.json');
    const incident = only('observed-data-tlp2-green.json');
    expect(incident).toMatchObject({
      externalRef: document.id,
      title: `STIX bundle ${document.id}`,
      occurredAt: new Date('2026-11-18T06:00:00.000Z'),
      version: '2026-11-21T10:30:00.000Z',
      tlp: 'GREEN',
      unmapped: [],
    });
    expect(values(incident)).toEqual([
      ['ipv4', '192.0.2.44', false],
      ['ipv6', '2001:db8::7', false],
      ['sha1', '3395856ce81f2b7382dee72602f798b642f14140', false],
      ['asn', 'AS64511', false],
      ['domain', 'c2.bad.example', false],
      [
        'sha512',
        'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
        false,
      ],
      ['url', 'https://c2.bad.example/gate.php', false],
      ['email', 'ops@bad.example', false],
    ]);
    expect(incident.indicators.find((i) => i.type === 'sha1')?.origin).toBe("objects[8].hashes['SHA-1']");
  });

  it("OpenCTI's AMBER+STRICT statement marking", () => {
    expect(only('incident-opencti-amber-strict.json').tlp).toBe('AMBER+STRICT');
  });

  it('keeps and lists unknown objects and unmappable patterns, in their incident or the result', () => {
    const document = sample('unknown-objects.json');
    const result = importStixBundle(document);
    const [incident] = result.incidents;
    expect(incident.tlp).toBe('RED');
    expect(incident.indicators).toEqual([]);
    const byType = (item: { object: string }) => item.object.split('--')[0];
    expect(incident.unmapped.map((u) => [byType(u), u.path, u.reason])).toEqual([
      ['indicator', 'objects[5].pattern', 'pattern joins comparisons with AND'],
      ['indicator', 'objects[6].pattern', 'pattern compares process:name, which Corridor has no indicator type for'],
      ['indicator', 'objects[7].pattern', 'pattern_type sigma is not STIX patterning'],
      ['malware', 'objects[3]', 'Corridor does not map malware objects'],
      ['attack-pattern', 'objects[4]', 'Corridor does not map attack-pattern objects'],
      ['x-example-ticket', 'objects[8]', 'Corridor does not map x-example-ticket objects'],
    ]);
    for (const item of incident.unmapped) {
      expect(item.kept).toBe(document.objects[Number(/\[(\d+)\]/.exec(item.path)![1])]);
    }
    expect(result.unmapped.map((u) => [byType(u), u.path, u.reason])).toEqual([
      ['note', 'objects[15]', 'note is tied to no incident'],
    ]);
  });

  it('refuses the broken samples without producing anything', () => {
    for (const name of [
      'broken-not-a-bundle.json',
      'broken-missing-type.json',
      'broken-impossible-timestamp.json',
      'broken-ref-wrong-type.json',
      'broken-modified-before-created.json',
    ]) {
      expect(() => importStixBundle(sample(name))).toThrow(DomainError);
    }
  });
});

describe('importStixBundle: incidents', () => {
  const T0 = '2026-11-20T09:00:00.000Z';
  let n = 0;
  const id = (type: string) => `${type}--5c0a2b8e-1d3f-4e6a-9b7c-${String(++n).padStart(12, '0')}`;
  const sdo = (type: string, extra: Record<string, unknown> = {}) => ({
    type,
    spec_version: '2.1',
    id: id(type),
    created: T0,
    modified: T0,
    ...extra,
  });
  const indicatorOf = (value: string, extra: Record<string, unknown> = {}) =>
    sdo('indicator', { pattern: `[domain-name:value = '${value}']`, pattern_type: 'stix', valid_from: T0, ...extra });
  const related = (a: { id: string }, b: { id: string }) =>
    sdo('relationship', { relationship_type: 'related-to', source_ref: a.id, target_ref: b.id });
  const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: id('bundle'), objects });

  it('makes one incident per incident object, each with what is tied to it', () => {
    const a = sdo('incident', { name: 'A', object_marking_refs: [TLP2_MARKING_IDS.GREEN] });
    const b = sdo('incident', { name: 'B', revoked: true, modified: '2026-11-22T00:00:00.000Z' });
    const ia = indicatorOf('a.example');
    const ib = indicatorOf('b.example', { object_marking_refs: [TLP2_MARKING_IDS.AMBER] });
    const shared = indicatorOf('shared.example');
    const ir = indicatorOf('reported.example');
    const report = sdo('report', { name: 'about A', published: T0, object_refs: [a.id, ir.id] });
    const result = importStixBundle(
      bundle(a, b, ia, ib, shared, ir, report, related(ia, a), related(b, ib), related(shared, a), related(shared, b)),
    );
    const [ra, rb] = result.incidents;
    expect(ra).toMatchObject({ externalRef: a.id, title: 'A', tlp: 'GREEN', revoked: false });
    expect(ra.indicators.map((i) => i.value)).toEqual(['a.example', 'shared.example', 'reported.example']);
    expect(ra.unmapped.map((u) => u.object)).toEqual([report.id]);
    expect(rb).toMatchObject({ externalRef: b.id, tlp: 'AMBER', revoked: true, version: '2026-11-22T00:00:00.000Z' });
    expect(rb.indicators.map((i) => i.value)).toEqual(['b.example', 'shared.example']);
    expect(result.unmapped).toEqual([]);
  });

  it('a report referring to two incidents lends its objects to neither', () => {
    const a = sdo('incident', { name: 'A' });
    const b = sdo('incident', { name: 'B' });
    const loose = indicatorOf('loose.example');
    const report = sdo('report', { name: 'both', published: T0, object_refs: [a.id, b.id, loose.id] });
    const result = importStixBundle(bundle(a, b, loose, report));
    expect(result.incidents.map((i) => i.indicators)).toEqual([[], []]);
    expect(result.unmapped.map((u) => u.object)).toEqual([loose.id, report.id]);
  });

  it('takes the latest version of an object the bundle holds twice', () => {
    const v1 = sdo('incident', { name: 'first' });
    const v2 = { ...v1, name: 'second', modified: '2026-11-21T00:00:00.000Z' };
    const result = importStixBundle(bundle(v2, v1));
    expect(result.incidents.map((i) => [i.title, i.version])).toEqual([['second', '2026-11-21T00:00:00.000Z']]);
  });

  it('several markings: the strictest; an unknown one: AMBER+STRICT', () => {
    const a = sdo('incident', { name: 'A', object_marking_refs: [TLP2_MARKING_IDS.CLEAR, TLP1_MARKING_IDS.AMBER] });
    expect(importStixBundle(bundle(a)).incidents[0].tlp).toBe('AMBER');
    const b = sdo('incident', {
      name: 'B',
      object_marking_refs: [TLP2_MARKING_IDS.GREEN, 'marking-definition--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c'],
    });
    expect(importStixBundle(bundle(b)).incidents[0].tlp).toBe('AMBER+STRICT');
  });

  it('revoked indicators and vulnerabilities without a CVE are listed, not imported', () => {
    const a = sdo('incident', { name: 'A' });
    const revoked = indicatorOf('old.example', { revoked: true });
    const vulnerability = sdo('vulnerability', { name: 'Weak default password' });
    const named = sdo('vulnerability', { name: 'CVE-2025-0001' });
    const [incident] = importStixBundle(
      bundle(a, revoked, vulnerability, named, related(revoked, a), related(vulnerability, a), related(named, a)),
    ).incidents;
    expect(incident.indicators.map((i) => [i.type, i.value, i.origin])).toEqual([
      ['cve', 'CVE-2025-0001', 'objects[3].name'],
    ]);
    expect(incident.unmapped.map((u) => u.reason)).toEqual([
      'indicator is revoked',
      expect.stringMatching(/names no CVE/),
    ]);
  });
});

describe('importStixBundle: a bundle made by toStixBundle imports back', () => {
  const indicator = (type: IndicatorType, value: string, pap: IncidentIndicator['pap']): IncidentIndicator => ({
    raw: value,
    type,
    value,
    source: 'field',
    enrichment: {},
    warnings: [],
    pap,
  });
  const exported: Incident = {
    ...greenIncidentOfA,
    id: '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
    title: 'Phishing wave against banks',
    description: 'Credential phishing from hxxp://evil[.]example',
    tlp: 'AMBER+STRICT',
    pap: 'AMBER',
    severity: 'critical',
    classification: { class: 'fraud', type: 'phishing' },
    externalRef: 'TICKET-42',
    occurredAt: new Date('2026-11-28T22:15:00.000Z'),
    updatedAt: new Date(fixtureAt.getTime() + 60_000),
    indicators: [
      indicator('ipv4', '203.0.113.7', 'AMBER'),
      indicator('cidr', '198.51.100.0/24', 'AMBER'),
      indicator('ipv6', '2001:db8::7', 'AMBER'),
      indicator('domain', 'evil.example', 'RED'),
      indicator('url', "http://evil.example/it's\\here", 'AMBER'),
      indicator('email', 'ops@evil.example', 'AMBER'),
      indicator('md5', '44d88612fea8a8f36de82e1278abb02f', 'GREEN'),
      indicator('sha1', '3395856ce81f2b7382dee72602f798b642f14140', 'AMBER'),
      indicator('sha256', '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f', 'AMBER'),
      indicator(
        'sha512',
        'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
        'AMBER',
      ),
      indicator('asn', 'AS64500', 'AMBER'),
      indicator('cve', 'CVE-2026-12345', 'AMBER'),
    ],
  };

  it('with the same fields, TLP, PAP and indicators', () => {
    const bundle = toStixBundle([{ incident: exported, organization: { id: 'A', name: 'CERT A', kind: 'cert' } }], {
      producedAt: fixtureAt,
      bundleId: '5d0092c5-5f74-4287-9642-33f4c354e56d',
    });
    // Round-tripped through JSON, as a partner receives it.
    const result = importStixBundle(JSON.parse(JSON.stringify(bundle)));
    expect(result.incidents).toHaveLength(1);
    const [incident] = result.incidents;
    expect(incident).toMatchObject({
      title: exported.title,
      description: exported.description,
      severity: exported.severity,
      classification: exported.classification,
      occurredAt: exported.occurredAt,
      tlp: exported.tlp,
      audience: { kind: 'tlp' },
      pap: exported.pap,
      sourceExternalRef: 'TICKET-42',
      revoked: false,
    });
    // Detection indicators as exported; extra object types (observed-data …) may add context only.
    const detection = incident.indicators
      .filter((i) => i.forDetection)
      .map((i) => [i.type, i.value, i.pap])
      .sort();
    expect(detection).toEqual(exported.indicators.map((i) => [i.type, i.value, i.pap]).sort());
  });
});

describe('every sample → import → export → import keeps its mapped values and TLP', () => {
  const good = readdirSync(SAMPLES).filter((name) => name.endsWith('.json') && !name.startsWith('broken-'));

  /** The incident Corridor would hold for an imported one (the worker's normalization aside). */
  const held = (imported: ImportedIncident, index: number): Incident => ({
    ...greenIncidentOfA,
    id: `0193a5b2-7c4d-7e8f-9a0b-${String(index).padStart(12, '0')}`,
    title: imported.title,
    description: imported.description,
    tlp: imported.tlp ?? 'AMBER+STRICT',
    pap: imported.pap ?? 'AMBER',
    indicators: imported.indicators.map((indicator): IncidentIndicator => ({
      raw: indicator.value,
      type: indicator.type as IndicatorType,
      value: indicator.value,
      source: 'field',
      enrichment: {},
      warnings: [],
      pap: indicator.pap ?? imported.pap ?? 'AMBER',
      ...(indicator.forDetection ? {} : { forDetection: false as const }),
    })),
  });
  const mapped = (incident: ImportedIncident) =>
    incident.indicators
      .map((i) => `${i.type}:${i.value}:${i.forDetection}`)
      .sort()
      .filter((v, k, all) => all.indexOf(v) === k);

  it.each(good)('%s', (name) => {
    const first = importStixBundle(sample(name));
    expect(first.incidents.length).toBeGreaterThan(0);
    first.incidents.forEach((imported, index) => {
      const bundle = toStixBundle(
        [{ incident: held(imported, index), organization: { id: 'A', name: 'CERT A', kind: 'cert' } }],
        { producedAt: fixtureAt },
      );
      const [again] = importStixBundle(bundle).incidents;
      expect(again.title).toBe(imported.title);
      expect(again.tlp).toBe(imported.tlp ?? 'AMBER+STRICT');
      expect(mapped(again)).toEqual(mapped(imported));
    });
  });
});
