import { JobProducer } from '@corridor/queue';
import { Injectable } from '@nestjs/common';
import {
  DomainError,
  canSee,
  contactViewFor,
  correlationViewFor,
  notFound,
  sidesOf,
  timelineIds,
  type Principal,
} from '@corridor/domain';
import {
  ContactRequestsRepository,
  CorrelationsRepository,
  IncidentsRepository,
  Principals,
  SharingDirectory,
} from '@corridor/persistence';
import { RealtimePublisher, planContact, type ContactEvent } from '@corridor/realtime';
import { TimelineRecorder } from '../../timeline/timeline-recorder.service';
import { AuditService } from '../../audit/audit.service';
import { CONTACT_BROKER, requireScope } from '../access';

export interface RequestContactResult {
  /** False when the organization had already asked: the first request is returned. */
  created: boolean;
  event: ContactEvent;
}

/**
 * A side told of an anonymous match asks the other side's owner to make itself known. The same use
 * case serves POST /api/v1/correlations/:id/contact and the `correlation.contact` socket event.
 *
 * Nothing of either identity crosses: the owner's organization is told "a partner asks", its audit
 * trail records the broker as actor, and the requester's trail names neither the owner nor its incident.
 */
@Injectable()
export class RequestContact {
  constructor(
    private readonly correlations: CorrelationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly contacts: ContactRequestsRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly publisher: RealtimePublisher,
    private readonly jobs: JobProducer,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
  ) {}

  async execute(principal: Principal, correlationId: string, yourIncidentId: string): Promise<RequestContactResult> {
    requireScope(principal, 'incidents:write');
    // Access: the caller's organization owns the side `yourIncidentId`, and the caller may see that incident.
    const correlation = await this.correlations.findById(correlationId);
    if (!correlation) throw notFound('correlation');
    const { own, other } = sidesOf(correlation, yourIncidentId);
    if (own.incidentId !== yourIncidentId || own.orgId !== principal.orgId) throw notFound('correlation');
    const [incidents, sharing] = await Promise.all([
      this.incidents.findByIds([own.incidentId, other.incidentId]),
      this.sharing.context(),
    ]);
    const mine = incidents.get(own.incidentId);
    const theirs = incidents.get(other.incidentId);
    const viewer = sharing.viewerFor(principal);
    if (!mine || mine.orgId !== principal.orgId || !canSee(viewer, mine)) throw notFound('correlation');
    if (!theirs) throw notFound('correlation');

    const view = correlationViewFor(viewer, correlation, mine, theirs, sharing);
    if (!view) throw notFound('correlation');
    if (view.counterpart.disclosure !== 'anonymous') {
      const why =
        view.counterpart.disclosure === 'nothing'
          ? 'the other side of this match does not disclose itself, so there is nobody to ask'
          : 'the other side of this match is already named to you: contact it directly';
      throw new DomainError('conflict', `contact can only be asked on an anonymous match; ${why}`);
    }

    const { created, request, announced } = await this.contacts.request({
      correlationId: correlation.id,
      requesterOrgId: principal.orgId,
      requesterIncidentId: mine.id,
      requestedBy: principal.id,
      ownerOrgId: theirs.orgId,
      ownerIncidentId: theirs.id,
      createdAt: new Date(),
    });
    if (created) {
      const target = { type: 'contact_request', id: request.id };
      await this.audit.record(principal, {
        action: 'contact.request',
        target,
        // The owner is unknown to the requester until it accepts: its ids stay out of this trail.
        details: { correlationId: correlation.id, incidentId: mine.id },
      });
      await this.audit.record(principal, {
        orgId: theirs.orgId,
        action: 'contact.request',
        target,
        recordedActor: CONTACT_BROKER,
        details: { correlationId: correlation.id, incidentId: theirs.id },
      });
    }
    // Announced until it was once: a retry after a failed publish (503) announces what was lost.
    if (!announced && request.status === 'pending') {
      await this.publisher.publish(
        planContact('contact.requested', request, theirs, sharing, await this.principals.of(theirs)),
      );
      await this.contacts.markAnnounced(request.id, 'pending');
    }
    // The owner's rules (a `contact-request` trigger) are evaluated by the worker, once per request.
    if (request.status === 'pending') await this.jobs.enqueue('contact-alerts', { contactId: request.id });
    // Each side's timeline; by nobody (the broker), so neither learns of the other before an acceptance.
    for (const side of [mine, theirs]) {
      const entry = {
        id: timelineIds.contact('contact_requested', side.id, request.id),
        incidentId: side.id,
        at: request.createdAt,
        actor: null,
        kind: 'contact_requested' as const,
        contact: request,
      };
      await this.timeline.record([entry], side, sharing);
    }
    const contact = contactViewFor(request, principal.orgId, sharing);
    // The stored request is this organization's by its id, so it always has a view for it.
    if (!contact) throw notFound('correlation');
    return { created, event: { correlationId: correlation.id, yourIncidentId: mine.id, contact } };
  }
}
