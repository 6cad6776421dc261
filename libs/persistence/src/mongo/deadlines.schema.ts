import { Schema } from 'mongoose';

const options = { versionKey: false, strict: true, minimize: false } as const;

/**
 * Organizations' own deadline profiles; `_id` is a UUIDv7 chosen by the api, and the unique index on
 * the organization and name decides duplicate names on insert. `milestones` is kept as given (checked
 * by `validateDeadlineProfile` before every write).
 */
export const deadlineProfileSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    milestones: { type: Schema.Types.Mixed, required: true },
    version: { type: Number, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'deadline_profiles' },
);
deadlineProfileSchema.index({ orgId: 1, name: 1 }, { unique: true });

/**
 * One incident's regulatory deadlines, keyed by the incident id (kept apart from the incident
 * document, which many writers change). `completed` maps milestone keys to `{at, by}`; `sent` lists
 * the reminders handled; `nextReminderAt` is what the sweeper looks for.
 */
export const incidentDeadlinesSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    profile: { type: Schema.Types.Mixed, required: true },
    awareAt: { type: Date, required: true },
    completed: { type: Schema.Types.Mixed, default: {} },
    sent: { type: [String], default: [] },
    nextReminderAt: { type: Date, default: null },
    /** Some milestone is not completed (the list of open deadlines reads only these). */
    open: { type: Boolean, default: true },
    version: { type: Number, required: true },
    updatedBy: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'incident_deadlines' },
);
incidentDeadlinesSchema.index({ nextReminderAt: 1 });
incidentDeadlinesSchema.index({ open: 1 });
