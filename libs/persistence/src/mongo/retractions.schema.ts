import { Schema } from 'mongoose';
import { TLP_LEVELS } from '@corridor/domain';

/**
 * Retractions (`retractions`): the tombstones of what submitters withdrew. `_id` is the deterministic
 * `retractionId`, so the unique `_id` decides that retracting twice is one retraction.
 */
export const retractionSchema = new Schema(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true, enum: ['incident', 'indicator'] },
    incidentId: { type: String, required: true },
    orgId: { type: String, required: true },
    tlp: { type: String, required: true, enum: TLP_LEVELS },
    restrictedTo: { type: [String], default: null },
    indicator: { type: Schema.Types.Mixed, default: null },
    reason: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
    state: { type: String, required: true, enum: ['pending', 'done'] },
    withdrawn: { type: Schema.Types.Mixed, required: true },
    told: { type: Schema.Types.Mixed, required: true },
    doneAt: { type: Date, default: null },
    /** What the worker worded to tell, between removing the incident and telling (see RetractionService). */
    outbox: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, strict: true, minimize: false, collection: 'retractions' },
);
retractionSchema.index({ state: 1, at: 1 });
