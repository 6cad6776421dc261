import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { commentViewFor, timelineIds, type CommentView, type Principal } from '@corridor/domain';
import { CommentsRepository, Principals } from '@corridor/persistence';
import { RealtimePublisher, planIncidentCommented } from '@corridor/realtime';
import { AuditService } from '../../../audit/audit.service';
import { IncidentAccess } from '../../incident-access.service';
import { TimelineRecorder } from '../../../timeline/timeline-recorder.service';

/**
 * Comments belong to their incident: whoever may see the incident may read and write them, and
 * nobody else learns they exist. Commenters are shown by organization, as each reader knows it
 * (anonymised where due), the same way by REST and live.
 */
@Injectable()
export class AddComment {
  constructor(
    private readonly access: IncidentAccess,
    private readonly comments: CommentsRepository,
    private readonly principals: Principals,
    private readonly publisher: RealtimePublisher,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
  ) {}

  async execute(principal: Principal, incidentId: string, text: string): Promise<CommentView> {
    const { incident, sharing } = await this.access.requireVisible(principal, incidentId);
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
    const principals = await this.principals.of(incident);
    await this.publisher.publish(planIncidentCommented(incident, comment, sharing, principals));
    const entry = {
      id: timelineIds.commented(comment.id),
      incidentId,
      at: comment.createdAt,
      actor: { orgId: comment.orgId, principalId: comment.authorId },
      kind: 'commented' as const,
      commentId: comment.id,
      text: comment.text,
    };
    await this.timeline.record([entry], incident, sharing);
    return commentViewFor(comment, principal.orgId, sharing, incident);
  }
}
