import { Schema } from 'mongoose';
import { NOTIFICATION_TYPES, TLP_LEVELS, WEBHOOK_DELIVERY_STATES } from '@corridor/domain';

const options = { versionKey: false, strict: true, minimize: false } as const;

/** An organization's webhook endpoints, with their signing secrets (never returned by the API after creation). */
export const webhookEndpointSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    url: { type: String, required: true },
    eventTypes: { type: [{ type: String, enum: NOTIFICATION_TYPES }], default: [] },
    maxTlp: { type: String, required: true, enum: TLP_LEVELS },
    description: { type: String, default: null },
    enabled: { type: Boolean, required: true },
    disabledReason: { type: String, default: null },
    secrets: {
      type: [new Schema({ value: String, createdAt: Date, expiresAt: { type: Date, default: null } }, { _id: false })],
      default: [],
    },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'webhook_endpoints' },
);
webhookEndpointSchema.index({ orgId: 1, createdAt: -1 });

/**
 * One notification to one endpoint; `_id` is `webhookDeliveryId(endpointId, notificationId)`, so the
 * unique `_id` decides duplicates when a caller retries. `attempts` is appended to under a
 * document lock and a filter on the expected round and attempt count.
 */
export const webhookDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    endpointId: { type: String, required: true },
    orgId: { type: String, required: true },
    notificationId: { type: String, required: true },
    type: { type: String, required: true, enum: NOTIFICATION_TYPES },
    tlp: { type: String, required: true, enum: TLP_LEVELS },
    body: { type: String, required: true },
    state: { type: String, required: true, enum: WEBHOOK_DELIVERY_STATES },
    round: { type: Number, required: true },
    attemptCount: { type: Number, required: true },
    attempts: {
      type: [
        new Schema(
          {
            round: Number,
            attempt: Number,
            at: Date,
            status: { type: Number, default: null },
            durationMs: Number,
            error: { type: String, default: null },
            retryInMs: { type: Number, default: null },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    nextAttemptAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { ...options, collection: 'webhook_deliveries' },
);
webhookDeliverySchema.index({ endpointId: 1, createdAt: -1 });
webhookDeliverySchema.index({ state: 1, nextAttemptAt: 1 });
