import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { DomainError } from '../errors/domain-error';
import type { IndicatorType } from '../indicators';
import type { Incident, IncidentIndicator } from '../incidents/incident';
import { greenIncidentOfA } from '../incidents/incident.fixtures';
import type { Pap } from '../visibility/pap';
import { TLP_LEVELS, type Tlp } from '../visibility/tlp';
import type { ImportedIncident } from './imported';
import { RSIT_TAXONOMY, type RsitClass } from '../incidents/taxonomy';
import {
  classificationOfMispTag,
  importMispDocument,
  mispFeed,
  mispUuid,
  papOfMispTag,
  toMispEvent,
  type MispEventDocument,
} from './misp';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, 'samples', 'misp', `${name}.json`), 'utf8')) as unknown;

const GROUP = '5e1c0003-0000-4000-8000-000000000003';

/** The error `run` throws (failing the test when it throws none or another kind). */
function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const fieldsOf = (error: DomainError): string[] => (error.details?.fields ?? []).map((f) => f.field);

/** A minimal valid event around some attributes, tags and distribution. */
function event(overrides: Record<string, unknown> = {}): { Event: Record<string, unknown> } {
  return {
    Event: {
      uuid: '5e1c0f01-0000-4000-8000-000000000001',
      info: 'An event',
      date: '2026-11-20',
      threat_level_id: '2',
      analysis: '0',
      distribution: '3',
      timestamp: '1795000000',
      Tag: [{ name: 'tlp:clear' }],
      Attribute: [],
      ...overrides,
    },
  };
}

let attributeCount = 0;
function attribute(type: string, value: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  attributeCount += 1;
  return {
    uuid: `5e1c0e00-0000-4000-8000-${String(attributeCount).padStart(12, '0')}`,
    type,
    category: 'Network activity',
    value,
    to_ids: true,
    distribution: '5',
    ...extra,
  };
}

const only = (document: unknown, options = {}): ImportedIncident => {
  const result = importMispDocument(document, options);
  expect(result.incidents).toHaveLength(1);
  return result.incidents[0];
};

describe('importMispDocument: the sample event with objects, tags, galaxies and a sharing group', () => {
  const incident = only(sample('event-with-objects'));

  it('maps the event fields', () => {
    expect(incident).toMatchObject({
      externalRef: 'misp:5e1c0001-0000-4000-8000-000000000001',
      version: new Date(1795500000 * 1000).toISOString(),
      revoked: false,
      title: 'Phishing wave against ministries, with a C2 on a rented VPS',
      description: 'Mails impersonating the IT service asked staff to log in again.',
      occurredAt: new Date('2026-11-24T00:00:00.000Z'),
      severity: 'high',
      classification: { class: 'fraud', type: 'phishing' },
      pap: 'AMBER',
      tlp: 'GREEN',
      audience: { kind: 'community', sharingGroupUuid: GROUP },
    });
    expect(incident.anonymised).toBeUndefined();
  });

  it('maps every indicator attribute, objects included, keeping category, comment and to_ids', () => {
    const brief = incident.indicators.map((i) => [i.origin, i.type, i.value, i.forDetection]);
    expect(brief).toEqual([
      ['Event.Attribute[0]', 'ipv4', '203.0.113.7', true],
      ['Event.Attribute[1]', 'cidr', '198.51.100.0/24', true],
      ['Event.Attribute[2]', 'ipv6', '2001:db8::7', false],
      ['Event.Attribute[3]', 'ipv4', '192.0.2.10', true],
      ['Event.Attribute[4]', 'domain', 'login-ministry.example', true],
      ['Event.Attribute[5]', 'domain', 'mail.login-ministry.example', true],
      ['Event.Attribute[6]', 'domain', 'c2.example.net', true],
      ['Event.Attribute[6]', 'ipv4', '203.0.113.8', true],
      ['Event.Attribute[7]', 'url', 'https://login-ministry.example/owa/auth.php', true],
      ['Event.Attribute[8]', 'email', 'it-support@login-ministry.example', true],
      ['Event.Attribute[9]', 'email', 'minister.office@gov.example', false],
      ['Event.Attribute[10]', 'email', 'drop@mailbox.example', true],
      ['Event.Attribute[11]', 'md5', 'ac85953be8a3e1121e8d5a88d015dcce', true],
      ['Event.Attribute[12]', 'sha1', '5a837fa25384b5a2d92284cc2a3cbdc808650364', true],
      ['Event.Attribute[13]', 'sha256', 'ab801b94eeeb515ebb76fc1ee8f6377cff7db9d345959a88b5bd89c890e366ad', true],
      [
        'Event.Attribute[14]',
        'sha512',
        '84a8ac5e616f20890cef6f87dda74d29d349a90fe5b1dd3f83089903ac628da4eb563d9d3e4a32c2922f19c33e607cd8d02bcbef3aacb6e1e6a0573856e30dca',
        true,
      ],
      ['Event.Attribute[15]', 'md5', 'e9d87a6c12fdbf582de1f4d34f860039', true],
      ['Event.Attribute[16]', 'sha1', '5a837fa25384b5a2d92284cc2a3cbdc808650364', true],
      ['Event.Attribute[17]', 'sha256', 'ba3e63ef6e7244be10d5eaca560e1b1ca1f2fb73f112ff47df0086c50befece2', true],
      [
        'Event.Attribute[18]',
        'sha512',
        '84a8ac5e616f20890cef6f87dda74d29d349a90fe5b1dd3f83089903ac628da4eb563d9d3e4a32c2922f19c33e607cd8d02bcbef3aacb6e1e6a0573856e30dca',
        true,
      ],
      ['Event.Attribute[19]', 'cve', 'CVE-2026-12345', false],
      ['Event.Attribute[20]', 'asn', 'AS64500', false],
      ['Event.Attribute[21]', 'asn', 'AS64501', false],
      [
        'Event.Object[0].Attribute[1]',
        'sha256',
        'ba3e63ef6e7244be10d5eaca560e1b1ca1f2fb73f112ff47df0086c50befece2',
        true,
      ],
      ['Event.Object[0].Attribute[2]', 'md5', 'e9d87a6c12fdbf582de1f4d34f860039', false],
      ['Event.Object[1].Attribute[0]', 'domain', 'update.example.org', true],
      ['Event.Object[1].Attribute[1]', 'ipv4', '198.51.100.23', false],
    ]);
    expect(incident.indicators[0]).toMatchObject({ category: 'Network activity', comment: 'C2 server' });
    expect(incident.indicators[8].category).toBe('Payload delivery');
    expect(incident.indicators.find((i) => i.value === 'update.example.org')?.pap).toBe('RED');
    expect(incident.indicators.filter((i) => i.pap !== undefined)).toHaveLength(1);
  });

  it('lists what it does not map: other types, file names, unknown tags and galaxies', () => {
    const listed = incident.unmapped.map((u) => u.path);
    expect(listed).toEqual(
      expect.arrayContaining([
        'Event.Tag[3].name',
        'Event.Attribute[15]',
        'Event.Attribute[23]',
        'Event.Object[0].Attribute[0]',
        'Event.Galaxy[0]',
      ]),
    );
    expect(incident.unmapped.find((u) => u.path === 'Event.Galaxy[0]')?.kept).toEqual({
      name: 'Threat Actor',
      type: 'threat-actor',
      clusters: ['Example Actor'],
    });
    expect(incident.unmapped.find((u) => u.path === 'Event.Attribute[23]')?.reason).toMatch(/mutex/);
    expect(incident.unmapped.every((u) => u.object === incident.externalRef)).toBe(true);
  });
});

describe('importMispDocument: the response form', () => {
  const [scan, ransom] = importMispDocument(sample('response')).incidents;

  it('makes one incident per event', () => {
    expect(scan).toMatchObject({
      externalRef: 'misp:5e1c0101-0000-4000-8000-000000000001',
      tlp: 'CLEAR',
      audience: { kind: 'tlp' },
      severity: 'low',
      classification: { class: 'information-gathering', type: 'scanner' },
      description: 'Scanning from a hosting range',
    });
    expect(ransom.externalRef).toBe('misp:5e1c0102-0000-4000-8000-000000000002');
  });

  it('leaves severity to the default for threat level 4, anonymises on tlp:ex:chr, narrows by an attribute of distribution 0', () => {
    expect(ransom.severity).toBeUndefined();
    expect(ransom.anonymised).toBe(true);
    expect(ransom.tlp).toBe('AMBER+STRICT');
    expect(ransom.indicators[0]).toMatchObject({ type: 'sha256', category: 'Payload installation' });
  });
});

describe('importMispDocument: attribute types', () => {
  const cases: Array<[string, string, Array<[IndicatorType | undefined, string]>]> = [
    ['ip-src', '203.0.113.7', [['ipv4', '203.0.113.7']]],
    ['ip-dst', '2001:db8::1', [['ipv6', '2001:db8::1']]],
    ['ip-src', '203.0.113.0/24', [['cidr', '203.0.113.0/24']]],
    ['ip-dst', '2001:db8::/32', [['cidr', '2001:db8::/32']]],
    ['ip-src', '203.0.113[.]7', [[undefined, '203.0.113[.]7']]],
    ['ip-src|port', '203.0.113.7|22', [['ipv4', '203.0.113.7']]],
    ['ip-dst|port', '2001:db8::1|443', [['ipv6', '2001:db8::1']]],
    ['domain', 'evil.example', [['domain', 'evil.example']]],
    ['hostname', 'www.evil.example', [['domain', 'www.evil.example']]],
    [
      'domain|ip',
      'evil.example|203.0.113.9',
      [
        ['domain', 'evil.example'],
        ['ipv4', '203.0.113.9'],
      ],
    ],
    ['url', 'http://evil.example/a', [['url', 'http://evil.example/a']]],
    ['email', 'a@evil.example', [['email', 'a@evil.example']]],
    ['email-src', 'b@evil.example', [['email', 'b@evil.example']]],
    ['email-dst', 'c@gov.example', [['email', 'c@gov.example']]],
    ['md5', 'ac85953be8a3e1121e8d5a88d015dcce', [['md5', 'ac85953be8a3e1121e8d5a88d015dcce']]],
    ['sha1', '5a837fa25384b5a2d92284cc2a3cbdc808650364', [['sha1', '5a837fa25384b5a2d92284cc2a3cbdc808650364']]],
    ['sha256', 'a'.repeat(64), [['sha256', 'a'.repeat(64)]]],
    ['sha512', 'b'.repeat(128), [['sha512', 'b'.repeat(128)]]],
    ['filename|md5', 'x.exe|' + 'c'.repeat(32), [['md5', 'c'.repeat(32)]]],
    ['filename|sha1', 'x|y.exe|' + 'd'.repeat(40), [['sha1', 'd'.repeat(40)]]],
    ['filename|sha256', 'x.exe|' + 'e'.repeat(64), [['sha256', 'e'.repeat(64)]]],
    ['filename|sha512', 'x.exe|' + 'f'.repeat(128), [['sha512', 'f'.repeat(128)]]],
    ['vulnerability', 'CVE-2021-44228', [['cve', 'CVE-2021-44228']]],
    ['AS', '64500', [['asn', 'AS64500']]],
    ['AS', 'AS64500', [['asn', 'AS64500']]],
    ['AS', 'asn 64500', [['asn', 'AS64500']]],
  ];

  it.each(cases)('%s %s', (type, value, expected) => {
    const incident = only(event({ Attribute: [attribute(type, value)] }));
    expect(incident.indicators.map((i) => [i.type, i.value])).toEqual(expected);
    expect(incident.unmapped.filter((u) => u.path === 'Event.Attribute[0]' && !type.startsWith('filename|'))).toEqual(
      [],
    );
  });

  it.each([
    ['mutex', 'Global\\x', /no Corridor indicator type/],
    ['vulnerability', 'GHSA-xxxx-yyyy-zzzz', /not a CVE/],
    ['AS', 'Example Hosting', /not an AS number/],
    ['ip-dst|port', '203.0.113.7', /expects <ip>\|<port>/],
    ['domain|ip', 'evil.example', /expects <domain>\|<ip>/],
    ['filename|md5', 'abc', /expects <filename>\|<md5>/],
  ])('keeps %s %s as context, listed', (type, value, reason) => {
    const incident = only(event({ Attribute: [attribute(type, value)] }));
    expect(incident.indicators).toEqual([]);
    expect(incident.unmapped).toEqual([
      expect.objectContaining({ path: 'Event.Attribute[0]', reason: expect.stringMatching(reason) }),
    ]);
  });

  it('lists a deleted attribute instead of importing it', () => {
    const incident = only(event({ Attribute: [attribute('domain', 'gone.example', { deleted: true })] }));
    expect(incident.indicators).toEqual([]);
    expect(incident.unmapped[0].reason).toMatch(/deleted/);
  });

  it.each([
    [true, true],
    [false, false],
    ['1', true],
    ['0', false],
    [1, true],
    [0, false],
  ])('to_ids %p → forDetection %p, in an object too', (toIds, forDetection) => {
    const incident = only(
      event({
        Attribute: [attribute('domain', 'a.example', { to_ids: toIds })],
        Object: [
          {
            name: 'domain-ip',
            uuid: '5e1c0b00-0000-4000-8000-000000000001',
            Attribute: [attribute('ip-dst', '203.0.113.5', { to_ids: toIds })],
          },
        ],
      }),
    );
    expect(incident.indicators.map((i) => [i.origin, i.forDetection])).toEqual([
      ['Event.Attribute[0]', forDetection],
      ['Event.Object[0].Attribute[0]', forDetection],
    ]);
  });
});

describe('importMispDocument: tags and narrowing', () => {
  it('reads every RSIT class and type from its rsit: machine tag, and nothing else', () => {
    for (const [cls, types] of Object.entries(RSIT_TAXONOMY) as [RsitClass, readonly string[]][]) {
      for (const type of types) expect(classificationOfMispTag(`rsit:${cls}="${type}"`)).toEqual({ class: cls, type });
    }
    expect(classificationOfMispTag('rsit:fraud=phishing')).toBeUndefined();
    expect(classificationOfMispTag('rsit:made-up="phishing"')).toBeUndefined();
  });

  it('reads PAP tags in any case, PAP:WHITE as CLEAR', () => {
    expect(['PAP:WHITE', 'pap:clear', 'PAP:Green', 'PAP:AMBER', 'PAP:RED', 'PAP:BLUE'].map(papOfMispTag)).toEqual([
      'CLEAR',
      'CLEAR',
      'GREEN',
      'AMBER',
      'RED',
      undefined,
    ]);
  });

  it('lets a corridor:severity tag win over threat_level_id', () => {
    const incident = only(event({ threat_level_id: '3', Tag: [{ name: 'corridor:severity="critical"' }] }));
    expect(incident.severity).toBe('critical');
  });

  it('takes the strictest PAP tag and lists a second classification and a bad rsit tag', () => {
    const incident = only(
      event({
        Tag: [
          { name: 'PAP:GREEN' },
          { name: 'pap:red' },
          { name: 'rsit:availability="ddos"' },
          { name: 'rsit:fraud="phishing"' },
          { name: 'rsit:fraud="not-a-type"' },
        ],
      }),
    );
    expect(incident.pap).toBe('RED');
    expect(incident.classification).toEqual({ class: 'availability', type: 'ddos' });
    expect(incident.unmapped.map((u) => u.path)).toEqual(['Event.Tag[3].name', 'Event.Tag[4].name']);
  });

  it('narrows the whole incident to a stricter attribute TLP tag', () => {
    const incident = only(
      event({
        Tag: [{ name: 'tlp:green' }],
        Attribute: [attribute('domain', 'a.example', { Tag: [{ name: 'tlp:amber' }] })],
      }),
    );
    expect(incident.tlp).toBe('AMBER');
  });

  it('never widens by an attribute with a laxer tag', () => {
    const incident = only(
      event({
        Tag: [{ name: 'tlp:amber' }],
        distribution: '0',
        Attribute: [attribute('domain', 'a.example', { distribution: '3', Tag: [{ name: 'tlp:clear' }] })],
      }),
    );
    expect(incident.tlp).toBe('AMBER');
  });

  it('narrows by an object of distribution 0 whose attributes inherit', () => {
    const incident = only(
      event({
        Tag: [{ name: 'tlp:clear' }],
        Object: [
          {
            name: 'file',
            uuid: '5e1c0b00-0000-4000-8000-000000000002',
            distribution: '0',
            Attribute: [attribute('md5', 'c'.repeat(32))],
          },
        ],
      }),
    );
    expect(incident.tlp).toBe('AMBER+STRICT');
  });

  it('narrows GREEN for all to GREEN in the community of an attribute of distribution 1', () => {
    const incident = only(
      event({ Tag: [{ name: 'tlp:green' }], Attribute: [attribute('domain', 'a.example', { distribution: '1' })] }),
    );
    expect(incident).toMatchObject({ tlp: 'GREEN', audience: { kind: 'community' } });
  });

  it('keeps the event sharing group for an attribute of distribution 4 with the same group', () => {
    const incident = only(
      event({
        Tag: [],
        distribution: '4',
        sharing_group_id: '3',
        SharingGroup: { uuid: GROUP, name: 'partners' },
        Attribute: [attribute('domain', 'a.example', { distribution: '4', sharing_group_id: '3' })],
      }),
    );
    expect(incident).toMatchObject({ tlp: 'GREEN', audience: { kind: 'community', sharingGroupUuid: GROUP } });
  });

  it('refuses a RED event naming the tag, unless the caller names recipients', () => {
    const red = event({ Tag: [{ name: 'PAP:RED' }, { name: 'TLP:RED' }] });
    const error = refusal(() => importMispDocument(red));
    expect(error.code).toBe('validation_failed');
    expect(fieldsOf(error)).toEqual(['Event.Tag[1].name']);
    expect(error.message).toContain('Event.Tag[1].name');
    expect(only(red, { redRecipientsGiven: true }).tlp).toBe('RED');
  });

  it('refuses an event with a RED attribute, naming the attribute tag', () => {
    const error = refusal(() =>
      importMispDocument(event({ Attribute: [attribute('domain', 'a.example', { Tag: [{ name: 'tlp:red' }] })] })),
    );
    expect(fieldsOf(error)).toEqual(['Event.Attribute[0].Tag[0].name']);
  });
});

describe('importMispDocument: broken documents', () => {
  it('refuses what is not a MISP event', () => {
    const error = refusal(() => importMispDocument(sample('broken-not-an-event')));
    expect(error.code).toBe('validation_failed');
    expect(fieldsOf(error)).toEqual(['(document)']);
    expect(refusal(() => importMispDocument('{"Event":{}}')).code).toBe('validation_failed');
    expect(fieldsOf(refusal(() => importMispDocument({ response: {} })))).toEqual(['response']);
  });

  it('refuses an event without info, naming Event.info', () => {
    const error = refusal(() => importMispDocument(sample('broken-missing-info')));
    expect(fieldsOf(error)).toEqual(['Event.info']);
    expect(error.message).toContain('Event.info');
  });

  it('refuses an impossible date and names every bad attribute field', () => {
    const error = refusal(() => importMispDocument(sample('broken-impossible-date')));
    expect(fieldsOf(error)).toEqual(['Event.date', 'Event.Attribute[2].category', 'Event.Attribute[2].to_ids']);
  });

  it('names the event inside a response, and imports none of it', () => {
    const good = event().Event;
    const error = refusal(() =>
      importMispDocument({
        response: [{ Event: good }, { Event: { ...good, uuid: 'not-a-uuid', distribution: '5', timestamp: 'soon' } }],
      }),
    );
    expect(fieldsOf(error)).toEqual([
      'response[1].Event.uuid',
      'response[1].Event.distribution',
      'response[1].Event.timestamp',
    ]);
    expect(fieldsOf(refusal(() => importMispDocument({ response: [{ event: good }] })))).toEqual(['response[0]']);
  });

  it('names a bad attribute type inside an object', () => {
    const error = refusal(() =>
      importMispDocument(
        event({
          Object: [
            {
              name: 'file',
              uuid: '5e1c0b00-0000-4000-8000-000000000003',
              Attribute: [{ ...attribute('md5', 'x'), type: 3 }],
            },
          ],
        }),
      ),
    );
    expect(fieldsOf(error)).toEqual(['Event.Object[0].Attribute[0].type']);
  });
});

// ---------------------------------------------------------------- export

function indicator(type: IndicatorType, value: string, extra: Partial<IncidentIndicator> = {}): IncidentIndicator {
  return { raw: value, type, value, source: 'field', enrichment: {}, warnings: [], pap: 'AMBER', ...extra };
}

const organization = { id: 'A', name: 'CERT A' };
const community = { id: 'community-1', name: 'Corridor partners' };
const producedAt = new Date('2026-12-01T00:00:00.000Z');

function incidentWith(overrides: Partial<Incident> = {}): Incident {
  return {
    ...greenIncidentOfA,
    id: '0197a3c2-7b1e-7c4d-9f00-0123456789ab',
    title: 'Phishing wave',
    description: 'Mails impersonating the IT service.',
    occurredAt: new Date('2026-11-24T00:00:00.000Z'),
    updatedAt: new Date('2026-11-29T10:00:00.000Z'),
    status: 'investigating',
    severity: 'critical',
    pap: 'AMBER',
    indicators: [
      indicator('ipv4', '203.0.113.7'),
      indicator('ipv6', '2001:db8::7', { forDetection: false }),
      indicator('cidr', '198.51.100.0/24'),
      indicator('domain', 'login-ministry.example', { pap: 'RED', papGiven: true }),
      indicator('url', 'https://login-ministry.example/owa'),
      indicator('email', 'it-support@login-ministry.example'),
      indicator('md5', 'ac85953be8a3e1121e8d5a88d015dcce'),
      indicator('sha1', '5a837fa25384b5a2d92284cc2a3cbdc808650364'),
      indicator('sha256', 'a'.repeat(64)),
      indicator('sha512', 'b'.repeat(128)),
      indicator('cve', 'CVE-2026-12345'),
      indicator('asn', 'AS64500'),
    ],
    ...overrides,
  };
}

describe('toMispEvent', () => {
  it.each<[Tlp, string, string, boolean]>([
    ['CLEAR', 'tlp:clear', '3', false],
    ['GREEN', 'tlp:green', '4', true],
    ['AMBER', 'tlp:amber', '0', false],
    ['AMBER+STRICT', 'tlp:amber+strict', '0', false],
    ['RED', 'tlp:red', '0', false],
  ])('%s → %s, distribution %s', (tlp, tag, distribution, sharingGroup) => {
    const { Event } = toMispEvent(incidentWith({ tlp }), { organization, community, producedAt });
    expect(Event.Tag[0].name).toBe(tag);
    expect(Event.distribution).toBe(distribution);
    expect(Event.SharingGroup).toEqual(
      sharingGroup ? { uuid: mispUuid('community', community.id), name: community.name } : undefined,
    );
  });

  it('writes GREEN without a community as "this community only"', () => {
    const { Event } = toMispEvent(incidentWith({ tlp: 'GREEN' }), { organization, producedAt });
    expect(Event.distribution).toBe('1');
    expect(Event.SharingGroup).toBeUndefined();
  });

  it('writes the event fields, tags and one attribute per indicator', () => {
    const { Event } = toMispEvent(incidentWith(), { organization, community, producedAt });
    expect(Event).toMatchObject({
      info: 'Phishing wave',
      date: '2026-11-24',
      threat_level_id: '1',
      analysis: '1',
      timestamp: String(Date.parse('2026-11-29T10:00:00.000Z') / 1000),
      publish_timestamp: String(producedAt.getTime() / 1000),
      Orgc: { name: 'CERT A', uuid: mispUuid('organization', 'A') },
    });
    expect(Event.Tag.map((t) => t.name)).toEqual([
      'tlp:green',
      'PAP:AMBER',
      'rsit:fraud="phishing"',
      'corridor:severity="critical"',
    ]);
    expect(Event.Attribute.map((a) => [a.type, a.category, a.value, a.to_ids])).toEqual([
      ['ip-dst', 'Network activity', '203.0.113.7', true],
      ['ip-dst', 'Network activity', '2001:db8::7', false],
      ['ip-dst', 'Network activity', '198.51.100.0/24', true],
      ['domain', 'Network activity', 'login-ministry.example', true],
      ['url', 'Network activity', 'https://login-ministry.example/owa', true],
      ['email', 'Network activity', 'it-support@login-ministry.example', true],
      ['md5', 'Payload delivery', 'ac85953be8a3e1121e8d5a88d015dcce', true],
      ['sha1', 'Payload delivery', '5a837fa25384b5a2d92284cc2a3cbdc808650364', true],
      ['sha256', 'Payload delivery', 'a'.repeat(64), true],
      ['sha512', 'Payload delivery', 'b'.repeat(128), true],
      ['vulnerability', 'External analysis', 'CVE-2026-12345', true],
      ['AS', 'Network activity', '64500', true],
      ['text', 'Other', 'Mails impersonating the IT service.', false],
    ]);
    expect(Event.Attribute[3].Tag).toEqual([{ name: 'PAP:RED' }]);
    expect(Event.Attribute[0].Tag).toBeUndefined();
  });

  it('gives the same UUIDv5s on every export, distinct per incident and attribute', () => {
    const first = toMispEvent(incidentWith(), { organization, community, producedAt });
    const again = toMispEvent(incidentWith(), { organization, community, producedAt });
    expect(again).toEqual(first);
    const uuids = [first.Event.uuid, first.Event.Orgc.uuid, ...first.Event.Attribute.map((a) => a.uuid)];
    for (const id of uuids) {
      expect(isUuid(id)).toBe(true);
      expect(uuidVersion(id)).toBe(5);
    }
    expect(new Set(uuids).size).toBe(uuids.length);
    expect(toMispEvent(incidentWith({ id: 'other' }), { organization, producedAt }).Event.uuid).not.toBe(
      first.Event.uuid,
    );
    expect(first.Event.uuid).toBe(mispUuid('incident', '0197a3c2-7b1e-7c4d-9f00-0123456789ab'));
  });

  it('uses the organisation uuid it is given', () => {
    const uuid = '5e1c0002-0000-4000-8000-000000000002';
    expect(toMispEvent(incidentWith(), { organization: { ...organization, uuid }, producedAt }).Event.Orgc.uuid).toBe(
      uuid,
    );
  });
});

describe('MISP round trip: export → import', () => {
  const paps: Pap[] = ['CLEAR', 'GREEN', 'AMBER', 'RED'];

  it.each(TLP_LEVELS.map((tlp, i) => [tlp, paps[i % paps.length]] as const))(
    'keeps the fields, TLP %s, PAP %s and indicators',
    (tlp, pap) => {
      const incident = incidentWith({ tlp, pap, classification: { class: 'malicious-code', type: 'c2-server' } });
      const exported = JSON.parse(
        JSON.stringify(toMispEvent(incident, { organization, community, producedAt })),
      ) as unknown;
      const imported = only(exported, { redRecipientsGiven: tlp === 'RED' });
      expect(imported).toMatchObject({
        externalRef: `misp:${mispUuid('incident', incident.id)}`,
        version: incident.updatedAt.toISOString(),
        title: incident.title,
        description: incident.description,
        occurredAt: incident.occurredAt,
        classification: incident.classification,
        severity: incident.severity,
        tlp,
        pap,
      });
      if (tlp === 'GREEN') {
        expect(imported.audience).toEqual({ kind: 'community', sharingGroupUuid: mispUuid('community', community.id) });
      }
      expect(imported.indicators.map((i) => [i.type, i.value, i.forDetection, i.pap])).toEqual(
        incident.indicators.map((i) => [
          i.type,
          i.value,
          (i as { forDetection?: boolean }).forDetection !== false,
          i.papGiven ? i.pap : undefined,
        ]),
      );
      expect(imported.unmapped).toEqual([]);
    },
  );

  it('keeps every mapped value of the sample through import → export → import', () => {
    const first = only(sample('event-with-objects'));
    const asIncident = incidentWith({
      tlp: first.tlp ?? 'AMBER',
      indicators: first.indicators.map((i) =>
        indicator(i.type ?? 'domain', i.value, {
          ...(i.pap ? { pap: i.pap, papGiven: true } : {}),
          forDetection: i.forDetection,
        } as Partial<IncidentIndicator>),
      ),
    });
    const again = only(toMispEvent(asIncident, { organization, community, producedAt }));
    expect(again.tlp).toBe(first.tlp);
    expect(again.indicators.map((i) => [i.type, i.value, i.forDetection, i.pap])).toEqual(
      first.indicators.map((i) => [i.type, i.value, i.forDetection, i.pap]),
    );
  });
});

describe('mispFeed', () => {
  const a = toMispEvent(incidentWith({ id: 'incident-a' }), { organization, community, producedAt });
  const b = toMispEvent(
    incidentWith({ id: 'incident-b', tlp: 'CLEAR', indicators: [indicator('domain', 'b.example')] }),
    {
      organization,
      producedAt,
    },
  );

  it('writes manifest.json, hashes.csv and one file per event, the same whatever the order', () => {
    const files = mispFeed([a, b]);
    expect(mispFeed([b, a])).toEqual(files);
    const sortedUuids = [a.Event.uuid, b.Event.uuid].sort();
    expect(files.map((f) => f.path)).toEqual(['manifest.json', 'hashes.csv', ...sortedUuids.map((u) => `${u}.json`)]);

    const manifest = JSON.parse(files[0].content) as Record<string, Record<string, unknown>>;
    expect(Object.keys(manifest)).toEqual(sortedUuids);
    expect(manifest[b.Event.uuid]).toEqual({
      info: b.Event.info,
      date: b.Event.date,
      threat_level_id: b.Event.threat_level_id,
      analysis: b.Event.analysis,
      timestamp: b.Event.timestamp,
      Tag: b.Event.Tag,
      Orgc: b.Event.Orgc,
      orgc_uuid: b.Event.Orgc.uuid,
    });

    const lines = files[1].content.trimEnd().split('\n');
    expect(lines).toContain(`${createHash('md5').update('b.example').digest('hex')},${b.Event.uuid}`);
    expect(lines).toHaveLength(a.Event.Attribute.length + b.Event.Attribute.length);

    const eventFile = files.find((f) => f.path === `${a.Event.uuid}.json`);
    expect(JSON.parse(eventFile?.content ?? '') as MispEventDocument).toEqual(a);
    expect(only(JSON.parse(eventFile?.content ?? '')).title).toBe('Phishing wave');
  });

  it('hashes each part of a composite value', () => {
    const composite: MispEventDocument = {
      Event: {
        ...b.Event,
        Attribute: [{ ...b.Event.Attribute[0], type: 'domain|ip', value: 'b.example|203.0.113.1' }],
      },
    };
    const md5 = (v: string) => createHash('md5').update(v).digest('hex');
    expect(mispFeed([composite])[1].content).toBe(
      `${md5('b.example')},${b.Event.uuid}\n${md5('203.0.113.1')},${b.Event.uuid}\n`,
    );
  });
});
