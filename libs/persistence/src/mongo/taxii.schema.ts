import { Schema } from 'mongoose';
import { TLP_LEVELS } from '@corridor/domain';

const options = { versionKey: false, strict: true, minimize: false } as const;

/** One TAXII collection per community: its id is a random UUIDv4 made on first use. */
export const taxiiCollectionSchema = new Schema(
  {
    _id: { type: String, required: true },
    communityId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'taxii_collections' },
);
taxiiCollectionSchema.index({ communityId: 1 }, { unique: true });

/**
 * One version of one STIX object in a collection. The object is kept as its JSON text (STIX keys may
 * hold `.` or start with `$`, which documents may not). The visibility fields are those of the
 * incident it comes from (rewritten when the incident changes), or of the POSTing organization.
 */
export const taxiiObjectSchema = new Schema(
  {
    _id: { type: String, required: true },
    collectionId: { type: String, required: true },
    stixId: { type: String, required: true },
    type: { type: String, required: true },
    specVersion: { type: String, required: true },
    /** Microseconds since the epoch, and the object's own text of it. */
    version: { type: Number, required: true },
    versionText: { type: String, required: true },
    /** Microseconds since the epoch; strictly increasing within a collection. */
    dateAdded: { type: Number, required: true },
    /** Order of addition (1, 2, …) and its bucket of BUCKET_SIZE: pages read bucket by bucket. */
    seq: { type: Number, required: true },
    bucket: { type: Number, required: true },
    firstVersion: { type: Boolean, required: true },
    lastVersion: { type: Boolean, required: true },
    mediaType: { type: String, required: true },
    json: { type: String, required: true },
    incidentId: { type: String, default: null },
    orgId: { type: String, required: true },
    tlp: { type: String, required: true, enum: TLP_LEVELS },
    authorId: { type: String, required: true },
    recipientOrgIds: { type: [String], default: [] },
    recipientUserIds: { type: [String], default: [] },
  },
  { ...options, collection: 'taxii_objects' },
);
taxiiObjectSchema.index({ collectionId: 1, stixId: 1, version: 1 }, { unique: true });
taxiiObjectSchema.index({ collectionId: 1, dateAdded: 1 }, { unique: true });
taxiiObjectSchema.index({ incidentId: 1 });
taxiiObjectSchema.index({ collectionId: 1, bucket: 1 });

/**
 * The `date_added` range of each bucket of a collection's entries (by sequence number). A page is
 * read bucket by bucket with an equality the store can use, instead of sorting the whole collection
 * (FerretDB 1.x sorts and range-filters in memory, after reading every document that matches).
 */
export const taxiiBucketSchema = new Schema(
  {
    _id: { type: String, required: true },
    collectionId: { type: String, required: true },
    bucket: { type: Number, required: true },
    first: { type: Number, required: true },
    last: { type: Number, required: true },
  },
  { ...options, collection: 'taxii_buckets' },
);
taxiiBucketSchema.index({ collectionId: 1, bucket: 1 }, { unique: true });

/** What became of a POST to a collection's objects (TAXII 2.1 §4.3.1); read back by its organization. */
export const taxiiStatusSchema = new Schema(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    collectionId: { type: String, required: true },
    status: { type: String, required: true, enum: ['pending', 'complete'] },
    requestTimestamp: { type: String, required: true },
    successes: { type: Schema.Types.Mixed, default: [] },
    failures: { type: Schema.Types.Mixed, default: [] },
    pendings: { type: Schema.Types.Mixed, default: [] },
    createdAt: { type: Date, required: true },
  },
  { ...options, collection: 'taxii_statuses' },
);
