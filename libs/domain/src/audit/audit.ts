import { createHash } from 'node:crypto';

/**
 * The audit trail: one hash chain per organization. Each record carries its sequence number and the
 * hash of the record before it, so editing, deleting or reordering a stored record breaks the chain
 * at a point the verifier can name. A chain alone cannot show that its newest records were cut off:
 * that needs the head hash kept somewhere else.
 */

export interface AuditActor {
  type: 'user' | 'key' | 'system';
  id: string;
  orgId: string | null;
}

export type AuditOutcome = 'success' | 'failure' | 'denied';

export type AuditDetailValue = string | number | boolean | null;

export interface AuditEntry {
  /** Whose trail this goes into. */
  orgId: string;
  actor: AuditActor;
  /** e.g. `incident.create`, `incident.tlp_change`, `key.revoke`, `auth.login`. */
  action: string;
  target: { type: string; id: string };
  outcome: AuditOutcome;
  details?: Record<string, AuditDetailValue>;
  at: Date;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  seq: number;
  prevHash: string;
  hash: string;
}

export type AuditBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'sequence_gap' | 'wrong_organization';

export interface AuditBreak {
  id: string;
  seq: number;
  reason: AuditBreakReason;
}

/** `records` counts the records found intact, i.e. before the broken one. */
export type ChainVerdict = { ok: true; records: number } | { ok: false; records: number; brokenAt: AuditBreak };

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** Zero-padded so ids sort in sequence order within an organization. */
export function auditRecordId(orgId: string, seq: number): string {
  return `${orgId}:${String(seq).padStart(12, '0')}`;
}

/**
 * JSON with object keys sorted at every level. Written to never throw on the odd values a tampered
 * document may hold (a string where a date was, a nested object in details), so the verifier reports
 * a mismatch instead of crashing.
 */
function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value instanceof Date)
    return JSON.stringify(Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  // Non-finite numbers never reach a record (nextAuditRecord refuses them); keep them distinct from null anyway.
  if (typeof value === 'number' && !Number.isFinite(value)) return JSON.stringify(String(value));
  return JSON.stringify(value) ?? 'null';
}

/**
 * The exact text that is hashed. Only the record's own fields are picked, so extra properties on the
 * object (a store's bookkeeping) change nothing; absent details and `null` details are the same thing.
 * The prefix names the format, so a future format cannot produce the same text by accident.
 */
export function canonicalAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  const actor = record.actor as Partial<AuditActor> | undefined;
  const target = record.target as Partial<AuditRecord['target']> | undefined;
  const picked = {
    id: record.id,
    orgId: record.orgId,
    seq: record.seq,
    at: record.at,
    actor: actor && { type: actor.type, id: actor.id, orgId: actor.orgId },
    action: record.action,
    target: target && { type: target.type, id: target.id },
    outcome: record.outcome,
    details: record.details ?? null,
    prevHash: record.prevHash,
  };
  return `corridor.audit.v1\n${canonicalJson(picked)}`;
}

export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalAuditRecord(record), 'utf8').digest('hex');
}

/**
 * The store keeps strings as UTF-8, which turns an unpaired surrogate into U+FFFD; doing the same
 * before hashing keeps a stored record equal to the one that was hashed.
 */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

function copyDetails(details: Record<string, AuditDetailValue>): Record<string, AuditDetailValue> {
  const copy: Record<string, AuditDetailValue> = {};
  for (const [rawKey, value] of Object.entries(details)) {
    const key = wellFormed(rawKey);
    // Dots and a leading `$` are not safely storable as field names in every MongoDB-compatible store.
    if (key === '' || key.includes('.') || key.startsWith('$') || key.includes('\u0000'))
      throw new TypeError(`audit detail key "${key}" must be non-empty, without ".", "$" prefix or NUL`);
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new TypeError(`audit detail "${key}" must be a finite number`);
    if (value !== null && !['string', 'number', 'boolean'].includes(typeof value))
      throw new TypeError(`audit detail "${key}" must be a string, number, boolean or null`);
    copy[key] = typeof value === 'string' ? wellFormed(value) : value;
  }
  return copy;
}

/**
 * The record that follows `previous` in its organization's chain (the first one when there is none).
 * The entry is copied, so a caller changing its object afterwards cannot change the hashed record.
 */
export function nextAuditRecord(previous: AuditRecord | undefined, entry: AuditEntry): AuditRecord {
  if (previous && previous.orgId !== entry.orgId)
    throw new TypeError(`audit record of ${entry.orgId} cannot follow one of ${previous.orgId}`);
  if (Number.isNaN(entry.at.getTime())) throw new TypeError('audit entry has an invalid date');
  const seq = previous ? previous.seq + 1 : 1;
  const orgId = wellFormed(entry.orgId);
  const record: Omit<AuditRecord, 'hash'> = {
    id: auditRecordId(orgId, seq),
    orgId,
    seq,
    at: new Date(entry.at.getTime()),
    actor: {
      type: entry.actor.type,
      id: wellFormed(entry.actor.id),
      orgId: entry.actor.orgId === null ? null : wellFormed(entry.actor.orgId),
    },
    action: wellFormed(entry.action),
    target: { type: wellFormed(entry.target.type), id: wellFormed(entry.target.id) },
    outcome: entry.outcome,
    ...(entry.details === undefined ? {} : { details: copyDetails(entry.details) }),
    prevHash: previous ? previous.hash : AUDIT_GENESIS_HASH,
  };
  return { ...record, hash: hashAuditRecord(record) };
}

/**
 * Checks one organization's chain a record at a time, so a long chain can be streamed from the store
 * instead of held in memory. Feed records in sequence order; after the first break it stays broken.
 */
export class AuditChainVerifier {
  private count = 0;
  private previousHash = AUDIT_GENESIS_HASH;
  private broken: AuditBreak | undefined;

  constructor(private readonly orgId: string) {}

  /** Returns the break this record reveals, if any. */
  push(record: AuditRecord): AuditBreak | undefined {
    if (this.broken) return this.broken;
    const reason = this.check(record);
    if (reason) {
      this.broken = { id: record.id, seq: record.seq, reason };
      return this.broken;
    }
    this.count++;
    this.previousHash = record.hash;
    return undefined;
  }

  get verdict(): ChainVerdict {
    return this.broken ? { ok: false, records: this.count, brokenAt: this.broken } : { ok: true, records: this.count };
  }

  private check(record: AuditRecord): AuditBreakReason | undefined {
    if (record.orgId !== this.orgId) return 'wrong_organization';
    // Sequence numbers say where a record was deleted or moved, which a hash alone cannot.
    if (record.seq !== this.count + 1) return 'sequence_gap';
    if (hashAuditRecord(record) !== record.hash) return 'hash_mismatch';
    // Reached when the record is self-consistent but its predecessor was rewritten (hash recomputed).
    if (record.prevHash !== this.previousHash) return 'prev_hash_mismatch';
    return undefined;
  }
}

/** Verifies a whole chain given in sequence order and reports its first broken link. */
export function verifyAuditChain(orgId: string, records: Iterable<AuditRecord>): ChainVerdict {
  const verifier = new AuditChainVerifier(orgId);
  for (const record of records) if (verifier.push(record)) break;
  return verifier.verdict;
}
