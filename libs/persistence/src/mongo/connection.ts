import mongoose, { type Connection, type Model } from 'mongoose';
import { auditRecordSchema } from './audit.schema';
import {
  apiKeySchema,
  commentSchema,
  communitySchema,
  contactRequestSchema,
  correlationSchema,
  falsePositiveSchema,
  incidentSchema,
  organizationSchema,
  refreshTokenSchema,
  sightingSchema,
  timelineSchema,
  userSchema,
} from './schemas';
import { alertSchema, notificationRuleSchema } from './alerting.schema';
import { escalationPolicySchema, onCallScheduleSchema } from './oncall.schema';
import { mailMessageSchema } from './mail.schema';
import { deadlineProfileSchema, incidentDeadlinesSchema } from './deadlines.schema';
import { watchEntrySchema, watchHitSchema } from './watchlist.schema';
import { webhookDeliverySchema, webhookEndpointSchema } from './webhooks.schema';
import { retractionSchema } from './retractions.schema';
import { taxiiBucketSchema, taxiiCollectionSchema, taxiiObjectSchema, taxiiStatusSchema } from './taxii.schema';

export interface Models {
  organizations: Model<Record<string, unknown>>;
  apiKeys: Model<Record<string, unknown>>;
  incidents: Model<Record<string, unknown>>;
  correlations: Model<Record<string, unknown>>;
  users: Model<Record<string, unknown>>;
  communities: Model<Record<string, unknown>>;
  refreshTokens: Model<Record<string, unknown>>;
  comments: Model<Record<string, unknown>>;
  sightings: Model<Record<string, unknown>>;
  auditRecords: Model<Record<string, unknown>>;
  contactRequests: Model<Record<string, unknown>>;
  timeline: Model<Record<string, unknown>>;
  falsePositives: Model<Record<string, unknown>>;
  watchlist: Model<Record<string, unknown>>;
  watchHits: Model<Record<string, unknown>>;
  notificationRules: Model<Record<string, unknown>>;
  alerts: Model<Record<string, unknown>>;
  webhookEndpoints: Model<Record<string, unknown>>;
  webhookDeliveries: Model<Record<string, unknown>>;
  onCallSchedules: Model<Record<string, unknown>>;
  escalationPolicies: Model<Record<string, unknown>>;
  mailMessages: Model<Record<string, unknown>>;
  deadlineProfiles: Model<Record<string, unknown>>;
  incidentDeadlines: Model<Record<string, unknown>>;
  retractions: Model<Record<string, unknown>>;
  taxiiCollections: Model<Record<string, unknown>>;
  taxiiObjects: Model<Record<string, unknown>>;
  taxiiStatuses: Model<Record<string, unknown>>;
  taxiiBuckets: Model<Record<string, unknown>>;
}

export function modelsOf(connection: Connection): Models {
  const model = (name: string, schema: mongoose.Schema) =>
    (connection.models[name] ?? connection.model(name, schema)) as Model<Record<string, unknown>>;
  return {
    organizations: model('Organization', organizationSchema),
    apiKeys: model('ApiKey', apiKeySchema),
    incidents: model('Incident', incidentSchema),
    correlations: model('Correlation', correlationSchema),
    users: model('User', userSchema),
    communities: model('Community', communitySchema),
    refreshTokens: model('RefreshToken', refreshTokenSchema),
    comments: model('Comment', commentSchema),
    sightings: model('Sighting', sightingSchema),
    auditRecords: model('AuditRecord', auditRecordSchema),
    contactRequests: model('ContactRequest', contactRequestSchema),
    timeline: model('TimelineEntry', timelineSchema),
    falsePositives: model('FalsePositive', falsePositiveSchema),
    watchlist: model('WatchEntry', watchEntrySchema),
    watchHits: model('WatchHit', watchHitSchema),
    notificationRules: model('NotificationRule', notificationRuleSchema),
    alerts: model('Alert', alertSchema),
    webhookEndpoints: model('WebhookEndpoint', webhookEndpointSchema),
    webhookDeliveries: model('WebhookDelivery', webhookDeliverySchema),
    onCallSchedules: model('OnCallSchedule', onCallScheduleSchema),
    escalationPolicies: model('EscalationPolicy', escalationPolicySchema),
    mailMessages: model('MailMessage', mailMessageSchema),
    deadlineProfiles: model('DeadlineProfile', deadlineProfileSchema),
    incidentDeadlines: model('IncidentDeadlines', incidentDeadlinesSchema),
    retractions: model('Retraction', retractionSchema),
    taxiiCollections: model('TaxiiCollection', taxiiCollectionSchema),
    taxiiObjects: model('TaxiiObject', taxiiObjectSchema),
    taxiiStatuses: model('TaxiiStatus', taxiiStatusSchema),
    taxiiBuckets: model('TaxiiBucket', taxiiBucketSchema),
  };
}

/**
 * Connects without command buffering, so an unreachable store fails a request quickly (mapped to
 * 503) instead of queueing it, and creates the indexes before anything is written: idempotency
 * depends on the unique ones being there.
 */
export async function connectMongo(uri: string, timeoutMs: number): Promise<Connection> {
  const connection = mongoose.createConnection(uri, {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  await connection.asPromise();
  modelsOf(connection);
  // Every model registered on this connection, including those other repositories register.
  for (const name of connection.modelNames()) {
    const model = connection.model<Record<string, unknown>>(name);
    await model.createCollection().catch((error: unknown) => {
      // Already there (code 48): fine.
      if ((error as { code?: unknown }).code !== 48) throw error;
    });
    await model.createIndexes();
  }
  return connection;
}
