import { Injectable } from '@nestjs/common';
import { milestoneStatuses, visibilityFilter, type Principal } from '@corridor/domain';
import { IncidentDeadlinesRepository, IncidentsRepository } from '@corridor/persistence';
import { IncidentAccess } from '../../incidents/incident-access.service';
import { mayChangeDeadlines } from '../access';
import { DeadlineReminders } from '../deadline-reminders.service';

/** The most incidents with open deadlines one list reads (beyond it the answer says `truncated`). */
const MAX_INCIDENTS = 5000;

export interface DeadlineItem {
  incidentId: string;
  title: string;
  milestone: string;
  label: string;
  due: string;
  status: 'pending' | 'due-soon' | 'overdue';
  profileId: string;
  /** The caller may mark it completed (POST …/deadlines/:milestone/complete). */
  mayComplete: boolean;
}

/**
 * The open (not completed) milestones of the incidents the caller may see, by the visibility rule
 * the incident list uses; `due-soon` within DEADLINE_SOON_HOURS, `overdue` past due. Soonest first.
 * Each says whether the caller may complete it, by the rule the complete route applies.
 */
@Injectable()
export class ListDeadlines {
  constructor(
    private readonly access: IncidentAccess,
    private readonly deadlines: IncidentDeadlinesRepository,
    private readonly incidents: IncidentsRepository,
    private readonly reminders: DeadlineReminders,
  ) {}

  async execute(
    principal: Principal,
    status?: 'due-soon' | 'overdue',
  ): Promise<{ items: DeadlineItem[]; truncated: boolean }> {
    const { viewer } = await this.access.viewerOf(principal);
    const { states, complete } = await this.deadlines.listOpen(MAX_INCIDENTS);
    const heads = await this.incidents.findHeads(
      states.map((state) => state.incidentId),
      visibilityFilter(viewer),
    );
    const now = new Date();
    const items: DeadlineItem[] = [];
    for (const state of states) {
      const head = heads.get(state.incidentId);
      if (!head) continue;
      const mayComplete = mayChangeDeadlines(principal, head.orgId);
      for (const milestone of milestoneStatuses(state, now, this.reminders.soonMs)) {
        if (milestone.status === 'done' || (status && milestone.status !== status)) continue;
        items.push({
          incidentId: head.id,
          title: head.title,
          milestone: milestone.key,
          label: milestone.label,
          due: milestone.due.toISOString(),
          status: milestone.status,
          profileId: state.profile.id,
          mayComplete,
        });
      }
    }
    items.sort((a, b) => a.due.localeCompare(b.due) || a.incidentId.localeCompare(b.incidentId));
    return { items, truncated: !complete };
  }
}
