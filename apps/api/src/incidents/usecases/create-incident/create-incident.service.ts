import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { LOGGER } from '@corridor/config';
import {
  DomainError,
  assertRecipientsFit,
  canSee,
  collectSubmittedIndicators,
  defaultPap,
  type Incident,
  type Principal,
  type SharingContext,
} from '@corridor/domain';
import { IncidentVisibility, IncidentsRepository, Principals } from '@corridor/persistence';
import { IncidentQueueProducer } from '@corridor/queue';
import { RealtimePublisher, planIncidentCreated } from '@corridor/realtime';
import { AuditService } from '../../../audit/audit.service';
import type { CreateIncidentDto } from '../../dto/create-incident.dto';
import { IncidentAccess } from '../../incident-access.service';
import { IncidentDetails } from '../../incident-details.service';
import { invalid } from '../../incident-filters';
import { detailOf, type IncidentDetail } from '../../incident.view';
import { RecipientsCheck } from '../../recipients-check.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * Stores the incident as `pending`, then hands it to the worker. A duplicate (same externalRef or
 * Idempotency-Key from the same organization) returns the stored incident with `created: false`.
 */
@Injectable()
export class CreateIncident {
  constructor(
    private readonly access: IncidentAccess,
    private readonly incidents: IncidentsRepository,
    private readonly recipients: RecipientsCheck,
    private readonly details: IncidentDetails,
    private readonly visibility: IncidentVisibility,
    private readonly principals: Principals,
    private readonly queue: IncidentQueueProducer,
    private readonly publisher: RealtimePublisher,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(
    principal: Principal,
    dto: CreateIncidentDto,
    idempotencyKey: string | undefined,
  ): Promise<{ created: boolean; incident: IncidentDetail }> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid('Idempotency-Key', 'must be 1 to 200 printable ASCII characters');
    }
    const recipients = await this.recipients.check(dto.recipients);
    assertRecipientsFit(dto.tlp, recipients);
    const now = new Date();
    const description = dto.description ?? '';
    const candidate: Incident = {
      id: uuidv7(),
      orgId: principal.orgId,
      authorId: principal.id,
      ...recipients,
      status: 'new',
      title: dto.title,
      description,
      occurredAt: new Date(dto.occurredAt),
      classification: dto.classification,
      severity: dto.severity,
      tlp: dto.tlp,
      pap: dto.pap ?? defaultPap(dto.tlp),
      externalRef: dto.externalRef,
      disclosure: dto.disclosure ?? null,
      state: 'pending',
      submitted: collectSubmittedIndicators(dto.indicators ?? [], description),
      indicators: [],
      rejectedIndicators: [],
      createdAt: now,
      updatedAt: now,
    };
    const { created, incident } = await this.incidents.insertOrGetExisting(candidate, idempotencyKey);
    if (!created) {
      // A replay by a key that may not see the original (e.g. RED by another author) learns nothing new.
      if (!canSee(viewer, incident)) throw new DomainError('conflict', 'this reference was already used');
      return { created, incident: await this.details.of(incident, viewer, sharing) };
    }
    await this.audit.record(principal, {
      action: 'incident.create',
      target: { type: 'incident', id: incident.id },
      details: { tlp: incident.tlp, pap: incident.pap, severity: incident.severity },
    });
    await this.handOff(incident, sharing);
    return { created, incident: detailOf(incident, viewer.orgId, sharing, []) };
  }

  /**
   * Remember who may see it (for live joins and replays), enqueue and announce. Failures here do not
   * fail the request: the sweeper re-enqueues pending incidents, and a join falls back to the store.
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
