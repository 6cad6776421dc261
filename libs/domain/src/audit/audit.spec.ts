import { createHash } from 'node:crypto';
import {
  AUDIT_GENESIS_HASH,
  AuditChainVerifier,
  auditRecordId,
  canonicalAuditRecord,
  hashAuditRecord,
  nextAuditRecord,
  verifyAuditChain,
  type AuditEntry,
  type AuditRecord,
} from './audit';

const ORG = 'org-a';

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    orgId: ORG,
    actor: { type: 'key', id: `key-${n % 3}`, orgId: ORG },
    action: n % 2 ? 'incident.create' : 'incident.read',
    target: { type: 'incident', id: `inc-${n}` },
    outcome: 'success',
    details: { tlp: 'AMBER', indicators: n, strict: n % 2 === 0, note: null },
    at: new Date(Date.UTC(2026, 10, 24, 8, 30, n)),
    ...overrides,
  };
}

function chain(length: number, orgId = ORG): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 1; n <= length; n++) records.push(nextAuditRecord(records.at(-1), entry(n, { orgId })));
  return records;
}

/** Recomputes the hash after an edit, as someone who knows the format would. */
function rehash(record: AuditRecord): AuditRecord {
  const { hash: _hash, ...rest } = record;
  return { ...rest, hash: hashAuditRecord(rest) };
}

describe('audit record ids and the first record', () => {
  it('pads the sequence number to 12 digits after the organization id', () => {
    expect(auditRecordId('0192f0c4-7b6e-7000-8000-000000000001', 17)).toBe(
      '0192f0c4-7b6e-7000-8000-000000000001:000000000017',
    );
    expect(auditRecordId('x', 123456789012)).toBe('x:123456789012');
  });

  it('starts a chain at seq 1 from the genesis hash, then links each record to the one before', () => {
    expect(AUDIT_GENESIS_HASH).toBe('0000000000000000000000000000000000000000000000000000000000000000');
    const [first, second] = chain(2);
    expect(first).toMatchObject({ id: 'org-a:000000000001', seq: 1, prevHash: AUDIT_GENESIS_HASH });
    expect(second).toMatchObject({ id: 'org-a:000000000002', seq: 2, prevHash: first.hash });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(second.hash).not.toBe(first.hash);
  });

  it('hashes a fixed, documented text (changing it would invalidate every stored chain)', () => {
    const record = nextAuditRecord(undefined, {
      orgId: 'org-a',
      actor: { type: 'user', id: 'u-1', orgId: 'org-a' },
      action: 'incident.tlp_change',
      target: { type: 'incident', id: 'inc-9' },
      outcome: 'success',
      details: { to: 'RED', from: 'AMBER' },
      at: new Date('2026-11-24T08:30:00.123Z'),
    });
    const text =
      'corridor.audit.v1\n' +
      '{"action":"incident.tlp_change","actor":{"id":"u-1","orgId":"org-a","type":"user"},' +
      '"at":"2026-11-24T08:30:00.123Z","details":{"from":"AMBER","to":"RED"},"id":"org-a:000000000001",' +
      '"orgId":"org-a","outcome":"success","prevHash":"' +
      AUDIT_GENESIS_HASH +
      '","seq":1,"target":{"id":"inc-9","type":"incident"}}';
    expect(canonicalAuditRecord(record)).toBe(text);
    expect(record.hash).toBe(createHash('sha256').update(text).digest('hex'));
    expect(record.hash).toBe('642b87544910375973022bf453116bd5007b45752a0d643014511217097dfbbe');
  });

  it('serializes the same record to the same text whatever the key order of its objects', () => {
    const record = chain(1)[0];
    const { hash: _hash, ...rest } = record;
    const reordered = {
      prevHash: rest.prevHash,
      details: Object.fromEntries(Object.entries(rest.details ?? {}).reverse()),
      outcome: rest.outcome,
      target: { id: rest.target.id, type: rest.target.type },
      action: rest.action,
      actor: { orgId: rest.actor.orgId, id: rest.actor.id, type: rest.actor.type },
      at: new Date(rest.at.toISOString()),
      seq: rest.seq,
      orgId: rest.orgId,
      id: rest.id,
    };
    expect(Object.keys(reordered.details)).toEqual(['note', 'strict', 'indicators', 'tlp']);
    expect(canonicalAuditRecord(reordered)).toBe(canonicalAuditRecord(rest));
    expect(hashAuditRecord(reordered)).toBe(record.hash);
  });

  it('ignores properties that are not part of a record, and treats absent and null details alike', () => {
    const record = nextAuditRecord(undefined, entry(1, { details: undefined }));
    expect('details' in record).toBe(false);
    const { hash, ...rest } = record;
    expect(hashAuditRecord({ ...rest, _id: 'x', createdAt: new Date(0) } as never)).toBe(hash);
    expect(hashAuditRecord({ ...rest, details: null } as never)).toBe(hash);
    expect(hashAuditRecord({ ...rest, details: {} })).not.toBe(hash);
  });

  it('copies the entry, so later changes to the caller’s objects do not reach the record', () => {
    const input = entry(1);
    const record = nextAuditRecord(undefined, input);
    input.details!.tlp = 'RED';
    input.actor.id = 'someone-else';
    input.at.setUTCFullYear(2000);
    expect(record.details?.tlp).toBe('AMBER');
    expect(record.actor.id).toBe('key-1');
    expect(record.at.toISOString()).toBe('2026-11-24T08:30:01.000Z');
    expect(verifyAuditChain(ORG, [record])).toEqual({ ok: true, records: 1 });
  });

  it('refuses entries the store could not keep exactly', () => {
    const refuse = (details: Record<string, unknown>) => () =>
      nextAuditRecord(undefined, entry(1, { details: details as never }));
    expect(refuse({ 'a.b': 1 })).toThrow('audit detail key "a.b"');
    expect(refuse({ $where: 1 })).toThrow('audit detail key "$where"');
    expect(refuse({ '': 1 })).toThrow('audit detail key ""');
    expect(refuse({ n: Number.NaN })).toThrow('audit detail "n" must be a finite number');
    expect(refuse({ n: Infinity })).toThrow('audit detail "n" must be a finite number');
    expect(refuse({ o: { nested: 1 } })).toThrow('audit detail "o" must be a string, number, boolean or null');
    expect(() => nextAuditRecord(undefined, entry(1, { at: new Date('nope') }))).toThrow('invalid date');
    expect(() => nextAuditRecord(chain(1, 'org-b')[0], entry(2))).toThrow('cannot follow one of org-b');
  });

  it('replaces unpaired surrogates the way the store will, so the stored record still verifies', () => {
    const record = nextAuditRecord(undefined, entry(1, { details: { name: 'a\uD800b' } }));
    expect(record.details).toEqual({ name: 'a\uFFFDb' });
    expect(verifyAuditChain(ORG, [record])).toEqual({ ok: true, records: 1 });
  });
});

describe('verifying a chain', () => {
  const N = 12;
  const K = 7;

  it('accepts an intact chain and an empty one', () => {
    expect(verifyAuditChain(ORG, chain(N))).toEqual({ ok: true, records: N });
    expect(verifyAuditChain(ORG, [])).toEqual({ ok: true, records: 0 });
  });

  const edits: Array<[string, (record: AuditRecord) => AuditRecord]> = [
    ['outcome', (r) => ({ ...r, outcome: 'denied' })],
    ['a detail value', (r) => ({ ...r, details: { ...r.details, tlp: 'GREEN' } })],
    ['an added detail', (r) => ({ ...r, details: { ...r.details, extra: true } })],
    ['a removed detail', (r) => ({ ...r, details: { tlp: 'AMBER' } })],
    ['details dropped', (r) => ({ ...r, details: undefined })],
    ['the detail type (number to string)', (r) => ({ ...r, details: { ...r.details, indicators: String(K) } })],
    ['actor id', (r) => ({ ...r, actor: { ...r.actor, id: 'key-9' } })],
    ['actor type', (r) => ({ ...r, actor: { ...r.actor, type: 'system' } })],
    ['actor organization', (r) => ({ ...r, actor: { ...r.actor, orgId: null } })],
    ['at, by one millisecond', (r) => ({ ...r, at: new Date(r.at.getTime() + 1) })],
    ['action', (r) => ({ ...r, action: 'incident.export' })],
    ['target id', (r) => ({ ...r, target: { ...r.target, id: 'inc-999' } })],
    ['prevHash', (r) => ({ ...r, prevHash: AUDIT_GENESIS_HASH })],
    ['hash itself', (r) => ({ ...r, hash: r.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) })],
  ];

  it.each(edits)('changing %s of record k points at k with hash_mismatch', (_field, edit) => {
    const records = chain(N);
    records[K - 1] = edit(records[K - 1]);
    expect(verifyAuditChain(ORG, records)).toEqual({
      ok: false,
      records: K - 1,
      brokenAt: { id: `org-a:00000000000${K}`, seq: K, reason: 'hash_mismatch' },
    });
  });

  it.each(edits.filter(([field]) => !['prevHash', 'hash itself'].includes(field)))(
    'a forger who changes %s of record k and recomputes its hash breaks the link at k+1',
    (_field, edit) => {
      const records = chain(N);
      records[K - 1] = rehash(edit(records[K - 1]));
      expect(verifyAuditChain(ORG, records)).toEqual({
        ok: false,
        records: K,
        brokenAt: { id: `org-a:00000000000${K + 1}`, seq: K + 1, reason: 'prev_hash_mismatch' },
      });
    },
  );

  it('changing the id of record k is a hash mismatch, reported under the id found', () => {
    const records = chain(N);
    records[K - 1] = { ...records[K - 1], id: auditRecordId(ORG, 99) };
    expect(verifyAuditChain(ORG, records)).toEqual({
      ok: false,
      records: K - 1,
      brokenAt: { id: 'org-a:000000000099', seq: K, reason: 'hash_mismatch' },
    });
  });

  it('a deleted record shows as a sequence gap at the next one', () => {
    const records = chain(N);
    records.splice(K - 1, 1);
    expect(verifyAuditChain(ORG, records)).toEqual({
      ok: false,
      records: K - 1,
      brokenAt: { id: 'org-a:000000000008', seq: 8, reason: 'sequence_gap' },
    });
    expect(verifyAuditChain(ORG, chain(N).slice(1))).toEqual({
      ok: false,
      records: 0,
      brokenAt: { id: 'org-a:000000000002', seq: 2, reason: 'sequence_gap' },
    });
  });

  it('a deleted record whose successors were renumbered and rehashed still breaks at the renumbered one', () => {
    const records = chain(N);
    records.splice(K - 1, 1);
    for (let i = K - 1; i < records.length; i++) {
      records[i] = rehash({ ...records[i], seq: i + 1, id: auditRecordId(ORG, i + 1) });
    }
    expect(verifyAuditChain(ORG, records)).toEqual({
      ok: false,
      records: K - 1,
      brokenAt: { id: 'org-a:000000000007', seq: K, reason: 'prev_hash_mismatch' },
    });
  });

  it('swapped records show as a sequence gap at the first one out of place', () => {
    const records = chain(N);
    [records[3], records[4]] = [records[4], records[3]];
    expect(verifyAuditChain(ORG, records)).toEqual({
      ok: false,
      records: 3,
      brokenAt: { id: 'org-a:000000000005', seq: 5, reason: 'sequence_gap' },
    });
  });

  it('a record of another organization is reported as such, before anything else', () => {
    const records = chain(N);
    records[K - 1] = chain(K, 'org-b')[K - 1];
    expect(verifyAuditChain(ORG, records)).toEqual({
      ok: false,
      records: K - 1,
      brokenAt: { id: 'org-b:000000000007', seq: K, reason: 'wrong_organization' },
    });
  });

  it('reports the first break when there are several', () => {
    const records = chain(N);
    records[9] = { ...records[9], outcome: 'failure' };
    records[4] = { ...records[4], action: 'auth.logout' };
    records.splice(2, 1);
    expect(verifyAuditChain(ORG, records)).toMatchObject({ ok: false, brokenAt: { seq: 4, reason: 'sequence_gap' } });
  });

  it('reports a mismatch, not an exception, for documents mangled beyond the record shape', () => {
    const records = chain(3);
    records[1] = { ...records[1], at: 'yesterday' as never, actor: undefined as never, target: null as never };
    expect(verifyAuditChain(ORG, records)).toEqual({
      ok: false,
      records: 1,
      brokenAt: { id: 'org-a:000000000002', seq: 2, reason: 'hash_mismatch' },
    });
    records[1] = { ...chain(3)[1], at: new Date(Number.NaN) };
    expect(verifyAuditChain(ORG, records)).toMatchObject({ ok: false, brokenAt: { seq: 2, reason: 'hash_mismatch' } });
  });

  it('cannot see the newest records cut off: only an external copy of the head hash can', () => {
    expect(verifyAuditChain(ORG, chain(N).slice(0, N - 2))).toEqual({ ok: true, records: N - 2 });
  });

  it('verifies record by record and stays broken after the first break', () => {
    const records = chain(5);
    const verifier = new AuditChainVerifier(ORG);
    expect(verifier.push(records[0])).toBeUndefined();
    expect(verifier.push(records[2])).toEqual({ id: 'org-a:000000000003', seq: 3, reason: 'sequence_gap' });
    expect(verifier.push(records[1])).toEqual({ id: 'org-a:000000000003', seq: 3, reason: 'sequence_gap' });
    expect(verifier.verdict).toEqual({
      ok: false,
      records: 1,
      brokenAt: { id: 'org-a:000000000003', seq: 3, reason: 'sequence_gap' },
    });
  });
});
