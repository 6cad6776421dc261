import { Injectable } from '@nestjs/common';
import {
  DomainError,
  canSee,
  notFound,
  mayReadRetraction,
  retractionId,
  type Incident,
  type Principal,
  type SharingContext,
  type Viewer,
} from '@corridor/domain';
import { IncidentsRepository, RetractionsRepository, SharingDirectory } from '@corridor/persistence';
import { AuditService } from '../audit/audit.service';

const RECORDED_READS = new Set(['AMBER', 'AMBER+STRICT', 'RED']);

export interface VisibleIncident {
  incident: Incident;
  viewer: Viewer;
  sharing: SharingContext;
}

/**
 * The access check every incident use case opens with: the one visibility rule decides, and an
 * incident the caller may not see looks exactly like a missing one (404).
 */
@Injectable()
export class IncidentAccess {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly sharing: SharingDirectory,
    private readonly audit: AuditService,
    private readonly retractions: RetractionsRepository,
  ) {}

  /** Who the caller is to the visibility rule (lists, counts, searches filter the store with it). */
  async viewerOf(principal: Principal): Promise<{ viewer: Viewer; sharing: SharingContext }> {
    const sharing = await this.sharing.context();
    return { viewer: sharing.viewerFor(principal), sharing };
  }

  /**
   * The incident, when the caller may see it; 404 otherwise (invisible and missing look the same),
   * except that the submitting organization is told 410 for an incident it retracted.
   */
  async requireVisible(principal: Principal, id: string): Promise<VisibleIncident> {
    const [incident, sharing] = await Promise.all([this.incidents.findById(id), this.sharing.context()]);
    const viewer = sharing.viewerFor(principal);
    if (!incident) await this.throwIfRetracted(principal, id);
    if (!incident || !canSee(viewer, incident)) throw notFound('incident');
    return { incident, viewer, sharing };
  }

  /**
   * 410 naming the retraction when the caller's organization retracted the incident `id` (for RED,
   * to the people it named only: to anyone else it stays a 404).
   */
  async throwIfRetracted(principal: Principal, id: string): Promise<void> {
    if (id.length > 100) return;
    const retraction = await this.retractions.findById(retractionId(id));
    if (retraction && mayReadRetraction(retraction, principal))
      throw new DomainError('gone', `incident retracted (${retraction.id}); GET /api/v1/retractions/${retraction.id}`);
  }

  /** A visible incident the caller's organization submitted (changes); 403 for a partner that sees it. */
  async requireOwner(principal: Principal, id: string): Promise<VisibleIncident> {
    const visible = await this.requireVisible(principal, id);
    if (visible.incident.orgId !== principal.orgId)
      throw new DomainError('forbidden', 'only the submitting organization may change an incident');
    return visible;
  }

  /** Reads (and exports) of AMBER and RED incidents go into the owner's audit trail. */
  async recordRead(
    principal: Principal,
    incident: Incident,
    action: 'incident.read' | 'incident.export',
  ): Promise<void> {
    if (action === 'incident.read' && !RECORDED_READS.has(incident.tlp)) return;
    await this.audit.record(principal, {
      action,
      orgId: incident.orgId,
      target: { type: 'incident', id: incident.id },
      details: { tlp: incident.tlp },
    });
  }
}
