import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  canSee,
  formatTimestampMicros,
  notFound,
  parseTimestampMicros,
  type Principal,
} from '@corridor/domain';
import { TaxiiRepository, type TaxiiStatusDetail, type TaxiiStatusRecord } from '@corridor/persistence';
import { RetractIncident } from '../incidents/usecases/retract-incident/retract-incident.service';
import { TaxiiAccess } from './taxii-access.service';
import { TAXII_OBJECT_INGEST, type PostedObject, type TaxiiObjectIngest } from './taxii-ingest';
import { TaxiiHttpError } from './taxii-http';

const STIX_ID = /^([a-z0-9][a-z0-9-]{1,248}[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The most objects one POST may hold (besides `max_content_length`). */
export const TAXII_MAX_POSTED_OBJECTS = 5_000;

/** TAXII 2.1 §4.3.1 status resource. */
export interface TaxiiStatusResource {
  id: string;
  status: 'pending' | 'complete';
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes?: TaxiiStatusDetail[];
  failure_count: number;
  failures?: TaxiiStatusDetail[];
  pending_count: number;
  pendings?: TaxiiStatusDetail[];
}

export function statusResource(record: TaxiiStatusRecord): TaxiiStatusResource {
  const list = (name: 'successes' | 'failures' | 'pendings', items: TaxiiStatusDetail[]) =>
    items.length > 0 ? { [name]: items } : {};
  return {
    id: record.id,
    status: record.status,
    request_timestamp: record.requestTimestamp,
    total_count: record.successes.length + record.failures.length + record.pendings.length,
    success_count: record.successes.length,
    ...list('successes', record.successes),
    failure_count: record.failures.length,
    ...list('failures', record.failures),
    pending_count: record.pendings.length,
    ...list('pendings', record.pendings),
  };
}

/**
 * Minimal checks of one posted object (the importer validates fully): an object with a STIX `type`,
 * an `id` of that type with a UUID, `spec_version`, and valid `modified`/`created` when present. The
 * version is `modified`, else `created`, else the request time (TAXII 2.1 §3.4.1 takes `date_added`
 * for objects without either; the request time stands for it).
 */
export function checkPosted(
  value: unknown,
  index: number,
  requestMicros: number,
): { ok: PostedObject } | { failure: TaxiiStatusDetail } {
  const fail = (id: string, message: string) => ({
    failure: { id, version: '', message: `objects[${index}]: ${message}` },
  });
  if (!value || typeof value !== 'object' || Array.isArray(value)) return fail('', 'is not an object');
  const object = value as Record<string, unknown>;
  const id = typeof object.id === 'string' ? object.id : '';
  if (typeof object.type !== 'string') return fail(id, 'type is missing');
  const match = STIX_ID.exec(id);
  if (!match) return fail(id, 'id is not a STIX identifier (<type>--<UUID>)');
  if (match[1] !== object.type) return fail(id, `id does not start with its type '${object.type}'`);
  if (typeof object.spec_version !== 'string' || !/^\d+\.\d+$/.test(object.spec_version))
    return fail(id, 'spec_version is missing or not a version such as 2.1');
  for (const field of ['created', 'modified'] as const) {
    const v = object[field];
    if (v !== undefined && (typeof v !== 'string' || parseTimestampMicros(v) === undefined))
      return fail(id, `${field} is not a timestamp`);
  }
  const versionText =
    (object.modified as string | undefined) ??
    (object.created as string | undefined) ??
    formatTimestampMicros(requestMicros);
  return {
    ok: {
      stixId: id,
      type: object.type,
      specVersion: object.spec_version,
      version: parseTimestampMicros(versionText)!,
      versionText,
      object,
    },
  };
}

/** POST objects/, GET status/{id}/ and DELETE objects/{id}/. */
@Injectable()
export class TaxiiWrites {
  constructor(
    private readonly access: TaxiiAccess,
    private readonly taxii: TaxiiRepository,
    private readonly retract: RetractIncident,
    @Inject(TAXII_OBJECT_INGEST) private readonly ingest: TaxiiObjectIngest,
  ) {}

  /** Stores what passes the minimal checks; the status resource lists every object. */
  async add(principal: Principal, collectionId: string, body: unknown): Promise<TaxiiStatusResource> {
    const { collection } = await this.access.requireWritable(principal, collectionId);
    const objects = (body as { objects?: unknown } | null)?.objects;
    if (!body || typeof body !== 'object' || Array.isArray(body) || !Array.isArray(objects))
      throw new TaxiiHttpError(400, 'Bad request', 'the body must be an envelope: {"objects": [ … ]}');
    if (objects.length === 0) throw new TaxiiHttpError(400, 'Bad request', 'objects: the envelope holds no object');
    if (objects.length > TAXII_MAX_POSTED_OBJECTS)
      throw new TaxiiHttpError(413, 'Content too large', `objects: at most ${TAXII_MAX_POSTED_OBJECTS} per request`);

    const requestMicros = Date.now() * 1000;
    const accepted: PostedObject[] = [];
    const failures: TaxiiStatusDetail[] = [];
    objects.forEach((value, i) => {
      const checked = checkPosted(value, i, requestMicros);
      if ('ok' in checked) accepted.push(checked.ok);
      else failures.push(checked.failure);
    });
    // One bad object fails the request whole: nothing of a partner's bundle is half-imported.
    const outcome =
      failures.length > 0
        ? {
            successes: [],
            failures: accepted.map((o) => ({
              id: o.stixId,
              version: o.versionText,
              message: `not stored or imported: ${failures.length} other object(s) of the request are invalid`,
            })),
            pendings: [],
          }
        : await this.ingest.ingest({ collectionId: collection.id, principal, objects: accepted });
    const record: TaxiiStatusRecord = {
      id: randomUUID(),
      orgId: principal.orgId,
      collectionId: collection.id,
      status: outcome.pendings.length > 0 ? 'pending' : 'complete',
      requestTimestamp: formatTimestampMicros(requestMicros),
      successes: outcome.successes,
      failures: [...failures, ...outcome.failures],
      pendings: outcome.pendings,
      createdAt: new Date(),
    };
    await this.taxii.saveStatus(record);
    return statusResource(record);
  }

  /** A status of the caller's organization's POST; 404 for any other. */
  async status(principal: Principal, statusId: string): Promise<TaxiiStatusResource> {
    const record = statusId.length <= 64 ? await this.taxii.findStatus(statusId) : undefined;
    if (!record || record.orgId !== principal.orgId) throw notFound('status');
    await this.access.requireCollection(principal, record.collectionId);
    return statusResource(record);
  }

  /**
   * Deletes an object the caller's organization owns. Objects of a Corridor incident are retracted
   * through the retraction use case (the incident SDO: the incident; an indicator or vulnerability:
   * that indicator), which withdraws them from every collection once the worker carries it out;
   * other objects derived from an incident (relationships) go with those. POSTed objects are
   * removed at once. 404 when the caller may read no version of it; 403 when it may but does not own it.
   */
  async remove(principal: Principal, collectionId: string, objectId: string): Promise<void> {
    const { collection, viewer } = await this.access.requireWritable(principal, collectionId);
    const versions = (await this.taxii.versionsOf(collection.id, objectId)).filter((v) => canSee(viewer, v.visibility));
    const latest = versions.at(-1);
    if (!latest) throw notFound('object');
    if (latest.visibility.orgId !== principal.orgId)
      throw new DomainError('forbidden', 'only objects of the caller’s organization may be deleted');
    const reason = `Deleted through TAXII (${objectId}).`;
    if (latest.incidentId === null) {
      await this.taxii.removeObject(collection.id, objectId);
      return;
    }
    if (latest.type === 'incident') {
      await this.retract.incident(principal, latest.incidentId, { reason });
      return;
    }
    const value = typeof latest.object.name === 'string' ? latest.object.name : undefined;
    if ((latest.type === 'indicator' || latest.type === 'vulnerability') && value !== undefined) {
      await this.retract.indicator(principal, latest.incidentId, { reason, value });
      return;
    }
    throw new DomainError(
      'forbidden',
      'this object goes with its incident or indicator: delete the incident or indicator object instead',
    );
  }
}
