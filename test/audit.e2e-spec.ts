import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { auditRecordId, hashAuditRecord, type AuditEntry, type AuditRecord } from '@corridor/domain';
import { AuditRepository, connectMongo } from '@corridor/persistence';
import { runCli, suiteEnvironment } from '@corridor/testing';

/**
 * The audit trail on the real store: two repositories on two connections stand for two api processes
 * appending to the same organization at once; the operator CLI (built output) verifies the chains,
 * and records are then tampered with through the raw driver, as someone with database access could.
 */
describe('audit trail (FerretDB + operator CLI)', () => {
  let env: Record<string, string>;
  let connections: Connection[] = [];
  let first: AuditRepository;
  let second: AuditRepository;
  // Sorted names, so the CLI checks A before B.
  const run = randomUUID();
  const orgA = `${run}-a`;
  const orgB = `${run}-b`;
  const COUNT_A = 3 + 2 * 30;
  const COUNT_B = 10;

  const entry = (orgId: string, n: number): AuditEntry => ({
    orgId,
    actor: { type: n % 2 ? 'key' : 'user', id: `actor-${n % 4}`, orgId },
    action: 'incident.read',
    target: { type: 'incident', id: `incident-${n}` },
    outcome: 'success',
    details: { n, tlp: 'AMBER', export: n % 3 === 0, note: null },
    at: new Date(Date.UTC(2026, 10, 24, 9, 0, 0, n)),
  });
  // The raw driver, beside the repositories: what someone with access to the database could do.
  const records = () => connections[0].collection<{ _id: string }>('audit_records');
  const storedSeqs = async (orgId: string) =>
    (await records().find({ orgId }).project({ seq: 1 }).toArray())
      .map((doc) => doc.seq as number)
      .sort((a, b) => a - b);
  const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  beforeAll(async () => {
    env = suiteEnvironment('audit');
    connections = [await connectMongo(env.MONGODB_URI, 5000), await connectMongo(env.MONGODB_URI, 5000)];
    first = new AuditRepository(connections[0]);
    second = new AuditRepository(connections[1]);
  }, 180_000);

  afterAll(async () => {
    await connections[0]?.dropDatabase();
    await Promise.all(connections.map((connection) => connection.close()));
  });

  it('a process whose head went stale collides on insert, reloads the head and appends after the other', async () => {
    const one = await first.append(entry(orgA, 1));
    const two = await second.append(entry(orgA, 2)); // loads the head: seq 1
    const three = await first.append(entry(orgA, 3)); // still believes seq 1 is the head: tries 2, collides
    expect([one.seq, two.seq, three.seq]).toEqual([1, 2, 3]);
    expect(two.prevHash).toBe(one.hash);
    expect(three.prevHash).toBe(two.hash);
    expect(three.id).toBe(auditRecordId(orgA, 3));
  });

  it('two processes appending concurrently leave gap-free chains, 1..N per organization', async () => {
    // Spies only count the inserts tried (they call through): more tries than records means retries.
    const inserts = connections.map((connection) => jest.spyOn(connection.models.AuditRecord, 'create'));
    const appends: Array<Promise<AuditRecord>> = [];
    for (let n = 4; n <= COUNT_A; n += 2) appends.push(first.append(entry(orgA, n)), second.append(entry(orgA, n + 1)));
    for (let n = 1; n <= COUNT_B; n++) appends.push((n % 2 ? first : second).append(entry(orgB, n)));
    const appended = await Promise.all(appends);

    const returned = (orgId: string) =>
      appended
        .filter((record) => record.orgId === orgId)
        .map((record) => record.seq)
        .sort((a, b) => a - b);
    expect(returned(orgA)).toEqual(range(COUNT_A).slice(3));
    expect(returned(orgB)).toEqual(range(COUNT_B));
    expect(await storedSeqs(orgA)).toEqual(range(COUNT_A));
    expect(await storedSeqs(orgB)).toEqual(range(COUNT_B));
    expect(await records().countDocuments({ orgId: { $in: [orgA, orgB] } })).toBe(COUNT_A + COUNT_B);

    // The second process starts with a stale head for A (seq 2), so at least one insert must have lost.
    const tries = inserts.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    process.stderr.write(`${appended.length} concurrent appends took ${tries} inserts\n`);
    expect(tries).toBeGreaterThan(appended.length);
    inserts.forEach((spy) => spy.mockRestore());
  });

  it('stored records read back exactly as hashed, with ids and links in order', async () => {
    const streamed: AuditRecord[] = [];
    for await (const record of first.streamOrganization(orgB)) streamed.push(record);
    expect(streamed.map((record) => record.seq)).toEqual(range(COUNT_B));
    streamed.forEach((record, i) => {
      const { hash, ...rest } = record;
      expect(record.id).toBe(auditRecordId(orgB, i + 1));
      expect(hashAuditRecord(rest)).toBe(hash);
      if (i > 0) expect(record.prevHash).toBe(streamed[i - 1].hash);
    });
    expect(streamed[0].details).toEqual(expect.objectContaining({ tlp: 'AMBER', note: null }));
    expect(await second.organizationIds()).toEqual([orgA, orgB]);
  });

  it('lists an organization’s records newest first, a page at a time', async () => {
    const page1 = await second.list(orgB, { limit: 4 });
    expect(page1.items.map((record) => record.seq)).toEqual([10, 9, 8, 7]);
    expect(page1.hasMore).toBe(true);
    const page3 = await second.list(orgB, { limit: 4, beforeSeq: 3 });
    expect(page3.items.map((record) => record.seq)).toEqual([2, 1]);
    expect(page3.hasMore).toBe(false);
  });

  it('`audit verify` accepts the intact chains', async () => {
    const all = await runCli(env, ['audit', 'verify']);
    expect(all).toMatchObject({ code: 0, json: { ok: true, organizations: 2, records: COUNT_A + COUNT_B } });
    const one = await runCli(env, ['audit', 'verify', '--org', orgB]);
    expect(one).toMatchObject({ code: 0, json: { ok: true, organizations: 1, records: COUNT_B } });
    const none = await runCli(env, ['audit', 'verify', '--org', `${run}-nobody`]);
    expect(none).toMatchObject({ code: 0, json: { ok: true, organizations: 0, records: 0 } });
  });

  it('`audit verify` exits 1 and names the record whose outcome was edited in the store', async () => {
    const id = auditRecordId(orgA, 17);
    expect((await records().updateOne({ _id: id }, { $set: { outcome: 'denied' } })).modifiedCount).toBe(1);
    const result = await runCli(env, ['audit', 'verify']);
    expect(result.code).toBe(1);
    expect(result.json).toEqual({
      ok: false,
      orgId: orgA,
      brokenAt: { id, seq: 17, reason: 'hash_mismatch' },
      records: 16,
    });
    // B's chain is untouched.
    expect((await runCli(env, ['audit', 'verify', '--org', orgB])).code).toBe(0);

    await records().updateOne({ _id: id }, { $set: { outcome: 'success' } });
    expect((await runCli(env, ['audit', 'verify'])).code).toBe(0);
  });

  it('a forger who also recomputes the hash is caught at the next record', async () => {
    const id = auditRecordId(orgA, 30);
    const original = (await first.list(orgA, { beforeSeq: 31, limit: 1 })).items[0];
    expect(original.id).toBe(id);
    const { hash: _hash, ...forged } = { ...original, actor: { ...original.actor, id: 'someone-else' } };
    await records().updateOne({ _id: id }, { $set: { 'actor.id': 'someone-else', hash: hashAuditRecord(forged) } });

    const result = await runCli(env, ['audit', 'verify', '--org', orgA]);
    expect(result.code).toBe(1);
    expect(result.json).toEqual({
      ok: false,
      orgId: orgA,
      brokenAt: { id: auditRecordId(orgA, 31), seq: 31, reason: 'prev_hash_mismatch' },
      records: 30,
    });

    await records().updateOne({ _id: id }, { $set: { 'actor.id': original.actor.id, hash: original.hash } });
    expect((await runCli(env, ['audit', 'verify', '--org', orgA])).code).toBe(0);
  });

  it('a deleted record shows as a sequence gap, and the first broken organization in order is reported', async () => {
    expect((await records().deleteOne({ _id: auditRecordId(orgB, 5) })).deletedCount).toBe(1);
    const gap = await runCli(env, ['audit', 'verify']);
    expect(gap.code).toBe(1);
    expect(gap.json).toEqual({
      ok: false,
      orgId: orgB,
      brokenAt: { id: auditRecordId(orgB, 6), seq: 6, reason: 'sequence_gap' },
      records: 4,
    });

    // With both chains broken, A (first in sorted order) is the one reported.
    await records().updateOne({ _id: auditRecordId(orgA, 40) }, { $set: { 'details.tlp': 'RED' } });
    const both = await runCli(env, ['audit', 'verify']);
    expect(both.code).toBe(1);
    expect(both.json).toEqual({
      ok: false,
      orgId: orgA,
      brokenAt: { id: auditRecordId(orgA, 40), seq: 40, reason: 'hash_mismatch' },
      records: 39,
    });
  });
});
