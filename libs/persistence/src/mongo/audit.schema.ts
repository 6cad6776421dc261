import { Schema } from 'mongoose';

/**
 * Audit records, append-only. `_id` is `<orgId>:<seq padded to 12>` (auditRecordId), so two writers
 * that both computed the same next record collide on insert and the loser retries on a fresh head.
 * Documents must come back exactly as hashed: no defaults that add fields, no trimming, no minimizing.
 */
const actorSchema = new Schema(
  {
    type: { type: String, required: true },
    id: { type: String, required: true },
    orgId: { type: String, default: null },
  },
  { _id: false },
);

const targetSchema = new Schema(
  {
    type: { type: String, required: true },
    id: { type: String, required: true },
  },
  { _id: false },
);

export const auditRecordSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    actor: { type: actorSchema, required: true },
    action: { type: String, required: true },
    target: { type: targetSchema, required: true },
    outcome: { type: String, required: true },
    // A flat map of strings, numbers, booleans and nulls, checked by the domain; null when absent.
    details: { type: Schema.Types.Mixed, default: null },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false, strict: true, minimize: false, collection: 'audit_records' },
);
// The same guarantee as `_id`, stated on the fields; it also serves head lookups and pages on MongoDB.
auditRecordSchema.index({ orgId: 1, seq: 1 }, { unique: true });
