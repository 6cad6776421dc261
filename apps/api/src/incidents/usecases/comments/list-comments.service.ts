import { Injectable } from '@nestjs/common';
import { commentViewFor, type CommentView, type Principal } from '@corridor/domain';
import { CommentsRepository } from '@corridor/persistence';
import { IncidentAccess } from '../../incident-access.service';

/** Comments on an incident the caller may see, oldest first, each commenter as the caller knows it. */
@Injectable()
export class ListComments {
  constructor(
    private readonly access: IncidentAccess,
    private readonly comments: CommentsRepository,
  ) {}

  async execute(principal: Principal, incidentId: string): Promise<CommentView[]> {
    const { incident, sharing } = await this.access.requireVisible(principal, incidentId);
    return (await this.comments.forIncident(incidentId)).map((c) =>
      commentViewFor(c, principal.orgId, sharing, incident),
    );
  }
}
