import type { Incident, IncidentIndicator } from '../incidents/incident';
import type { IndicatorType } from '../indicators';
import { TLP_LEVELS, type Tlp } from '../visibility/tlp';
import {
  CORRIDOR_EXTENSION_ID,
  CORRIDOR_IDENTITY_ID,
  CORRIDOR_STIX_NAMESPACE,
  stixScoId,
  TLP1_MARKING_IDS,
  TLP2_EXTENSION_ID,
  TLP2_MARKING_IDS,
  stixIdentityId,
  stixIncidentId,
  tlpFromMarkingId,
  toStixBundle,
  type StixBundle,
  type StixCyberObservable,
  type StixExportItem,
  type StixIdentity,
  type StixIncident,
  type StixIndicator,
  type StixMarkingDefinition,
  type StixObject,
  type StixRelationship,
  type StixVulnerability,
} from './stix';

const ID_RE = /^[a-z0-9-]+--[0-9a-f-]{36}$/;
const TIMESTAMP_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TIMESTAMP_FIELDS = ['created', 'modified', 'valid_from', 'first_observed', 'last_observed', 'published'] as const;
/** RFC 4122 UUIDs of versions 1–5, as STIX identifiers must be (§2.9). */
const STIX_UUID_RE = /--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const INCIDENT_A = '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b';
const INCIDENT_B = '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6c';
const PRODUCED_AT = new Date('2026-11-24T08:30:00Z');
const BUNDLE_UUID = '5d0092c5-5f74-4287-9642-33f4c354e56d';

const CERT_A = { id: 'org-cert-a', name: 'CERT Alpha', kind: 'cert' as const };
const AGENCY_B = { id: 'org-agency-b', name: 'Ministry of Beta', kind: 'agency' as const };

function ind(type: IndicatorType, value: string, raw = value): IncidentIndicator {
  return { raw, type, value, source: 'field', enrichment: {}, warnings: [], pap: 'AMBER' };
}

function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: INCIDENT_A,
    orgId: CERT_A.id,
    authorId: 'user-alice-secret',
    recipientOrgIds: ['org-recipient-secret'],
    recipientUserIds: ['user-bob-secret'],
    status: 'investigating',
    title: 'Phishing wave against banks',
    description: 'Credential phishing from hxxp://evil[.]example',
    occurredAt: new Date('2026-11-23T22:15:00Z'),
    classification: { class: 'fraud', type: 'phishing' },
    severity: 'high',
    tlp: 'AMBER',
    pap: 'AMBER',
    state: 'correlated',
    submitted: [],
    indicators: [ind('ipv4', '203.0.113.7', '203.0.113[.]7')],
    rejectedIndicators: [],
    createdAt: new Date('2026-11-24T07:00:00.123Z'),
    updatedAt: new Date('2026-11-24T07:05:00Z'),
    ...overrides,
  };
}

function bundleOf(
  items: StixExportItem[],
  producedAt = PRODUCED_AT,
  bundleId: string | null = BUNDLE_UUID,
): StixBundle {
  const bundle = toStixBundle(items, { producedAt, bundleId: bundleId ?? undefined });
  if (!bundle) throw new Error('no bundle');
  return bundle;
}

function observable(bundle: StixBundle, type: StixCyberObservable['type']): StixCyberObservable {
  const found = bundle.objects.filter((o): o is StixCyberObservable => o.type === type);
  expect(found).toHaveLength(1);
  return found[0];
}

/** The identities of organizations (not Corridor's own, which defines the extension). */
function orgIdentities(bundle: StixBundle): StixIdentity[] {
  return ofType(bundle, 'identity').filter((identity) => identity.id !== CORRIDOR_IDENTITY_ID);
}

const corridor = <T>(properties: T) => ({
  [CORRIDOR_EXTENSION_ID]: { extension_type: 'property-extension', ...properties },
});

function ofType<T extends StixObject['type']>(bundle: StixBundle, type: T): Extract<StixObject, { type: T }>[] {
  return bundle.objects.filter((o): o is Extract<StixObject, { type: T }> => o.type === type);
}

function onlyIndicator(type: IndicatorType, value: string): StixIndicator {
  const indicators = ofType(
    bundleOf([{ incident: incident({ indicators: [ind(type, value)] }), organization: CERT_A }]),
    'indicator',
  );
  expect(indicators).toHaveLength(1);
  return indicators[0];
}

describe('TLP marking ids', () => {
  it('holds the TLP 2.0 and TLP 1.0 marking-definition ids', () => {
    expect(TLP2_MARKING_IDS).toEqual({
      CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
      GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
      AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
      'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
      RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
    });
    expect(TLP1_MARKING_IDS).toEqual({
      WHITE: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
      GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
      AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
      RED: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
    });
  });

  it.each(TLP_LEVELS)('maps the TLP 2.0 id of %s back to it', (tlp) => {
    expect(tlpFromMarkingId(TLP2_MARKING_IDS[tlp])).toBe(tlp);
  });

  it.each<[keyof typeof TLP1_MARKING_IDS, Tlp]>([
    ['WHITE', 'CLEAR'],
    ['GREEN', 'GREEN'],
    ['AMBER', 'AMBER'],
    ['RED', 'RED'],
  ])('maps the TLP 1.0 id of %s to %s', (tlp1, tlp2) => {
    expect(tlpFromMarkingId(TLP1_MARKING_IDS[tlp1])).toBe(tlp2);
  });

  it.each([
    '',
    'TLP:RED',
    'RED',
    'marking-definition--00000000-0000-4000-8000-000000000000',
    'identity--94868c89-83c2-464b-929b-a1a8aa3c8487',
    ' marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
    'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1x',
    'toString',
    '__proto__',
  ])('returns undefined for %j', (junk) => {
    expect(tlpFromMarkingId(junk)).toBeUndefined();
  });

  it('returns undefined for a non-string from untyped JSON', () => {
    expect(tlpFromMarkingId(undefined as unknown as string)).toBeUndefined();
    expect(tlpFromMarkingId(42 as unknown as string)).toBeUndefined();
  });
});

describe('indicator patterns', () => {
  it.each<[IndicatorType, string, string]>([
    ['ipv4', '203.0.113.7', "[ipv4-addr:value = '203.0.113.7']"],
    ['ipv6', '2001:db8::1', "[ipv6-addr:value = '2001:db8::1']"],
    ['cidr', '198.51.100.0/24', "[ipv4-addr:value = '198.51.100.0/24']"],
    ['cidr', '2001:db8::/32', "[ipv6-addr:value = '2001:db8::/32']"],
    ['domain', 'evil.example.com', "[domain-name:value = 'evil.example.com']"],
    ['domain', 'xn--mnchen-3ya.de', "[domain-name:value = 'xn--mnchen-3ya.de']"],
    ['url', 'http://evil.example.com/login?x=1', "[url:value = 'http://evil.example.com/login?x=1']"],
    ['email', 'phisher@evil.example.com', "[email-addr:value = 'phisher@evil.example.com']"],
    ['md5', 'd41d8cd98f00b204e9800998ecf8427e', "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']"],
    [
      'sha1',
      'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      "[file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709']",
    ],
    [
      'sha256',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
    ],
    ['sha512', 'ab'.repeat(64), `[file:hashes.'SHA-512' = '${'ab'.repeat(64)}']`],
    ['asn', 'AS64500', '[autonomous-system:number = 64500]'],
    ['asn', 'AS4294967295', '[autonomous-system:number = 4294967295]'],
  ])('%s %s → %s', (type, value, pattern) => {
    const indicator = onlyIndicator(type, value);
    expect(indicator.pattern).toBe(pattern);
    expect(indicator.name).toBe(value);
    expect(indicator.pattern_type).toBe('stix');
    expect(indicator.indicator_types).toEqual(['malicious-activity']);
  });

  it('escapes backslashes and single quotes inside pattern strings', () => {
    expect(onlyIndicator('url', "http://evil.example.com/a'b").pattern).toBe(
      "[url:value = 'http://evil.example.com/a\\'b']",
    );
    expect(onlyIndicator('url', 'http://evil.example.com/a\\b').pattern).toBe(
      "[url:value = 'http://evil.example.com/a\\\\b']",
    );
    // A quote cannot close the literal early and smuggle in another comparison.
    expect(onlyIndicator('email', "o'brien@evil.example.com").pattern).toBe(
      "[email-addr:value = 'o\\'brien@evil.example.com']",
    );
    expect(onlyIndicator('url', "http://e.example.com/\\' OR x:y = 'z").pattern).toBe(
      "[url:value = 'http://e.example.com/\\\\\\' OR x:y = \\'z']",
    );
  });

  it('refuses an AS number that is not one rather than writing a broken pattern', () => {
    expect(() => onlyIndicator('asn', "AS1 OR '1'")).toThrow(TypeError);
  });
});

describe('toStixBundle', () => {
  const full = incident({
    externalRef: 'BANK-CERT-2026-0042',
    indicators: [
      ind('ipv4', '203.0.113.7', '203.0.113[.]7'),
      ind('cve', 'CVE-2024-3094', 'cve-2024-3094'),
      ind('domain', 'evil.example.com'),
    ],
    rejectedIndicators: [
      { raw: 'not-an-indicator-zzz', reason: 'unrecognized', message: 'Value is not a recognized indicator.' },
    ],
  });
  const bundle = bundleOf([{ incident: full, organization: CERT_A }]);
  const identityId = 'identity--4e638f3a-0045-5af5-b044-4a876c70863a';
  const amber = 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421';

  it('is a bundle with the requested id and the objects in a fixed order', () => {
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toBe(`bundle--${BUNDLE_UUID}`);
    expect(bundle).not.toHaveProperty('spec_version');
    expect(bundle.objects.map((o) => o.type)).toEqual([
      'marking-definition',
      'identity',
      'extension-definition',
      'identity',
      'ipv4-addr',
      'domain-name',
      'incident',
      'indicator',
      'vulnerability',
      'indicator',
      'observed-data',
      ...Array<string>(6).fill('relationship'),
      'report',
    ]);
  });

  it('accepts a bundle id with its prefix, and draws a random one when none is given', () => {
    const item = { incident: full, organization: CERT_A };
    expect(bundleOf([item], PRODUCED_AT, `bundle--${BUNDLE_UUID}`).id).toBe(`bundle--${BUNDLE_UUID}`);
    const a = bundleOf([item], PRODUCED_AT, null);
    const b = bundleOf([item], PRODUCED_AT, null);
    expect(a.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.id).not.toBe(b.id);
    expect(() => bundleOf([item], PRODUCED_AT, 'bundle--nope')).toThrow(TypeError);
  });

  it('makes no bundle of nothing: STIX forbids an empty objects list', () => {
    expect(toStixBundle([], { producedAt: PRODUCED_AT, bundleId: BUNDLE_UUID })).toBeUndefined();
  });

  it('writes the identity of the organization', () => {
    expect(orgIdentities(bundle)).toEqual<StixIdentity[]>([
      {
        type: 'identity',
        spec_version: '2.1',
        id: identityId,
        created: '2026-11-24T08:30:00.000Z',
        modified: '2026-11-24T08:30:00.000Z',
        name: 'CERT Alpha',
        identity_class: 'organization',
        extensions: corridor({ organization_kind: 'cert' }) as StixIdentity['extensions'],
      },
    ]);
  });

  it('writes the incident with the Corridor fields in Corridor’s property-extension', () => {
    expect(ofType(bundle, 'incident')).toEqual<StixIncident[]>([
      {
        type: 'incident',
        spec_version: '2.1',
        id: stixIncidentId(INCIDENT_A),
        created: '2026-11-24T07:00:00.123Z',
        modified: '2026-11-24T07:05:00.000Z',
        created_by_ref: identityId,
        object_marking_refs: [amber],
        name: 'Phishing wave against banks',
        description: 'Credential phishing from hxxp://evil[.]example',
        external_references: [{ source_name: 'corridor', external_id: INCIDENT_A }],
        extensions: corridor({
          severity: 'high',
          classification: 'fraud/phishing',
          occurred_at: '2026-11-23T22:15:00.000Z',
          state: 'correlated',
          pap: 'AMBER',
          external_ref: 'BANK-CERT-2026-0042',
        }) as StixIncident['extensions'],
      },
    ]);
    expect(JSON.stringify(bundle)).not.toContain('x_corridor');
  });

  it('leaves out an unset external reference and an empty description', () => {
    const [sdo] = ofType(bundleOf([{ incident: incident({ description: '' }), organization: CERT_A }]), 'incident');
    expect(sdo.extensions[CORRIDOR_EXTENSION_ID]).not.toHaveProperty('external_ref');
    expect(sdo).not.toHaveProperty('description');
  });

  it('writes an indicator per normalized indicator, with a deterministic id', () => {
    expect(ofType(bundle, 'indicator')[0]).toEqual<StixIndicator>({
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--f83bc186-b1e7-5225-a5cc-258956bd31a2',
      created: '2026-11-24T07:00:00.123Z',
      modified: '2026-11-24T07:05:00.000Z',
      created_by_ref: identityId,
      object_marking_refs: [amber],
      name: '203.0.113.7',
      indicator_types: ['malicious-activity'],
      pattern: "[ipv4-addr:value = '203.0.113.7']",
      pattern_type: 'stix',
      valid_from: '2026-11-24T07:00:00.123Z',
      extensions: corridor({ pap: 'AMBER' }) as StixIndicator['extensions'],
    });
  });

  it('turns a CVE into a vulnerability, not an indicator', () => {
    const [vulnerability] = ofType(bundle, 'vulnerability');
    expect(vulnerability).toEqual<StixVulnerability>({
      type: 'vulnerability',
      spec_version: '2.1',
      id: vulnerability.id,
      created: '2026-11-24T07:00:00.123Z',
      modified: '2026-11-24T07:05:00.000Z',
      created_by_ref: identityId,
      object_marking_refs: [amber],
      name: 'CVE-2024-3094',
      external_references: [{ source_name: 'cve', external_id: 'CVE-2024-3094' }],
      extensions: corridor({ pap: 'AMBER' }) as StixVulnerability['extensions'],
    });
    expect(vulnerability.id).toMatch(/^vulnerability--[0-9a-f]{8}-[0-9a-f]{4}-5/);
    expect(ofType(bundle, 'indicator').map((i) => i.name)).toEqual(['203.0.113.7', 'evil.example.com']);
    expect(JSON.stringify(ofType(bundle, 'indicator'))).not.toContain('CVE');
  });

  it('relates indicators, vulnerabilities and observed data to their incident (never `indicates`)', () => {
    const [ipv4, domain] = ofType(bundle, 'indicator');
    const [vulnerability] = ofType(bundle, 'vulnerability');
    const [observed] = ofType(bundle, 'observed-data');
    const relationships = ofType(bundle, 'relationship');
    const incidentId = stixIncidentId(INCIDENT_A);
    expect(relationships.map((r) => [r.source_ref, r.relationship_type, r.target_ref])).toEqual([
      [ipv4.id, 'based-on', observed.id],
      [ipv4.id, 'related-to', incidentId],
      [vulnerability.id, 'related-to', incidentId],
      [domain.id, 'based-on', observed.id],
      [domain.id, 'related-to', incidentId],
      [observed.id, 'related-to', incidentId],
    ]);
    for (const r of relationships) {
      expect(r).toEqual<StixRelationship>({
        type: 'relationship',
        spec_version: '2.1',
        id: r.id,
        created: '2026-11-24T07:00:00.123Z',
        modified: '2026-11-24T07:05:00.000Z',
        created_by_ref: identityId,
        object_marking_refs: [amber],
        relationship_type: r.relationship_type,
        source_ref: r.source_ref,
        target_ref: r.target_ref,
      });
    }
  });

  it('writes the incident’s PAP, and each indicator’s own where it has one', () => {
    const own = { ...ind('domain', 'red-only.example.net'), pap: 'RED' as const, papGiven: true as const };
    const exported = bundleOf([
      {
        incident: incident({ pap: 'GREEN', indicators: [{ ...ind('ipv4', '203.0.113.7'), pap: 'GREEN' }, own] }),
        organization: CERT_A,
      },
    ]);
    expect(ofType(exported, 'incident').map((i) => i.extensions[CORRIDOR_EXTENSION_ID].pap)).toEqual(['GREEN']);
    expect(ofType(exported, 'indicator').map((i) => [i.name, i.extensions[CORRIDOR_EXTENSION_ID].pap])).toEqual([
      ['203.0.113.7', 'GREEN'],
      ['red-only.example.net', 'RED'],
    ]);
  });

  it('never exports rejected indicators', () => {
    expect(JSON.stringify(bundle)).not.toContain('not-an-indicator-zzz');
  });

  it('never exports who may see the incident, its author, or the owning organization id', () => {
    const json = JSON.stringify(bundle);
    for (const secret of ['user-alice-secret', 'org-recipient-secret', 'user-bob-secret', CERT_A.id]) {
      expect(json).not.toContain(secret);
    }
  });

  it('gives every object a well-formed, unique id and millisecond UTC timestamps', () => {
    const big = bundleOf([
      { incident: full, organization: CERT_A },
      {
        incident: incident({ id: INCIDENT_B, orgId: AGENCY_B.id, tlp: 'RED', indicators: full.indicators }),
        organization: AGENCY_B,
      },
    ]);
    const ids = big.objects.map((o) => o.id);
    for (const id of ids) expect(id).toMatch(ID_RE);
    // Incident ids are UUIDv7 here, as in production: none may pass through (STIX wants versions 1–5).
    for (const id of ids) expect(id).toMatch(STIX_UUID_RE);
    expect(new Set(ids).size).toBe(ids.length);
    let checked = 0;
    for (const object of big.objects) {
      expect(object.spec_version).toBe('2.1');
      expect(object.id.startsWith(`${object.type}--`)).toBe(true);
      if (!('created' in object)) continue; // observables have no created/modified
      expect(object.created).toMatch(TIMESTAMP_RE);
      for (const field of TIMESTAMP_FIELDS) {
        const value = (object as unknown as Record<string, unknown>)[field];
        if (value === undefined) continue;
        expect(value).toMatch(TIMESTAMP_RE);
        checked++;
      }
      if (object.type !== 'marking-definition') expect(object).toHaveProperty('modified');
    }
    expect(checked).toBeGreaterThan(big.objects.length);
  });

  it('derives a UUIDv5 incident id from any Corridor id, whatever its case', () => {
    expect(stixIncidentId(INCIDENT_A)).toMatch(/^incident--[0-9a-f]{8}-[0-9a-f]{4}-5/);
    expect(stixIncidentId(INCIDENT_A)).not.toContain(INCIDENT_A);
    expect(stixIncidentId(INCIDENT_A.toUpperCase())).toBe(stixIncidentId(INCIDENT_A));
    const derived = stixIncidentId('legacy-42');
    expect(derived).toMatch(ID_RE);
    expect(derived).toBe(stixIncidentId('legacy-42'));
    expect(derived).not.toBe(stixIncidentId('legacy-43'));
  });

  it('is stable across re-exports except for the bundle id and the identity timestamps', () => {
    const again = bundleOf([{ incident: full, organization: CERT_A }], new Date('2027-01-01T00:00:00Z'), null);
    expect(again.objects.map((o) => o.id)).toEqual(bundle.objects.map((o) => o.id));
    expect(again.objects.filter((o) => o.type !== 'identity')).toEqual(
      bundle.objects.filter((o) => o.type !== 'identity'),
    );
  });

  it('keeps modified at or after created when updatedAt is earlier than createdAt', () => {
    const [sdo] = ofType(
      bundleOf([{ incident: incident({ updatedAt: new Date('2026-11-24T06:00:00Z') }), organization: CERT_A }]),
      'incident',
    );
    expect(sdo.modified).toBe(sdo.created);
  });

  it('collapses a repeated indicator of one incident into one object', () => {
    const dup = bundleOf([
      {
        incident: incident({ indicators: [ind('ipv4', '203.0.113.7'), ind('ipv4', '203.0.113.7')] }),
        organization: CERT_A,
      },
    ]);
    expect(ofType(dup, 'indicator')).toHaveLength(1);
    expect(dup.objects.filter((o) => o.type === 'ipv4-addr')).toHaveLength(1);
    expect(ofType(dup, 'relationship')).toHaveLength(3);
  });

  it('refuses the same incident twice, an invalid date and conflicting names of one organization', () => {
    expect(() =>
      bundleOf([
        { incident: full, organization: CERT_A },
        { incident: full, organization: CERT_A },
      ]),
    ).toThrow(TypeError);
    expect(() => bundleOf([{ incident: incident({ createdAt: new Date('nope') }), organization: CERT_A }])).toThrow(
      TypeError,
    );
    expect(() => toStixBundle([{ incident: full, organization: CERT_A }], { producedAt: new Date(NaN) })).toThrow(
      TypeError,
    );
    expect(() =>
      bundleOf([
        { incident: full, organization: CERT_A },
        { incident: incident({ id: INCIDENT_B }), organization: { ...CERT_A, name: 'Other' } },
      ]),
    ).toThrow(TypeError);
  });
});

describe('identities', () => {
  it('derives the identity id from the organization id under the Corridor namespace', () => {
    expect(CORRIDOR_STIX_NAMESPACE).toBe('9231447e-f4dd-48b5-8983-4331051da59b');
    expect(stixIdentityId('org-cert-a')).toBe('identity--4e638f3a-0045-5af5-b044-4a876c70863a');
    expect(stixIdentityId('org-agency-b')).toBe('identity--3228d33b-2d52-5e43-94d9-79b578daf63b');
  });

  it('gives the same organization the same id in every export, whatever its displayed name', () => {
    const first = bundleOf([{ incident: incident(), organization: CERT_A }]);
    const second = bundleOf(
      [{ incident: incident({ id: INCIDENT_B }), organization: { ...CERT_A, name: 'Org 7' } }],
      new Date('2027-03-01T00:00:00Z'),
    );
    expect(orgIdentities(first)[0].id).toBe(orgIdentities(second)[0].id);
  });

  it('writes one identity per organization and attributes each incident to its own', () => {
    const bundle = bundleOf([
      { incident: incident(), organization: CERT_A },
      { incident: incident({ id: INCIDENT_B, orgId: AGENCY_B.id }), organization: AGENCY_B },
      {
        incident: incident({ id: '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6d', indicators: [] }),
        organization: CERT_A,
      },
    ]);
    const identities = orgIdentities(bundle);
    expect(identities.map((i) => [i.id, i.name])).toEqual([
      ['identity--4e638f3a-0045-5af5-b044-4a876c70863a', 'CERT Alpha'],
      ['identity--3228d33b-2d52-5e43-94d9-79b578daf63b', 'Ministry of Beta'],
    ]);
    expect(ofType(bundle, 'incident').map((i) => i.created_by_ref)).toEqual([
      identities[0].id,
      identities[1].id,
      identities[0].id,
    ]);
  });

  it('gives a pseudonymous organization id its own identity, unlinkable to the named one', () => {
    expect(stixIdentityId('anon:recipient-9:org-agency-b')).not.toBe(stixIdentityId(AGENCY_B.id));
  });

  it('shows an anonymised organization name and never the real name or id', () => {
    const bundle = bundleOf([
      { incident: incident({ orgId: AGENCY_B.id }), organization: { ...AGENCY_B, name: 'Partner agency 3' } },
    ]);
    expect(orgIdentities(bundle)[0].name).toBe('Partner agency 3');
    const json = JSON.stringify(bundle);
    expect(json).toContain('Partner agency 3');
    expect(json).not.toContain('Ministry of Beta');
    expect(json).not.toContain(AGENCY_B.id);
  });
});

describe('markings', () => {
  it.each<[Tlp, string, string]>([
    ['CLEAR', 'TLP:CLEAR', 'clear'],
    ['GREEN', 'TLP:GREEN', 'green'],
    ['AMBER', 'TLP:AMBER', 'amber'],
    ['AMBER+STRICT', 'TLP:AMBER+STRICT', 'amber+strict'],
    ['RED', 'TLP:RED', 'red'],
  ])('%s: marks every object of the incident and includes its definition', (tlp, name, tlp2) => {
    const bundle = bundleOf([
      {
        incident: incident({ tlp, indicators: [ind('ipv4', '203.0.113.7'), ind('cve', 'CVE-2024-3094')] }),
        organization: CERT_A,
      },
    ]);
    expect(ofType(bundle, 'marking-definition')).toEqual<StixMarkingDefinition[]>([
      {
        type: 'marking-definition',
        spec_version: '2.1',
        id: TLP2_MARKING_IDS[tlp],
        created: '2022-10-01T00:00:00.000Z',
        name: name as StixMarkingDefinition['name'],
        extensions: {
          [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: tlp2 as 'clear' },
        },
      },
    ]);
    for (const object of bundle.objects) {
      if (['marking-definition', 'identity', 'extension-definition'].includes(object.type)) continue;
      expect((object as { object_marking_refs?: unknown }).object_marking_refs).toEqual([TLP2_MARKING_IDS[tlp]]);
    }
  });

  it('includes each marking definition used once, and only those used', () => {
    const bundle = bundleOf([
      { incident: incident({ tlp: 'RED' }), organization: CERT_A },
      { incident: incident({ id: INCIDENT_B, tlp: 'GREEN' }), organization: CERT_A },
      { incident: incident({ id: '0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6d', tlp: 'RED' }), organization: AGENCY_B },
    ]);
    expect(ofType(bundle, 'marking-definition').map((m) => m.id)).toEqual([
      TLP2_MARKING_IDS.GREEN,
      TLP2_MARKING_IDS.RED,
    ]);
  });
});

describe('isolation between incidents', () => {
  it('keeps the same value in two incidents as separate objects, each with only its own data', () => {
    const shared = ind('domain', 'evil.example.com');
    const bundle = bundleOf([
      { incident: incident({ tlp: 'RED', title: 'Secret', indicators: [shared] }), organization: CERT_A },
      {
        incident: incident({ id: INCIDENT_B, orgId: AGENCY_B.id, tlp: 'CLEAR', title: 'Public', indicators: [shared] }),
        organization: AGENCY_B,
      },
    ]);
    const [secretIncident, publicIncident] = ofType(bundle, 'incident');
    const indicators = ofType(bundle, 'indicator');
    expect(indicators).toHaveLength(2);
    expect(indicators[0].id).not.toBe(indicators[1].id);
    expect(indicators.map((i) => i.object_marking_refs)).toEqual([[TLP2_MARKING_IDS.RED], [TLP2_MARKING_IDS.CLEAR]]);
    expect(indicators.map((i) => i.created_by_ref)).toEqual([
      secretIncident.created_by_ref,
      publicIncident.created_by_ref,
    ]);

    // Every relationship links an indicator to the incident it came from, under that incident's marking.
    const byId = new Map(bundle.objects.map((o) => [o.id, o]));
    for (const r of ofType(bundle, 'relationship')) {
      const source = byId.get(r.source_ref) as StixIndicator;
      const target = byId.get(r.target_ref) as StixIncident;
      expect(source.object_marking_refs).toEqual(target.object_marking_refs);
      expect(r.object_marking_refs).toEqual(target.object_marking_refs);
    }
    expect(new Set(ofType(bundle, 'relationship').map((r) => r.target_ref))).toEqual(
      new Set([secretIncident.id, publicIncident.id, ...ofType(bundle, 'observed-data').map((o) => o.id)]),
    );
    // The observable both share is one object, under the stricter marking.
    expect(bundle.objects.filter((o) => o.type === 'domain-name')).toEqual([
      expect.objectContaining({ value: 'evil.example.com', object_marking_refs: [TLP2_MARKING_IDS.RED] }),
    ]);
  });
});

describe('observables, sightings and the report', () => {
  it('names an observable by the STIX SCO rule: UUIDv5 over the RFC 8785 JSON of its contributing properties', () => {
    // The example of the issue and of STIX 2.1 §2.9's method.
    expect(stixScoId('ipv4-addr', { value: '203.0.113.7' })).toBe('ipv4-addr--9ddd739e-87b1-587d-83f2-62ef1130af2f');
    // Key order does not change the id: the JSON is canonical.
    expect(stixScoId('file', { hashes: { 'SHA-256': 'ab', MD5: 'cd' } })).toBe(
      stixScoId('file', { hashes: { MD5: 'cd', 'SHA-256': 'ab' } }),
    );
  });

  const context = { ...ind('domain', 'seen-only.example.org'), forDetection: false as const };
  const item: StixExportItem = {
    incident: incident({
      indicators: [ind('ipv4', '203.0.113.7'), context, ind('sha256', 'e3'.repeat(32)), ind('asn', 'AS64500')],
    }),
    organization: CERT_A,
    sightings: [
      {
        id: 'sighting-1',
        organization: AGENCY_B,
        indicator: { type: 'ipv4', value: '203.0.113.7' },
        kind: 'seen',
        count: 3,
        firstSeen: new Date('2026-11-24T09:00:00Z'),
        lastSeen: new Date('2026-11-24T10:00:00Z'),
        note: 'on our proxy',
        createdAt: new Date('2026-11-24T10:05:00Z'),
      },
      {
        id: 'sighting-2',
        organization: CERT_A,
        indicator: { type: 'domain', value: 'seen-only.example.org' },
        kind: 'false-positive',
        count: 1,
        firstSeen: null,
        lastSeen: null,
        note: null,
        createdAt: new Date('2026-11-24T10:06:00Z'),
      },
    ],
  };
  const bundle = bundleOf([item]);

  it('writes every indicator as an observable, and an indicator only for those meant for detection', () => {
    const [observed] = ofType(bundle, 'observed-data');
    const observables = bundle.objects.filter((o) => !('created' in o));
    expect(observables.map((o) => o.type)).toEqual(['ipv4-addr', 'domain-name', 'file', 'autonomous-system']);
    expect(observed.object_refs).toEqual(observables.map((o) => o.id));
    expect(observed).toMatchObject({ first_observed: '2026-11-23T22:15:00.000Z', number_observed: 1 });
    expect(observable(bundle, 'file').hashes).toEqual({ 'SHA-256': 'e3'.repeat(32) });
    expect(observable(bundle, 'autonomous-system').number).toBe(64500);
    expect(ofType(bundle, 'indicator').map((i) => i.name)).toEqual(['203.0.113.7', 'e3'.repeat(32), 'AS64500']);
  });

  it('writes sightings of the indicator, where sighted by the reporting organization', () => {
    const [seen, falsePositive] = ofType(bundle, 'sighting');
    const [ipv4] = ofType(bundle, 'indicator');
    expect(seen).toMatchObject({
      sighting_of_ref: ipv4.id,
      where_sighted_refs: [stixIdentityId(AGENCY_B.id)],
      created_by_ref: stixIdentityId(AGENCY_B.id),
      count: 3,
      first_seen: '2026-11-24T09:00:00.000Z',
      last_seen: '2026-11-24T10:00:00.000Z',
      object_marking_refs: [TLP2_MARKING_IDS.AMBER],
      extensions: corridor({ kind: 'seen', indicator: 'ipv4:203.0.113.7', note: 'on our proxy' }),
    });
    // A context-only indicator has no indicator object: its sighting refers to the incident.
    expect(falsePositive.sighting_of_ref).toBe(stixIncidentId(INCIDENT_A));
    expect(falsePositive.extensions[CORRIDOR_EXTENSION_ID].kind).toBe('false-positive');
    expect(orgIdentities(bundle).map((i) => i.name)).toEqual(['CERT Alpha', 'Ministry of Beta']);
  });

  it('gathers the incident’s objects in a report of type incident', () => {
    const [report] = ofType(bundle, 'report');
    expect(report.report_types).toEqual(['incident']);
    expect(report.name).toBe('Phishing wave against banks');
    const own = bundle.objects.filter(
      (o) => !['marking-definition', 'identity', 'extension-definition', 'report'].includes(o.type),
    );
    expect(new Set(report.object_refs)).toEqual(new Set(own.map((o) => o.id)));
  });

  it('leaves no reference dangling: every *_ref and *_refs names an object of the bundle', () => {
    const ids = new Set<string>(bundle.objects.map((o) => o.id));
    let refs = 0;
    for (const object of bundle.objects) {
      for (const [key, value] of Object.entries(object)) {
        if (!key.endsWith('_ref') && !key.endsWith('_refs')) continue;
        for (const ref of Array.isArray(value) ? value : [value]) {
          expect(ids.has(ref as string)).toBe(true);
          refs++;
        }
      }
    }
    expect(refs).toBeGreaterThan(30);
  });
});
