import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { commentViewFor, type CommentView, type Principal } from '@corridor/domain';
import { CommentsRepository, Principals } from '@corridor/persistence';
import { RealtimePublisher, planIncidentCommented, principalsOf } from '@corridor/realtime';
import { AuditService } from '../audit/audit.service';
import { IncidentsService } from './incidents.service';

/**
 * Comments belong to their incident: whoever may see the incident may read and write them, and
 * nobody else learns they exist. Commenters are shown by organization, as each reader knows it
 * (anonymised where due), the same way by REST and live.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly comments: CommentsRepository,
    private readonly principals: Principals,
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
    const principals = await this.principals.resolve(principalsOf(incident));
    await this.publisher.publish(planIncidentCommented(incident, comment, sharing, principals));
    return commentViewFor(comment, principal.orgId, sharing, incident);
  }

  async list(principal: Principal, incidentId: string): Promise<CommentView[]> {
    const { incident, sharing } = await this.incidents.visible(principal, incidentId);
    return (await this.comments.forIncident(incidentId)).map((c) =>
      commentViewFor(c, principal.orgId, sharing, incident),
    );
  }
}
