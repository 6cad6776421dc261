import { Injectable } from '@nestjs/common';
import { DomainError, canSee, contactViewFor, notFound, timelineIds, type Principal } from '@corridor/domain';
import {
  ContactRequestsRepository,
  IncidentsRepository,
  type ContactAnswer,
  Principals,
  SharingDirectory,
} from '@corridor/persistence';
import { RealtimePublisher, planContact, type ContactEvent } from '@corridor/realtime';
import { TimelineRecorder } from '../../timeline/timeline-recorder.service';
import { AuditService } from '../../audit/audit.service';
import { CONTACT_BROKER, requireScope } from '../access';

/**
 * The owner of the restricted incident accepts (both sides are named to each other) or declines
 * (the requester learns "declined" and nothing else) a contact request. Answered once: repeating the
 * same answer returns it, the other answer is a conflict.
 */
@Injectable()
export class AnswerContact {
  constructor(
    private readonly contacts: ContactRequestsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly principals: Principals,
    private readonly publisher: RealtimePublisher,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
  ) {}

  async execute(principal: Principal, requestId: string, answer: ContactAnswer): Promise<ContactEvent> {
    requireScope(principal, 'incidents:write');
    // Access: the request was made to the caller's organization, and the caller may see the incident asked about.
    const request = await this.contacts.findById(requestId);
    if (!request || request.ownerOrgId !== principal.orgId) throw notFound('contact request');
    const [incidents, sharing] = await Promise.all([
      this.incidents.findByIds([request.ownerIncidentId, request.requesterIncidentId]),
      this.sharing.context(),
    ]);
    const ownerIncident = incidents.get(request.ownerIncidentId);
    if (!ownerIncident || !canSee(sharing.viewerFor(principal), ownerIncident)) throw notFound('contact request');

    const answered = await this.contacts.answer(request.id, principal.orgId, answer, principal.id, new Date());
    if (!answered) throw notFound('contact request');
    const stored = answered.request;
    if (stored.status !== answer)
      throw new DomainError('conflict', `this contact request was already ${stored.status}`);

    if (answered.changed) {
      const target = { type: 'contact_request', id: stored.id };
      const action = answer === 'accepted' ? 'contact.accept' : 'contact.decline';
      const accepted = answer === 'accepted';
      await this.audit.record(principal, {
        action,
        target,
        details: {
          correlationId: stored.correlationId,
          incidentId: stored.ownerIncidentId,
          // Named to the owner only once it accepted; a decline leaves the requester unknown.
          ...(accepted ? { otherOrgId: stored.requesterOrgId, otherIncidentId: stored.requesterIncidentId } : {}),
        },
      });
      await this.audit.record(principal, {
        orgId: stored.requesterOrgId,
        action,
        target,
        // After a decline the requester learns nothing of who declined.
        ...(accepted ? {} : { recordedActor: CONTACT_BROKER }),
        details: {
          correlationId: stored.correlationId,
          incidentId: stored.requesterIncidentId,
          ...(accepted ? { otherOrgId: stored.ownerOrgId, otherIncidentId: stored.ownerIncidentId } : {}),
        },
      });
    }
    // Announced until it was once: repeating the answer after a failed publish (503) announces it.
    if (!answered.announced) {
      const requesterIncident = incidents.get(request.requesterIncidentId);
      const sides = requesterIncident ? [ownerIncident, requesterIncident] : [ownerIncident];
      const directory = await this.principals.of(...sides);
      for (const side of sides) {
        await this.publisher.publish(planContact('contact.answered', stored, side, sharing, directory));
      }
      await this.contacts.markAnnounced(stored.id, stored.status);
    }
    const requesterIncident = incidents.get(request.requesterIncidentId);
    for (const side of requesterIncident ? [ownerIncident, requesterIncident] : [ownerIncident]) {
      const entry = {
        id: timelineIds.contact('contact_answered', side.id, stored.id),
        incidentId: side.id,
        at: stored.answeredAt ?? new Date(),
        actor: null,
        kind: 'contact_answered' as const,
        contact: stored,
      };
      await this.timeline.record([entry], side, sharing);
    }
    const contact = contactViewFor(stored, principal.orgId, sharing);
    if (!contact) throw notFound('contact request');
    return { correlationId: stored.correlationId, yourIncidentId: stored.ownerIncidentId, contact };
  }
}
