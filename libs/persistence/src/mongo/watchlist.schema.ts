import { Schema } from 'mongoose';
import { CORRELATION_KINDS, INDICATOR_TYPES } from '@corridor/domain';

const options = { versionKey: false, strict: true, minimize: false } as const;
const indicatorSchema = () =>
  new Schema({ type: { type: String, enum: INDICATOR_TYPES }, value: String }, { _id: false });

/**
 * Watched values; `_id` is `watchEntryId(orgId, type, value)`, and the unique index on the
 * organization and canonical value decides duplicates on insert.
 */
export const watchEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    type: { type: String, required: true, enum: INDICATOR_TYPES },
    value: { type: String, required: true },
    note: { type: String, default: null },
    warnings: { type: [new Schema({ list: String, name: String }, { _id: false })], default: [] },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'watchlist' },
);
watchEntrySchema.index({ orgId: 1, type: 1, value: 1 }, { unique: true });
watchEntrySchema.index({ orgId: 1, createdAt: -1 });

/**
 * Watched values found in incidents, insert-only; `_id` is `watchHitId(watchId, incidentId)`, so a
 * retried job records a hit once. `announced` is set once the live event went out.
 */
export const watchHitSchema = new Schema(
  {
    _id: { type: String, required: true },
    watchId: { type: String, required: true },
    orgId: { type: String, required: true },
    watched: { type: indicatorSchema(), required: true },
    incidentId: { type: String, required: true },
    incidentOrgId: { type: String, required: true },
    matched: { type: indicatorSchema(), required: true },
    kind: { type: String, required: true, enum: CORRELATION_KINDS },
    createdAt: { type: Date, required: true },
    announced: { type: Boolean, default: false },
  },
  { ...options, collection: 'watch_hits' },
);
watchHitSchema.index({ orgId: 1, createdAt: -1 });
