import { Schema } from 'mongoose';

const options = { versionKey: false, strict: true, minimize: false } as const;

const rotationSchema = new Schema(
  { users: [String], handover: String, lengthDays: Number, startDate: String },
  { _id: false },
);
const overrideSchema = new Schema({ id: String, userId: String, from: Date, to: Date }, { _id: false });

/**
 * On-call schedules; `_id` is a UUIDv7 chosen by the api. `version` counts changes: every write is
 * conditional on the version read, so two concurrent edits of one schedule cannot lose one another.
 */
export const onCallScheduleSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    timeZone: { type: String, required: true },
    rotations: { type: [rotationSchema], default: [] },
    overrides: { type: [overrideSchema], default: [] },
    version: { type: Number, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'oncall_schedules' },
);
onCallScheduleSchema.index({ orgId: 1, createdAt: 1 });

const targetSchema = new Schema({ kind: String, scheduleId: String, userId: String }, { _id: false });
const levelSchema = new Schema({ targets: [targetSchema], delayMinutes: Number }, { _id: false });

/** Escalation policies; versioned like schedules. */
export const escalationPolicySchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    levels: { type: [levelSchema], default: [] },
    repeat: { type: Number, required: true },
    version: { type: Number, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'escalation_policies' },
);
escalationPolicySchema.index({ orgId: 1, createdAt: 1 });
