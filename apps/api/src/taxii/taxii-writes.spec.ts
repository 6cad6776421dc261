import { basicCredential } from './taxii-auth.guard';
import { postedTlp } from './taxii-ingest';
import { checkPosted } from './taxii-writes.service';

const ID = 'indicator--6a1a7a3e-8f63-4b0e-9a0b-1f1f3c9c2b10';
const NOW = 1_780_000_000_123_456;
const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('basicCredential', () => {
  it('takes the password as the API key, else the user name', () => {
    expect(basicCredential(basic('taxii:cor_abc_def'))).toBe('cor_abc_def');
    expect(basicCredential(basic('cor_abc_def:'))).toBe('cor_abc_def');
    expect(basicCredential(basic('user:pa:ss'))).toBe('pa:ss');
  });

  it('is undefined for other schemes and malformed values', () => {
    expect(basicCredential('Bearer cor_abc_def')).toBeUndefined();
    expect(basicCredential(basic('no-colon'))).toBeUndefined();
    expect(basicCredential(basic(':'))).toBeUndefined();
    expect(basicCredential(undefined)).toBeUndefined();
  });
});

describe('checkPosted', () => {
  const object = { type: 'indicator', spec_version: '2.1', id: ID, created: '2026-11-30T08:00:00.000Z' };

  it('takes modified, else created, else the request time as the version', () => {
    expect(checkPosted({ ...object, modified: '2026-11-30T09:00:00Z' }, 0, NOW)).toMatchObject({
      ok: { stixId: ID, type: 'indicator', versionText: '2026-11-30T09:00:00Z' },
    });
    expect(checkPosted(object, 0, NOW)).toMatchObject({ ok: { versionText: '2026-11-30T08:00:00.000Z' } });
    const sco = { type: 'ipv4-addr', spec_version: '2.1', id: 'ipv4-addr--9ddd739e-87b1-587d-83f2-62ef1130af2f' };
    expect(checkPosted(sco, 0, NOW)).toMatchObject({
      ok: { version: NOW, versionText: '2026-05-28T20:26:40.123456Z' },
    });
  });

  it.each([
    ['not an object', 'is not an object'],
    [{ ...object, type: undefined }, 'type is missing'],
    [{ ...object, id: 'indicator--x' }, 'id is not a STIX identifier'],
    [{ ...object, type: 'malware' }, "id does not start with its type 'malware'"],
    [{ ...object, spec_version: undefined }, 'spec_version is missing'],
    [{ ...object, modified: '2026-02-30T00:00:00Z' }, 'modified is not a timestamp'],
  ])('%j fails: %s', (value, message) => {
    const checked = checkPosted(value, 3, NOW);
    expect('failure' in checked && checked.failure.message).toContain(`objects[3]: ${message}`);
  });
});

describe('postedTlp', () => {
  const GREEN = 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb';
  const TLP1_WHITE = 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9';
  const TLP1_RED = 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed';

  it('is the strictest TLP marking; unmarked or unknown markings are AMBER+STRICT', () => {
    expect(postedTlp({ object_marking_refs: [GREEN] })).toBe('GREEN');
    expect(postedTlp({ object_marking_refs: [TLP1_WHITE] })).toBe('CLEAR');
    expect(postedTlp({ object_marking_refs: [GREEN, TLP1_RED] })).toBe('RED');
    expect(postedTlp({})).toBe('AMBER+STRICT');
    expect(
      postedTlp({ object_marking_refs: [GREEN, 'marking-definition--00000000-0000-4000-8000-000000000000'] }),
    ).toBe('AMBER+STRICT');
  });
});
