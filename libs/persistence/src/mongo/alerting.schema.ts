import { Schema } from 'mongoose';
import { ALERT_STATES, TLP_LEVELS, TRIGGER_KINDS } from '@corridor/domain';

const options = { versionKey: false, strict: true, minimize: false } as const;

/** Organizations' notification rules (`notification_rules`); few per organization, cached in each process. */
export const notificationRuleSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    enabled: { type: Boolean, required: true },
    trigger: { type: Schema.Types.Mixed, required: true },
    targets: { type: Schema.Types.Mixed, required: true },
    maxTlp: { type: String, required: true, enum: TLP_LEVELS },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'notification_rules' },
);
notificationRuleSchema.index({ orgId: 1, name: 1 }, { unique: true });

/**
 * Alerts raised by rules (`alerts`). `_id` is `alertId(orgId, ruleId, sourceEventId)`, so inserting
 * decides duplicates: a retried job raises nothing twice. `announced` is set once the alert went out.
 */
export const alertSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    ruleId: { type: String, required: true },
    ruleName: { type: String, required: true },
    source: { kind: { type: String, enum: TRIGGER_KINDS }, id: String },
    incident: { type: Schema.Types.Mixed, required: true },
    detail: { type: Schema.Types.Mixed, default: {} },
    state: { type: String, required: true, enum: ALERT_STATES },
    createdAt: { type: Date, required: true },
    acknowledged: { type: Schema.Types.Mixed, default: null },
    resolved: { type: Schema.Types.Mixed, default: null },
    escalation: { type: Schema.Types.Mixed, default: null },
    /** Escalation steps taken: step number, when, who was paged (each step once). */
    pages: { type: [Schema.Types.Mixed], default: [] },
    announced: { type: Boolean, default: false },
  },
  { ...options, collection: 'alerts' },
);
alertSchema.index({ orgId: 1, createdAt: -1 });
