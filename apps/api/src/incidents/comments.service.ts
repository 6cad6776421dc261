import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import type { Principal, SharingContext } from '@corridor/domain';
import { CommentsRepository, OrganizationsRepository, type IncidentComment } from '@corridor/persistence';
import { RealtimePublisher, incidentRoom, type CommentView } from '@corridor/realtime';
import { AuditService } from '../audit/audit.service';
import { IncidentsService } from './incidents.service';

/**
 * Comments belong to their incident: whoever may see the incident may read and write them, and
 * nobody else learns they exist. Commenters are shown by organization (anonymised where due).
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly comments: CommentsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly publisher: RealtimePublisher,
    private readonly audit: AuditService,
  ) {}

  async add(principal: Principal, incidentId: string, text: string): Promise<CommentView> {
    const { incident, sharing } = await this.incidents.visible(principal, incidentId);
    const comment = await this.comments.add({
      id: uuidv7(),
      incidentId,
      orgId: principal.orgId,
      authorId: principal.id,
      text,
      createdAt: new Date(),
    });
    await this.audit.record(principal, {
      action: 'incident.comment',
      orgId: incident.orgId,
      target: { type: 'incident', id: incidentId },
      details: { commentId: comment.id },
    });
    // Everyone in the room may see the incident; each is named the commenter as the owner sees it.
    const [view] = await this.views([comment], incident.orgId, sharing);
    await this.publisher.publish([incidentRoom(incidentId)], 'incident.commented', { incidentId, comment: view });
    return (await this.views([comment], principal.orgId, sharing))[0];
  }

  async list(principal: Principal, incidentId: string): Promise<CommentView[]> {
    const { sharing } = await this.incidents.visible(principal, incidentId);
    return this.views(await this.comments.forIncident(incidentId), principal.orgId, sharing);
  }

  private async views(
    comments: IncidentComment[],
    viewerOrgId: string,
    sharing: SharingContext,
  ): Promise<CommentView[]> {
    const orgs = await this.organizations.findByIds(comments.map((c) => c.orgId));
    return comments.map((comment) => {
      const org = orgs.get(comment.orgId);
      return {
        id: comment.id,
        organization: org ? sharing.display(org, viewerOrgId) : { id: null, name: 'unknown organization' },
        text: comment.text,
        createdAt: comment.createdAt.toISOString(),
      };
    });
  }
}
