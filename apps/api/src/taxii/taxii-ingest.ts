import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  DomainError,
  STIX_MEDIA_TYPE,
  importStixBundle,
  strictestTlp,
  tlpFromMarkingId,
  type ImportResult,
  type Principal,
  type Tlp,
} from '@corridor/domain';
import { TaxiiRepository, type NewTaxiiObject, type TaxiiStatusDetail } from '@corridor/persistence';
import { ImportIncidents } from '../incidents/usecases/import-incidents/import-incidents.service';

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
 * The seam between a TAXII POST and what Corridor does with the objects: `ImportInCollection`
 * (stores them with `StoreInCollection`, then imports them as incidents).
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

/** Stores POSTed objects in the collection, nothing more (the storing part of `ImportInCollection`). */
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

/**
 * The ingest Corridor runs: POSTed objects are validated as one STIX bundle (one bad object fails
 * them all, with the importer's message, and nothing is stored or imported), stored in the
 * collection, and imported by the same importer as `POST /api/v1/import/stix` into incidents of the
 * sender's organization (upsert by STIX id; newer `modified` updates, `revoked` retracts). The
 * status is `complete` when the request ends; processing and alerts follow as for any incident.
 */
@Injectable()
export class ImportInCollection implements TaxiiObjectIngest {
  constructor(
    private readonly store: StoreInCollection,
    private readonly imports: ImportIncidents,
  ) {}

  async ingest(request: TaxiiIngestRequest): Promise<TaxiiIngestOutcome> {
    const detail = (o: PostedObject) => ({ id: o.stixId, version: o.versionText });
    const bundleOf = (objects: readonly PostedObject[]): ImportResult =>
      importStixBundle({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: objects.map((o) => o.object) });
    let whole: ImportResult;
    try {
      whole = bundleOf(request.objects);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const problems = (error.details?.fields ?? []).map((f) => `${f.field}: ${f.message}`).join('; ');
      const message = `not imported: ${problems || error.message}`.slice(0, 2000);
      return { successes: [], failures: request.objects.map((o) => ({ ...detail(o), message })), pendings: [] };
    }
    const stored = await this.store.ingest(request);
    // Only what was stored is imported: an object refused (another's id) must not become an incident.
    const storedIds = new Set(stored.successes.map((s) => s.id));
    const accepted = request.objects.filter((o) => storedIds.has(o.stixId));
    if (accepted.length === 0) return stored;
    const result = accepted.length === request.objects.length ? whole : bundleOf(accepted);
    const report = await this.imports.execute(request.principal, result, undefined);
    const summary = report.incidents.map((i) => `${i.externalRef} ${i.outcome}${i.id ? ` as ${i.id}` : ''}`).join(', ');
    const message = `stored in the collection; imported: ${summary || 'no incident'}`.slice(0, 2000);
    return { ...stored, successes: stored.successes.map((s) => ({ ...s, message })) };
  }
}
