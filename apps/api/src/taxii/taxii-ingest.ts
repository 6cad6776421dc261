import { Injectable } from '@nestjs/common';
import { STIX_MEDIA_TYPE, strictestTlp, tlpFromMarkingId, type Principal, type Tlp } from '@corridor/domain';
import { TaxiiRepository, type NewTaxiiObject, type TaxiiStatusDetail } from '@corridor/persistence';

/** A POSTed object that passed the envelope checks (type, id, spec_version, a version). */
export interface PostedObject {
  stixId: string;
  type: string;
  specVersion: string;
  /** µs since the epoch, and the object's own text of it (`modified`, else `created`, else the request time). */
  version: number;
  versionText: string;
  object: Record<string, unknown>;
}

export interface TaxiiIngestRequest {
  collectionId: string;
  principal: Principal;
  objects: readonly PostedObject[];
}

/** What became of each object (TAXII 2.1 §4.3.1): a `pending` one is finished later. */
export interface TaxiiIngestOutcome {
  successes: TaxiiStatusDetail[];
  failures: TaxiiStatusDetail[];
  pendings: TaxiiStatusDetail[];
}

/**
 * The seam between a TAXII POST and what Corridor does with the objects. The default,
 * `StoreInCollection`, stores each object in the collection (readable by the rules below) and
 * reports it a success; it does NOT turn objects into Corridor incidents. The STIX importer replaces
 * this provider (`{ provide: TAXII_OBJECT_INGEST, useClass: … }` in TaxiiModule) with one that also
 * imports them — reporting per object what the import did, `pending` while it runs — and may call
 * `StoreInCollection` for the storing part.
 */
export interface TaxiiObjectIngest {
  ingest(request: TaxiiIngestRequest): Promise<TaxiiIngestOutcome>;
}

export const TAXII_OBJECT_INGEST = Symbol('TAXII_OBJECT_INGEST');

/**
 * Who may read an object POSTed by an organization: that organization, by the TLP 2.0 marking it
 * carries (TLP 1.0 ids mapped; several → the strictest). Unmarked or marked only otherwise: AMBER+STRICT,
 * so nothing is shared further than its sender can be assumed to have meant. RED: the sender (the
 * API key or user) only, as no recipient is named.
 */
export function postedTlp(object: Record<string, unknown>): Tlp {
  const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs : [];
  const tlps = refs.map((ref) => (typeof ref === 'string' ? tlpFromMarkingId(ref) : undefined));
  if (tlps.length === 0 || tlps.some((tlp) => tlp === undefined)) return 'AMBER+STRICT';
  return strictestTlp(tlps as Tlp[]);
}

/** The default ingest: store in the collection, nothing more (see TaxiiObjectIngest). */
@Injectable()
export class StoreInCollection implements TaxiiObjectIngest {
  constructor(private readonly taxii: TaxiiRepository) {}

  async ingest(request: TaxiiIngestRequest): Promise<TaxiiIngestOutcome> {
    const { principal } = request;
    const objects: NewTaxiiObject[] = request.objects.map((posted) => ({
      ...posted,
      mediaType: STIX_MEDIA_TYPE,
      incidentId: null,
      visibility: {
        orgId: principal.orgId,
        tlp: postedTlp(posted.object),
        authorId: principal.id,
        recipientOrgIds: [],
        recipientUserIds: [],
      },
    }));
    const { conflicts } = await this.taxii.add(request.collectionId, objects);
    const detail = (o: PostedObject) => ({ id: o.stixId, version: o.versionText });
    return {
      successes: request.objects
        .filter((o) => !conflicts.has(o.stixId))
        // The same words whether or not the version was there already (maybe one the sender may not read).
        .map((o) => ({ ...detail(o), message: 'stored in the collection (not imported as a Corridor incident)' })),
      // An id another organization's object (or an incident's) holds is refused: this tells the sender
      // that the id is taken, which only a sender who knows the id can learn.
      failures: request.objects
        .filter((o) => conflicts.has(o.stixId))
        .map((o) => ({ ...detail(o), message: 'the id is that of another object in this collection' })),
      pendings: [],
    };
  }
}
