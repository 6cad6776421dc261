import { Schema } from 'mongoose';
import {
  CONTACT_STATUSES,
  DEFAULT_LANGUAGE,
  DISCLOSURE_LEVELS,
  LANGUAGES,
  PAP_LEVELS,
  SIGHTING_KINDS,
  TLP_LEVELS,
} from '@corridor/domain';

/**
 * Mongo documents use string `_id`s chosen by the application (UUIDv7 for incidents and
 * organizations, deterministic ids for correlations), so a retried write hits the same document.
 * Uniqueness is decided by unique indexes on insert, never by a read before the write.
 */
const options = { versionKey: false, strict: true, minimize: false } as const;

/** `{CLEAR?, GREEN?, AMBER?, 'AMBER+STRICT'?, RED?}`, each a disclosure level. */
function disclosurePolicySchema(): Schema {
  const levels = Object.fromEntries(TLP_LEVELS.map((tlp) => [tlp, { type: String, enum: DISCLOSURE_LEVELS }]));
  return new Schema(levels, { _id: false });
}

export const organizationSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    country: { type: String, required: true },
    kind: { type: String, required: true, enum: ['cert', 'agency'] },
    /** The disclosure policy the organization set, per TLP level; absent levels use the defaults. */
    disclosure: { type: disclosurePolicySchema(), default: undefined },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'organizations' },
);
organizationSchema.index({ name: 1 }, { unique: true });

export const apiKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    hash: { type: String, required: true },
    name: { type: String, default: '' },
    scopes: { type: [String], default: [] },
    expiresAt: { type: Date, default: null },
    createdBy: { type: String, default: null },
    createdAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { ...options, collection: 'api_keys' },
);
apiKeySchema.index({ orgId: 1 });

const indicatorSchema = new Schema(
  {
    raw: String,
    type: String,
    value: String,
    source: String,
    enrichment: { type: Schema.Types.Mixed, default: {} },
    /** The warning lists it matched (absent on indicators stored before there were any: none). */
    warnings: { type: [{ _id: false, list: String, name: String }], default: undefined },
    pap: { type: String, enum: PAP_LEVELS },
    /** True when the submitter gave this indicator's PAP; otherwise it follows the incident's. */
    papGiven: { type: Boolean },
    /** False: context only, not for detection (absent: for detection). */
    forDetection: { type: Boolean },
  },
  { _id: false },
);

const rejectedSchema = new Schema(
  { raw: String, reason: String, message: String, declaredType: String },
  { _id: false },
);

const submittedSchema = new Schema(
  { raw: String, type: String, source: String, pap: { type: String, enum: PAP_LEVELS }, forDetection: Boolean },
  { _id: false },
);

export const incidentSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    authorId: { type: String, required: true },
    recipientOrgIds: { type: [String], default: [] },
    recipientUserIds: { type: [String], default: [] },
    status: { type: String, default: 'new' },
    statusChangedBy: { type: String, default: null },
    statusChangedAt: { type: Date, default: null },
    assigneeId: { type: String, default: null },
    title: { type: String, required: true },
    description: { type: String, default: '' },
    occurredAt: { type: Date, required: true },
    classification: { class: String, type: { type: String } },
    severity: { type: String, required: true },
    tlp: { type: String, required: true },
    /** Absent on incidents stored before PAP: read as the default for their TLP. */
    pap: { type: String, enum: PAP_LEVELS },
    externalRef: { type: String, default: null },
    /** The owner's disclosure for this incident, overriding its organization's policy; null: none. */
    disclosure: { type: String, enum: DISCLOSURE_LEVELS, default: null },
    /** TLP:EX:CHR: the submitter is anonymised outside its organization (absent: named as usual). */
    anonymisedSubmitter: { type: Boolean },
    /** `<orgId>:<externalRef>`, or the incident id when there is none (no partial indexes on FerretDB). */
    refKey: { type: String, required: true },
    /** `<orgId>:<Idempotency-Key>`, or the incident id when there is none. */
    idemKey: { type: String, required: true },
    state: { type: String, required: true },
    failureReason: { type: String, default: null },
    submitted: { type: [submittedSchema], default: [] },
    indicators: { type: [indicatorSchema], default: [] },
    rejectedIndicators: { type: [rejectedSchema], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    /** When processing last moved the state (the sweeper's clock); `updatedAt` is for analysts' changes. */
    stateChangedAt: { type: Date },
  },
  { ...options, collection: 'incidents' },
);
incidentSchema.index({ refKey: 1 }, { unique: true });
incidentSchema.index({ idemKey: 1 }, { unique: true });
// Serve lists and the sweeper on MongoDB; FerretDB accepts and ignores them for queries.
incidentSchema.index({ orgId: 1, _id: -1 });
incidentSchema.index({ tlp: 1, _id: -1 });
incidentSchema.index({ state: 1, stateChangedAt: 1 });

const sideSchema = new Schema({ incidentId: String, orgId: String }, { _id: false });
const matchedSchema = new Schema({ type: { type: String }, value: String }, { _id: false });

export const correlationSchema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true },
    type: { type: String, required: true },
    value: { type: String, required: true },
    /** Absent on correlations stored before kinds existed: they read as exact. */
    kind: { type: String, default: undefined },
    /** The earlier side's indicator, for every kind but exact. */
    matched: { type: matchedSchema, default: undefined },
    found: { type: sideSchema, required: true },
    earlier: { type: sideSchema, required: true },
    createdAt: { type: Date, required: true },
    alertedAt: { type: Date, default: null },
    /** One acknowledgement per side organization, by the person on call. */
    acks: { type: [{ _id: false, orgId: String, userId: String, at: Date }], default: [] },
  },
  { ...options, collection: 'correlations' },
);
correlationSchema.index({ 'found.incidentId': 1 });
correlationSchema.index({ 'earlier.incidentId': 1 });
// An organization's alerts, newest first (GET /api/v1/alerts) on MongoDB; FerretDB scans.
correlationSchema.index({ 'found.orgId': 1, createdAt: -1 });
correlationSchema.index({ 'earlier.orgId': 1, createdAt: -1 });

const pendingSetupSchema = new Schema({ hash: String, expiresAt: Date }, { _id: false });

export const userSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    /** Lower-cased; unique across the platform. */
    email: { type: String, required: true },
    name: { type: String, required: true },
    roles: { type: [String], default: [] },
    /** The language Corridor writes to the person in (e-mail). */
    language: { type: String, enum: LANGUAGES, default: DEFAULT_LANGUAGE },
    /** Null until the person sets a password with their setup token. */
    passwordHash: { type: String, default: null },
    /** A pending one-time setup token: its SHA-256 and expiry; null once used (or never issued). */
    setup: { type: pendingSetupSchema, default: null },
    createdAt: { type: Date, required: true },
    disabledAt: { type: Date, default: null },
  },
  { ...options, collection: 'users' },
);
userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ orgId: 1 });

const memberSchema = new Schema({ orgId: String, anonymous: Boolean }, { _id: false });

export const communitySchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    members: { type: [memberSchema], default: [] },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'communities' },
);
communitySchema.index({ name: 1 }, { unique: true });

/** Refresh tokens rotate: each use marks the token used and issues the next one of the same family. */
export const refreshTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    familyId: { type: String, required: true },
    hash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    revokedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'refresh_tokens' },
);
refreshTokenSchema.index({ familyId: 1 });

export const commentSchema = new Schema(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    orgId: { type: String, required: true },
    authorId: { type: String, required: true },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'comments' },
);
commentSchema.index({ incidentId: 1, _id: 1 });

/**
 * Partners' sightings of incidents' indicators, insert-only. `idemKey` is `<orgId>:<Idempotency-Key>`,
 * or the sighting id when there is none (no partial indexes on FerretDB): a repeated request is
 * refused by the unique index instead of counted twice.
 */
export const sightingSchema = new Schema(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    orgId: { type: String, required: true },
    authorId: { type: String, required: true },
    indicator: { type: new Schema({ type: { type: String }, value: String }, { _id: false }), required: true },
    kind: { type: String, required: true, enum: SIGHTING_KINDS },
    count: { type: Number, required: true },
    firstSeen: { type: Date, default: null },
    lastSeen: { type: Date, default: null },
    note: { type: String, default: null },
    idemKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'sightings' },
);
sightingSchema.index({ idemKey: 1 }, { unique: true });
sightingSchema.index({ incidentId: 1, _id: 1 });
// Where else an indicator was sighted, by its canonical form.
sightingSchema.index({ 'indicator.type': 1, 'indicator.value': 1 });

/**
 * Brokered contact requests between the sides of a correlation. The `_id` is deterministic
 * (`contactRequestId`), so a repeated request is refused by the primary key instead of duplicated.
 */
export const contactRequestSchema = new Schema(
  {
    _id: { type: String, required: true },
    correlationId: { type: String, required: true },
    requesterOrgId: { type: String, required: true },
    requesterIncidentId: { type: String, required: true },
    requestedBy: { type: String, required: true },
    ownerOrgId: { type: String, required: true },
    ownerIncidentId: { type: String, required: true },
    status: { type: String, required: true, enum: CONTACT_STATUSES },
    createdAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
    answeredBy: { type: String, default: null },
    /** The status last announced live (null: not yet), so a retry re-announces what a failed publish lost. */
    announced: { type: String, default: null },
  },
  { ...options, collection: 'contact_requests' },
);
// Serve lookups on MongoDB; FerretDB accepts and ignores them for queries.
contactRequestSchema.index({ correlationId: 1 });
contactRequestSchema.index({ requesterOrgId: 1, createdAt: -1 });
contactRequestSchema.index({ ownerOrgId: 1, createdAt: -1 });

/**
 * What happened to each incident, insert-only. The `_id` is deterministic (`timelineIds`), so a
 * retried job or request is refused by the primary key instead of adding an entry twice. `sortKey`
 * (`<at ISO>|<id>`) orders an incident's entries and pages them; every read names one incident.
 */
export const timelineSchema = new Schema(
  {
    _id: { type: String, required: true },
    incidentId: { type: String, required: true },
    at: { type: Date, required: true },
    sortKey: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, default: null },
    kind: { type: String, required: true },
    change: { type: Schema.Types.Mixed, default: {} },
  },
  { ...options, collection: 'timeline' },
);
timelineSchema.index({ incidentId: 1, sortKey: 1 });

/** False positives per organization and pair of values; `_id` is `falsePositiveId(orgId, key)`. */
export const falsePositiveSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    key: { type: String, required: true },
    correlationId: { type: String, required: true },
    by: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { ...options, collection: 'false_positives' },
);
falsePositiveSchema.index({ orgId: 1, key: 1 });
falsePositiveSchema.index({ key: 1 });
