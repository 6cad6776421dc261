import { Schema } from 'mongoose';
import { LANGUAGES } from '@corridor/domain';

const options = { versionKey: false, strict: true, minimize: false } as const;

const attemptSchema = new Schema(
  {
    at: Date,
    ok: Boolean,
    responseCode: { type: Number, default: undefined },
    error: { type: String, default: undefined },
  },
  { _id: false },
);

/**
 * One e-mail of one notification to one address; `_id` is `mailMessageId(notification, address)`, so
 * the unique `_id` decides duplicates on insert (a retried dispatch records nothing twice). `view` is
 * the channel view the recipient may receive (never the notification itself). `status` moves
 * `pending → sent | failed` by conditional updates only.
 */
export const mailMessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    notificationId: { type: String, required: true },
    orgId: { type: String, required: true },
    address: { type: String, required: true },
    language: { type: String, required: true, enum: LANGUAGES },
    view: { type: Schema.Types.Mixed, required: true },
    status: { type: String, required: true, enum: ['pending', 'sent', 'failed'] },
    attempts: { type: [attemptSchema], default: [] },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    failedAt: { type: Date, default: null },
    lastError: { type: String, default: null },
  },
  { ...options, collection: 'mail_messages' },
);
mailMessageSchema.index({ orgId: 1, createdAt: -1 });
mailMessageSchema.index({ notificationId: 1 });
