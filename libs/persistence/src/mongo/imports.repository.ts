import { Inject, Injectable } from '@nestjs/common';
import type { Collection, Connection } from 'mongoose';
import { MONGO_CONNECTION } from '../tokens';

/** The version of a partner's object an incident was last imported from. */
export interface ImportedVersion {
  orgId: string;
  /** The source's id: a STIX id or `misp:<event uuid>`. */
  externalRef: string;
  incidentId: string;
  /** The source's version (STIX `modified`, MISP timestamp as ISO 8601), compared as text. */
  version: string;
  updatedAt: Date;
}

interface StoredImportedVersion extends Omit<ImportedVersion, 'orgId' | 'externalRef'> {
  _id: string;
}

/**
 * Which version of each partner object (per importing organization and source id) an incident holds,
 * so a re-import updates only when the source is newer. Keyed by `_id` (`<orgId>:<externalRef>`):
 * a lookup is one `_id` read, never a field scan.
 */
@Injectable()
export class ImportsRepository {
  private readonly collection: Collection<StoredImportedVersion>;

  constructor(@Inject(MONGO_CONNECTION) connection: Connection) {
    this.collection = connection.collection<StoredImportedVersion>('imported_versions');
  }

  async find(orgId: string, externalRef: string): Promise<ImportedVersion | undefined> {
    const doc = await this.collection.findOne({ _id: key(orgId, externalRef) });
    if (!doc) return undefined;
    return { orgId, externalRef, incidentId: doc.incidentId, version: doc.version, updatedAt: doc.updatedAt };
  }

  /** Records `version` as the one `incidentId` now holds. */
  async save(record: ImportedVersion): Promise<void> {
    await this.collection.replaceOne(
      { _id: key(record.orgId, record.externalRef) },
      { incidentId: record.incidentId, version: record.version, updatedAt: record.updatedAt },
      { upsert: true },
    );
  }
}

function key(orgId: string, externalRef: string): string {
  return `${orgId}:${externalRef}`;
}
