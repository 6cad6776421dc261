import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, type FieldError } from '../errors/domain-error';
import { TLP1_MARKING_IDS, TLP2_EXTENSION_ID, TLP2_MARKING_IDS, CORRIDOR_EXTENSION_ID } from './stix';
import {
  STIX_MAX_OBJECTS,
  compareStixTimestamps,
  isStixTimestamp,
  stixIdType,
  validateStixBundle,
} from './stix-validate';

const SAMPLES = join(__dirname, 'samples', 'stix');
const sample = (name: string): unknown => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8'));

const IDENTITY = 'identity--2f0a0e0e-6b64-4c8e-9b3a-2d4b0f7a1c11';
const BUNDLE = 'bundle--7c1e9d0a-3f5b-4a8e-8c2d-1b6e4f9a0d22';
const T0 = '2026-11-20T09:00:00.000Z';

function indicator(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: 'indicator--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c',
    created: T0,
    modified: T0,
    pattern: "[ipv4-addr:value = '203.0.113.7']",
    pattern_type: 'stix',
    valid_from: T0,
    ...overrides,
  };
}

const bundleOf = (...objects: unknown[]) => ({ type: 'bundle', id: BUNDLE, objects });

/** The field errors of a refused document (fails the test when it is accepted). */
function problems(document: unknown): FieldError[] {
  try {
    validateStixBundle(document);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe('validation_failed');
    return domainError.details?.fields ?? [];
  }
  throw new Error('the document was accepted');
}

describe('validateStixBundle: the samples', () => {
  const good = readdirSync(SAMPLES).filter((name) => !name.startsWith('broken-'));

  it.each(good)('accepts %s', (name) => {
    const document = sample(name) as { objects: unknown[] };
    expect(validateStixBundle(document).objects).toHaveLength(document.objects.length);
  });

  it('refuses a document that is not a bundle', () => {
    expect(problems(sample('broken-not-a-bundle.json'))).toEqual([
      { field: '(document)', message: expect.stringMatching(/must be a STIX bundle/) },
    ]);
  });

  it('refuses an object without type, naming it by its place and id', () => {
    expect(problems(sample('broken-missing-type.json'))).toEqual([
      { field: 'objects[1] (indicator--2c5009fe-d1ac-416a-b2d2-a29c5fa2dfdf).type', message: 'is required' },
    ]);
  });

  it('refuses an impossible timestamp, naming object, id and property', () => {
    expect(problems(sample('broken-impossible-timestamp.json'))).toEqual([
      {
        field: expect.stringMatching(/^objects\[1\] \(indicator--[0-9a-f-]{36}\)\.valid_from$/),
        message: expect.stringMatching(/real instant/),
      },
    ]);
  });

  it('refuses a ref to an object of the wrong type', () => {
    expect(problems(sample('broken-ref-wrong-type.json'))).toEqual([
      {
        field: expect.stringMatching(/^objects\[0\] \(incident--[0-9a-f-]{36}\)\.created_by_ref$/),
        message: 'must refer to identity, not marking-definition',
      },
    ]);
  });

  it('refuses modified before created', () => {
    expect(problems(sample('broken-modified-before-created.json'))).toEqual([
      {
        field: expect.stringMatching(/^objects\[1\] \(incident--[0-9a-f-]{36}\)\.modified$/),
        message: 'must be at or after created (2026-11-22T00:00:00.000Z)',
      },
    ]);
  });

  it('says in its message where the first problem is', () => {
    expect(() => validateStixBundle(sample('broken-missing-type.json'))).toThrow(
      'The STIX bundle is invalid: objects[1] (indicator--2c5009fe-d1ac-416a-b2d2-a29c5fa2dfdf).type is required',
    );
  });
});

describe('validateStixBundle: the bundle', () => {
  it.each([
    [{ id: BUNDLE, objects: [indicator()] }, 'type'],
    [{ type: 'bundle', id: 'bundle--not-a-uuid', objects: [indicator()] }, 'id'],
    [{ type: 'bundle', id: 'report--7c1e9d0a-3f5b-4a8e-8c2d-1b6e4f9a0d22', objects: [indicator()] }, 'id'],
    [{ type: 'bundle', id: BUNDLE }, 'objects'],
    [{ type: 'bundle', id: BUNDLE, objects: [] }, 'objects'],
    [{ type: 'bundle', id: BUNDLE, objects: {} }, 'objects'],
  ])('refuses %j at %s', (document, field) => {
    expect(problems(document).map((p) => p.field)).toEqual([field]);
  });

  it(`holds at most ${STIX_MAX_OBJECTS} objects`, () => {
    const many = Array.from({ length: STIX_MAX_OBJECTS + 1 }, () => indicator());
    expect(problems(bundleOf(...many))).toEqual([
      { field: 'objects', message: expect.stringMatching(/at most 10000/) },
    ]);
    expect(validateStixBundle(bundleOf(...many.slice(1))).objects).toHaveLength(STIX_MAX_OBJECTS);
  });

  it('refuses non-objects in objects', () => {
    expect(problems(bundleOf(indicator(), 'x', null, []))).toEqual([
      { field: 'objects[1]', message: expect.any(String) },
      { field: 'objects[2]', message: expect.any(String) },
      { field: 'objects[3]', message: expect.any(String) },
    ]);
  });

  it('lists every problem of every object, not only the first', () => {
    const fields = problems(bundleOf(indicator({ pattern: undefined }), indicator({ created: 'yesterday' }))).map(
      (p) => p.field,
    );
    expect(fields).toEqual([
      'objects[0] (indicator--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c).pattern',
      'objects[1] (indicator--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c).created',
    ]);
  });

  it('lists at most 100 problems and counts the rest', () => {
    const broken = Array.from({ length: 150 }, () => indicator({ valid_from: undefined }));
    try {
      validateStixBundle(bundleOf(...broken));
      throw new Error('accepted');
    } catch (error) {
      expect((error as DomainError).details?.fields).toHaveLength(100);
      expect((error as DomainError).details?.omittedFields).toBe(50);
    }
  });
});

describe('validateStixBundle: common properties', () => {
  const at = (o: Record<string, unknown>) => problems(bundleOf(o)).map((p) => `${p.field.replace(/^[^.]*\./, '')}`);

  it.each([
    ['spec_version 2.0', { spec_version: '2.0' }, 'spec_version'],
    ['no spec_version', { spec_version: undefined }, 'spec_version'],
    ['a UUIDv7 id', { id: 'indicator--0193a5b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' }, 'id'],
    ['an id whose type is another', { id: 'malware--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c' }, 'id'],
    ['an id without UUID variant bits', { id: 'indicator--5c0a2b8e-1d3f-4e6a-cb7c-0d1e2f3a4b5c' }, 'id'],
    ['created without Z', { created: '2026-11-20T09:00:00.000' }, 'created'],
    ['created with an offset', { created: '2026-11-20T09:00:00.000+02:00' }, 'created'],
    ['hour 25', { created: '2026-11-20T25:00:00.000Z', modified: '2026-11-21T00:00:00Z' }, 'created'],
    ['29 February of a common year', { modified: '2027-02-29T00:00:00Z' }, 'modified'],
    ['minute 60', { modified: '2026-11-20T09:60:00Z' }, 'modified'],
    ['a date only', { modified: '2026-11-20' }, 'modified'],
    ['created_by_ref to a marking', { created_by_ref: TLP2_MARKING_IDS.RED }, 'created_by_ref'],
    ['object_marking_refs to an identity', { object_marking_refs: [IDENTITY] }, 'object_marking_refs[0]'],
    ['an empty object_marking_refs', { object_marking_refs: [] }, 'object_marking_refs'],
    ['revoked as text', { revoked: 'true' }, 'revoked'],
    ['labels as text', { labels: 'phishing' }, 'labels'],
    [
      'an external reference without id, url or description',
      { external_references: [{ source_name: 'x' }] },
      'external_references[0]',
    ],
    [
      'an external reference without source_name',
      { external_references: [{ url: 'https://x.example' }] },
      'external_references[0].source_name',
    ],
    ['extensions as a list', { extensions: [] }, 'extensions'],
    [
      'an unknown extension_type',
      { extensions: { [CORRIDOR_EXTENSION_ID.replace('corridor', '')]: { extension_type: 'sdo' } } },
      `extensions['${CORRIDOR_EXTENSION_ID}'].extension_type`,
    ],
    [
      'a wrong severity in Corridor’s extension',
      { extensions: { [CORRIDOR_EXTENSION_ID]: { extension_type: 'property-extension', severity: 'urgent' } } },
      `extensions['${CORRIDOR_EXTENSION_ID}'].severity`,
    ],
    [
      'a classification outside RSIT',
      {
        extensions: { [CORRIDOR_EXTENSION_ID]: { extension_type: 'property-extension', classification: 'fraud/spam' } },
      },
      `extensions['${CORRIDOR_EXTENSION_ID}'].classification`,
    ],
    [
      'a granular marking with neither lang nor ref',
      { granular_markings: [{ selectors: ['pattern'] }] },
      'granular_markings[0]',
    ],
  ])('refuses %s', (_what, overrides, field) => {
    expect(at(indicator(overrides))).toContain(field);
  });

  it('accepts sub-millisecond precision, leap days and modified equal to created', () => {
    expect(() =>
      validateStixBundle(
        bundleOf(indicator({ created: '2028-02-29T23:59:59.123456Z', modified: '2028-02-29T23:59:59.123456Z' })),
      ),
    ).not.toThrow();
  });

  it('orders timestamps beyond the millisecond', () => {
    expect(at(indicator({ created: '2026-11-20T09:00:00.0001Z', modified: '2026-11-20T09:00:00.000Z' }))).toEqual([
      'modified',
    ]);
    expect(compareStixTimestamps('2026-11-20T09:00:00.1Z', '2026-11-20T09:00:00.100000Z')).toBe(0);
    expect(compareStixTimestamps('2026-11-20T09:00:00Z', '2026-11-20T09:00:00.000001Z')).toBeLessThan(0);
  });

  it('checks only the common properties of a type it does not know, and keeps its own', () => {
    const custom = {
      type: 'x-ticket',
      spec_version: '2.1',
      id: 'x-ticket--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c',
      created: T0,
      modified: T0,
      anything: { goes: [1, 2] },
    };
    expect(validateStixBundle(bundleOf(custom)).objects[0]).toBe(custom);
    expect(at({ ...custom, created_by_ref: TLP2_MARKING_IDS.RED })).toEqual(['created_by_ref']);
    expect(at({ ...custom, modified: '2026-11-19T00:00:00Z' })).toEqual(['modified']);
    expect(at({ ...custom, type: 'X_Ticket' })).toEqual(['type']);
  });

  it('tells apart the helpers', () => {
    expect(stixIdType('ipv4-addr--9ddd739e-87b1-587d-83f2-62ef1130af2f')).toBe('ipv4-addr');
    expect(stixIdType('ipv4-addr--9ddd739e-87b1-787d-83f2-62ef1130af2f')).toBeUndefined();
    expect(isStixTimestamp('2024-02-29T00:00:00Z')).toBe(true);
    expect(isStixTimestamp('2100-02-29T00:00:00Z')).toBe(false);
    expect(isStixTimestamp('2026-04-31T00:00:00Z')).toBe(false);
    expect(isStixTimestamp('2026-12-31T23:59:60Z')).toBe(false);
  });
});

describe('validateStixBundle: per type', () => {
  const base = (type: string, extra: Record<string, unknown>) => ({
    type,
    spec_version: '2.1',
    id: `${type}--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c`,
    created: T0,
    modified: T0,
    ...extra,
  });
  const sco = (type: string, extra: Record<string, unknown>) => ({
    type,
    id: `${type}--5c0a2b8e-1d3f-5e6a-9b7c-0d1e2f3a4b5c`,
    ...extra,
  });
  const fields = (o: unknown) => problems(bundleOf(o)).map((p) => p.field.replace(/^[^.]*\./, ''));
  const REPORT_REFS = { object_refs: ['indicator--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c'] };

  it.each([
    ['identity without name', base('identity', {}), 'name'],
    ['incident without name', base('incident', {}), 'name'],
    ['report without published', base('report', { name: 'r', ...REPORT_REFS }), 'published'],
    ['report with empty object_refs', base('report', { name: 'r', published: T0, object_refs: [] }), 'object_refs'],
    ['grouping without context', base('grouping', REPORT_REFS), 'context'],
    ['indicator without pattern_type', indicator({ pattern_type: undefined }), 'pattern_type'],
    ['indicator valid_until equal to valid_from', indicator({ valid_until: T0 }), 'valid_until'],
    [
      'observed-data with number_observed 0',
      base('observed-data', { first_observed: T0, last_observed: T0, number_observed: 0, objects: { 0: {} } }),
      'number_observed',
    ],
    [
      'observed-data with number_observed 1e9',
      base('observed-data', { first_observed: T0, last_observed: T0, number_observed: 1e9, objects: { 0: {} } }),
      'number_observed',
    ],
    [
      'observed-data with last before first',
      base('observed-data', {
        first_observed: '2026-11-20T10:00:00Z',
        last_observed: T0,
        number_observed: 1,
        objects: { 0: {} },
      }),
      'last_observed',
    ],
    [
      'observed-data with neither object_refs nor objects',
      base('observed-data', { first_observed: T0, last_observed: T0, number_observed: 1 }),
      'object_refs',
    ],
    [
      'observed-data referring to an SDO',
      base('observed-data', { first_observed: T0, last_observed: T0, number_observed: 1, object_refs: [IDENTITY] }),
      'object_refs[0]',
    ],
    [
      'sighting of an SCO',
      base('sighting', { sighting_of_ref: 'ipv4-addr--5c0a2b8e-1d3f-5e6a-9b7c-0d1e2f3a4b5c' }),
      'sighting_of_ref',
    ],
    [
      'sighting with observed_data_refs to an indicator',
      base('sighting', {
        sighting_of_ref: IDENTITY,
        observed_data_refs: ['indicator--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c'],
      }),
      'observed_data_refs[0]',
    ],
    [
      'sighting where_sighted in a marking',
      base('sighting', { sighting_of_ref: IDENTITY, where_sighted_refs: [TLP2_MARKING_IDS.RED] }),
      'where_sighted_refs[0]',
    ],
    ['sighting with a negative count', base('sighting', { sighting_of_ref: IDENTITY, count: -1 }), 'count'],
    [
      'relationship without relationship_type',
      base('relationship', { source_ref: IDENTITY, target_ref: IDENTITY }),
      'relationship_type',
    ],
    [
      'relationship to a marking',
      base('relationship', { relationship_type: 'related-to', source_ref: IDENTITY, target_ref: TLP2_MARKING_IDS.RED }),
      'target_ref',
    ],
    ['vulnerability without name', base('vulnerability', {}), 'name'],
    ['ipv4-addr with an IPv6 value', sco('ipv4-addr', { value: '2001:db8::1' }), 'value'],
    ['ipv4-addr with prefix 33', sco('ipv4-addr', { value: '192.0.2.0/33' }), 'value'],
    ['ipv6-addr with an IPv4 value', sco('ipv6-addr', { value: '192.0.2.1' }), 'value'],
    ['domain-name without value', sco('domain-name', {}), 'value'],
    ['url with a number', sco('url', { value: 7 }), 'value'],
    ['email-addr without value', sco('email-addr', {}), 'value'],
    ['file without hashes or name', sco('file', { size: 3 }), 'hashes'],
    ['file with a short MD5', sco('file', { hashes: { MD5: 'abc' } }), 'hashes.MD5'],
    ['autonomous-system with a fractional number', sco('autonomous-system', { number: 64500.5 }), 'number'],
    ['an SCO with spec_version 2.0', sco('url', { value: 'http://x.example/', spec_version: '2.0' }), 'spec_version'],
    [
      'extension-definition with an unknown extension type',
      base('extension-definition', {
        created_by_ref: IDENTITY,
        name: 'e',
        schema: 's',
        version: '1',
        extension_types: ['new-thing'],
      }),
      'extension_types[0]',
    ],
    [
      'extension-definition without created_by_ref',
      base('extension-definition', { name: 'e', schema: 's', version: '1', extension_types: ['new-sdo'] }),
      'created_by_ref',
    ],
  ])('refuses %s', (_what, object, field) => {
    expect(fields(object)).toContain(field);
  });

  describe('marking-definition', () => {
    const marking = (extra: Record<string, unknown>) => ({
      type: 'marking-definition',
      spec_version: '2.1',
      id: 'marking-definition--5c0a2b8e-1d3f-4e6a-9b7c-0d1e2f3a4b5c',
      created: T0,
      ...extra,
    });

    it('accepts a statement, the TLP 1.0 form and the TLP 2.0 extension form', () => {
      expect(() =>
        validateStixBundle(
          bundleOf(
            marking({ definition_type: 'statement', definition: { statement: 'Copyright 2026 CERT Example' } }),
            {
              ...marking({ definition_type: 'tlp', definition: { tlp: 'amber' } }),
              id: TLP1_MARKING_IDS.AMBER,
            },
            {
              ...marking({
                extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'amber+strict' } },
              }),
              id: TLP2_MARKING_IDS['AMBER+STRICT'],
            },
          ),
        ),
      ).not.toThrow();
    });

    it.each([
      ['neither definition nor extension', marking({}), 'definition_type'],
      ['definition_type without definition', marking({ definition_type: 'statement' }), 'definition'],
      [
        'a TLP 1.0 level outside the vocabulary',
        marking({ definition_type: 'tlp', definition: { tlp: 'clear' } }),
        'definition.tlp',
      ],
      [
        'an empty statement',
        marking({ definition_type: 'statement', definition: { statement: '' } }),
        'definition.statement',
      ],
      [
        'a tlp_2_0 outside the vocabulary',
        marking({ extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'white' } } }),
        `extensions['${TLP2_EXTENSION_ID}'].tlp_2_0`,
      ],
      [
        'a TLP 1.0 id saying another level',
        { ...marking({ definition_type: 'tlp', definition: { tlp: 'white' } }), id: TLP1_MARKING_IDS.RED },
        'definition',
      ],
      [
        'a TLP 2.0 id saying another level',
        {
          ...marking({
            extensions: { [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: 'clear' } },
          }),
          id: TLP2_MARKING_IDS.RED,
        },
        `extensions['${TLP2_EXTENSION_ID}'].tlp_2_0`,
      ],
      [
        'no spec_version',
        marking({ definition_type: 'statement', definition: { statement: 's' }, spec_version: undefined }),
        'spec_version',
      ],
    ])('refuses %s', (_what, object, field) => {
      expect(fields(object)).toContain(field);
    });
  });
});
