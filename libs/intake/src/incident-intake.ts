import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { LOGGER } from '@corridor/config';
import {
  assertRecipientsFit,
  collectSubmittedIndicators,
  defaultPap,
  followIncidentPap,
  newRetraction,
  type AuditDetailValue,
  type Classification,
  type Incident,
  type Pap,
  type Principal,
  type Retraction,
  type Severity,
  type SharingContext,
  type Tlp,
} from '@corridor/domain';
import {
  AuditRepository,
  IncidentVisibility,
  IncidentsRepository,
  Principals,
  RetractionsRepository,
} from '@corridor/persistence';
import { IncidentQueueProducer, JobProducer } from '@corridor/queue';
import {
  RealtimePublisher,
  planIncidentAudienceChange,
  planIncidentCreated,
  planIncidentUpdated,
} from '@corridor/realtime';

/** An incident as a caller submits it, already checked (the api's DTO, an importer's result). */
export interface NewIncident {
  title: string;
  description: string;
  occurredAt: Date;
  classification: Classification;
  severity: Severity;
  tlp: Tlp;
  pap?: Pap;
  externalRef?: string;
  disclosure?: Incident['disclosure'];
  /** TLP:EX:CHR: the submitter is anonymised to everyone outside its organization. */
  anonymisedSubmitter?: boolean;
  recipientOrgIds: string[];
  recipientUserIds: string[];
  indicators: ReadonlyArray<{
    value: string;
    type?: Incident['submitted'][number]['type'];
    pap?: Pap;
    forDetection?: boolean;
  }>;
}

/**
 * The writes every way in shares (the api's POST and imports, the worker's TAXII pulls): an incident
 * stored `pending` idempotently by `externalRef` (or idempotency key), audited, then handed to the
 * pipeline (visibility cache, the processing queue, the live announcement); and the two changes an
 * import makes to one it holds (TLP/PAP, retraction). Access checks stay with the callers.
 */
@Injectable()
export class IncidentIntake {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly visibility: IncidentVisibility,
    private readonly principals: Principals,
    private readonly queue: IncidentQueueProducer,
    private readonly jobs: JobProducer,
    private readonly publisher: RealtimePublisher,
    private readonly audits: AuditRepository,
    private readonly retractions: RetractionsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Stores the incident for `principal`'s organization; a duplicate (same externalRef or idempotency
   * key of the organization) returns the stored one with `created: false` and does nothing else.
   */
  async submit(
    principal: Principal,
    input: NewIncident,
    sharing: SharingContext,
    idempotencyKey?: string,
  ): Promise<{ created: boolean; incident: Incident }> {
    const now = new Date();
    const candidate: Incident = {
      id: uuidv7(),
      orgId: principal.orgId,
      authorId: principal.id,
      recipientOrgIds: input.recipientOrgIds,
      recipientUserIds: input.recipientUserIds,
      status: 'new',
      title: input.title,
      description: input.description,
      occurredAt: input.occurredAt,
      classification: input.classification,
      severity: input.severity,
      tlp: input.tlp,
      pap: input.pap ?? defaultPap(input.tlp),
      externalRef: input.externalRef,
      // Under the Chatham House Rule a match may tell at most that it exists, never who.
      disclosure:
        input.anonymisedSubmitter && input.disclosure !== 'nothing' ? 'anonymous' : (input.disclosure ?? null),
      ...(input.anonymisedSubmitter ? { anonymisedSubmitter: true as const } : {}),
      state: 'pending',
      submitted: collectSubmittedIndicators(input.indicators, input.description),
      indicators: [],
      rejectedIndicators: [],
      createdAt: now,
      updatedAt: now,
    };
    const outcome = await this.incidents.insertOrGetExisting(candidate, idempotencyKey);
    if (!outcome.created) return outcome;
    const { incident } = outcome;
    await this.audit(principal, 'incident.create', incident.id, {
      tlp: incident.tlp,
      pap: incident.pap,
      severity: incident.severity,
    });
    await this.handOff(incident, sharing);
    return outcome;
  }

  /**
   * Changes the TLP and/or PAP of an incident of `principal`'s organization (an import's newer
   * version): checked against its recipients, audited, the visibility cache refreshed and the change
   * announced (withdrawn from those who lost it first). Undefined when the incident is gone.
   */
  async changeMarkings(
    principal: Principal,
    id: string,
    change: { tlp?: Tlp; pap?: Pap },
    sharing: SharingContext,
  ): Promise<Incident | undefined> {
    let before: Incident | undefined;
    const updated = await this.incidents.update(id, { tlp: change.tlp, pap: change.pap }, (current) => {
      before = current;
      if (current.orgId !== principal.orgId) throw new Error('incident of another organization');
      if (change.tlp !== undefined) assertRecipientsFit(change.tlp, current, 'stored');
      return change.pap !== undefined ? { indicators: followIncidentPap(current.indicators, change.pap) } : {};
    });
    if (!updated || !before) return undefined;
    const fields = Object.keys(change).filter((key) => change[key as keyof typeof change] !== undefined);
    await this.audit(principal, 'incident.update', id, { fields: fields.join(',') });
    if (before.pap !== updated.pap)
      await this.audit(principal, 'incident.pap_change', id, { from: before.pap, to: updated.pap });
    if (before.tlp !== updated.tlp)
      await this.audit(principal, 'incident.tlp_change', id, { from: before.tlp, to: updated.tlp });
    await this.visibility.remember(updated);
    await this.announceChange(before, updated, sharing);
    return updated;
  }

  /**
   * `incident.updated` to the audience after a change; when the audience changed, the incident is
   * withdrawn from those who lost it (first) and shared with those who gained it.
   */
  async announceChange(before: Incident, updated: Incident, sharing: SharingContext): Promise<void> {
    const principals = await this.principals.of(updated);
    await this.publisher.publish(planIncidentUpdated(updated, sharing, principals));
    const { withdrawn, shared } = planIncidentAudienceChange(
      before,
      updated,
      sharing,
      await this.principals.of(before),
      principals,
    );
    if (withdrawn.deliveries.length > 0) await this.publisher.publish(withdrawn);
    if (shared.deliveries.length > 0) await this.publisher.publish(shared);
  }

  /**
   * Retracts an incident of `principal`'s organization: the tombstone recorded once (deterministic
   * id), audited, and the `retract` job enqueued on every call (a repeat re-queues a lost job).
   */
  async retract(
    principal: Principal,
    incident: Incident,
    reason: string,
  ): Promise<{ created: boolean; retraction: Retraction }> {
    const outcome = await this.retractions.insertOrGetExisting(
      newRetraction({ incident, reason, by: principal.id, at: new Date() }),
    );
    if (outcome.created) {
      await this.audit(principal, 'incident.retract', incident.id, { retractionId: outcome.retraction.id });
    }
    await this.jobs.enqueue('retract', { retractionId: outcome.retraction.id });
    return outcome;
  }

  /** Appends to the organization's audit chain; a failure is logged loudly, the action stands. */
  private async audit(
    principal: Principal,
    action: string,
    incidentId: string,
    details: Record<string, AuditDetailValue>,
  ): Promise<void> {
    try {
      await this.audits.append({
        orgId: principal.orgId,
        actor: { type: principal.kind, id: principal.id, orgId: principal.orgId },
        action,
        target: { type: 'incident', id: incidentId },
        outcome: 'success',
        details,
        at: new Date(),
      });
    } catch (error) {
      this.logger.error({ err: error, orgId: principal.orgId, action }, 'audit record could not be written');
    }
  }

  /**
   * Remember who may see it (for live joins and replays), enqueue and announce. Failures here do not
   * fail the intake: the sweeper re-enqueues pending incidents, and a join falls back to the store.
   */
  private async handOff(incident: Incident, sharing: SharingContext): Promise<void> {
    const log = { incidentId: incident.id, orgId: incident.orgId };
    try {
      await this.visibility.remember(incident);
    } catch (error) {
      this.logger.warn({ ...log, err: error }, "could not cache the incident's visibility");
    }
    try {
      await this.queue.enqueue(incident.id);
    } catch (error) {
      this.logger.warn({ ...log, err: error }, 'enqueue failed; the sweeper will pick the incident up');
    }
    try {
      const principals = await this.principals.of(incident);
      await this.publisher.publish(planIncidentCreated(incident, sharing, principals));
    } catch (error) {
      this.logger.warn({ ...log, err: error }, 'could not announce the incident');
    }
  }
}
