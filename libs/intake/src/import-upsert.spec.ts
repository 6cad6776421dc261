import { originOf } from './import-upsert';

describe('originOf: the key an imported incident is upserted by', () => {
  const stixId = 'incident--6d6d0b7e-3a53-5a8e-9f3c-2b1d0e4f5a6b';
  const origin = 'incident--0f8e7d6c-5b4a-5c3d-8e2f-1a0b9c8d7e6f';

  it('is the source id of an incident met for the first time', () => {
    expect(originOf({ externalRef: stixId })).toBe(stixId);
    // A submitter's own reference (not a source id Corridor gives) does not replace it.
    expect(originOf({ externalRef: stixId, sourceExternalRef: 'SOC-2026-0142' })).toBe(stixId);
  });

  it('is the original source id when a Corridor had imported it before (STIX or MISP)', () => {
    expect(originOf({ externalRef: stixId, sourceExternalRef: origin })).toBe(origin);
    const misp = 'misp:5b3f1c2a-9d4e-4f6a-8b7c-0d1e2f3a4b5c';
    expect(originOf({ externalRef: stixId, sourceExternalRef: misp })).toBe(misp);
    expect(originOf({ externalRef: stixId, sourceExternalRef: `${origin} ` })).toBe(stixId);
  });
});
