import { Injectable } from '@nestjs/common';
import { canSee, contactViewFor, type Principal } from '@corridor/domain';
import { ContactRequestsRepository, IncidentsRepository, SharingDirectory } from '@corridor/persistence';
import type { ContactEvent } from '@corridor/realtime';
import { requireScope } from '../access';

/**
 * The caller organization's contact requests, made and received, newest first, each as the
 * `contact.*` live events word it. Only requests about incidents the caller may see: the same readers
 * as the live events (a RED incident's requests reach its author and named people only).
 */
@Injectable()
export class ListContactRequests {
  constructor(
    private readonly contacts: ContactRequestsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
  ) {}

  async execute(principal: Principal): Promise<ContactEvent[]> {
    requireScope(principal, 'incidents:read');
    const [requests, sharing] = await Promise.all([
      this.contacts.forOrganization(principal.orgId),
      this.sharing.context(),
    ]);
    const ownIncidentOf = (r: (typeof requests)[number]) =>
      r.requesterOrgId === principal.orgId ? r.requesterIncidentId : r.ownerIncidentId;
    const incidents = await this.incidents.findByIds(requests.map(ownIncidentOf));
    const viewer = sharing.viewerFor(principal);
    const events: ContactEvent[] = [];
    for (const request of requests) {
      const yourIncidentId = ownIncidentOf(request);
      const incident = incidents.get(yourIncidentId);
      if (!incident || !canSee(viewer, incident)) continue;
      const contact = contactViewFor(request, principal.orgId, sharing);
      if (contact) events.push({ correlationId: request.correlationId, yourIncidentId, contact });
    }
    return events;
  }
}
