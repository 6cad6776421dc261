import { IncidentIntake } from '@corridor/intake';
import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  assertRecipientsFit,
  assertTransition,
  followIncidentPap,
  notFound,
  timelineChanges,
  type Incident,
  type Principal,
} from '@corridor/domain';
import {
  IncidentVisibility,
  IncidentsRepository,
  TaxiiPublisher,
  UsersRepository,
  type IncidentPatch,
} from '@corridor/persistence';
import { AuditService } from '../../../audit/audit.service';
import { RoomsService } from '../../../realtime/rooms.service';
import type { UpdateIncidentDto } from '../../dto/update-incident.dto';
import { IncidentAccess } from '../../incident-access.service';
import { IncidentDetails } from '../../incident-details.service';
import { invalid } from '../../incident-filters';
import type { IncidentDetail } from '../../incident.view';
import { RecipientsCheck } from '../../recipients-check.service';
import { TimelineRecorder } from '../../../timeline/timeline-recorder.service';

/** The fields a request gave (DTO class fields exist even when absent; null is given). */
export function givenFields(dto: UpdateIncidentDto): string[] {
  return Object.entries(dto)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
}

/**
 * The check made on the stored incident under the write's lock: the TLP and recipients the change
 * leaves must fit, the status must be a move the workflow allows. Returns who changed the status and
 * when, only when it really changes.
 */
export function changeCheck(
  dto: Pick<UpdateIncidentDto, 'status' | 'tlp' | 'pap'>,
  recipients: { recipientOrgIds: string[]; recipientUserIds: string[] } | undefined,
  by: string,
  at: Date,
): (current: Incident) => IncidentPatch {
  return (current) => {
    if (dto.tlp !== undefined || recipients !== undefined) {
      assertRecipientsFit(dto.tlp ?? current.tlp, recipients ?? current, recipients ? 'request' : 'stored');
    }
    // Indicators without a PAP of their own follow the incident's.
    const pap = dto.pap !== undefined ? { indicators: followIncidentPap(current.indicators, dto.pap) } : {};
    if (dto.status === undefined || dto.status === current.status) return pap;
    assertTransition(current.status, dto.status);
    return { ...pap, statusChangedBy: by, statusChangedAt: at };
  };
}

/** An analyst of the submitting organization changes status, TLP, recipients or assignee; effective at once. */
@Injectable()
export class UpdateIncident {
  constructor(
    private readonly access: IncidentAccess,
    private readonly incidents: IncidentsRepository,
    private readonly users: UsersRepository,
    private readonly recipientsCheck: RecipientsCheck,
    private readonly details: IncidentDetails,
    private readonly visibility: IncidentVisibility,
    private readonly rooms: RoomsService,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
    private readonly intake: IncidentIntake,
    private readonly taxii: TaxiiPublisher,
  ) {}

  async execute(principal: Principal, id: string, dto: UpdateIncidentDto): Promise<IncidentDetail> {
    const { sharing } = await this.access.requireOwner(principal, id);
    const fields = givenFields(dto);
    if (fields.length === 0) {
      throw invalid('body', 'give at least one of status, tlp, pap, recipients, disclosure, assigneeId');
    }
    const recipients = dto.recipients ? await this.recipientsCheck.check(dto.recipients) : undefined;
    if (dto.assigneeId) await this.checkAssignee(dto.assigneeId, principal.orgId);
    let before: Incident | undefined;
    // Stamped under the incident's lock, so concurrent changes are timed in the order they were applied.
    let at = new Date();
    const patch: IncidentPatch = {
      status: dto.status,
      tlp: dto.tlp,
      pap: dto.pap,
      ...recipients,
      disclosure: dto.disclosure,
      assigneeId: dto.assigneeId,
    };
    const updated = await this.incidents.update(id, patch, (current) => {
      before = current;
      at = new Date();
      return changeCheck(dto, recipients, principal.id, at)(current);
    });
    if (!updated || !before) throw notFound('incident');
    await this.recordAudit(principal, before, updated, fields);
    await this.visibility.remember(updated);
    // TAXII collections: a new version of its objects, and every version takes the new visibility.
    await this.taxii.publish(updated);
    await this.rooms.revalidate(updated.id);
    await this.intake.announceChange(before, updated, sharing);
    const actor = { orgId: principal.orgId, principalId: principal.id };
    await this.timeline.record(timelineChanges(before, updated, actor, at, uuidv7()), updated, sharing);
    return this.details.of(updated, sharing.viewerFor(principal), sharing);
  }

  /** An assignee is a person of the submitting organization (API keys do not work on incidents). */
  private async checkAssignee(userId: string, orgId: string): Promise<void> {
    const [user] = await this.users.findByIds([userId]);
    if (!user || user.orgId !== orgId) throw invalid('assigneeId', `no user ${userId} in your organization`);
  }

  private async recordAudit(principal: Principal, before: Incident, after: Incident, fields: string[]): Promise<void> {
    const target = { type: 'incident', id: after.id };
    await this.audit.record(principal, { action: 'incident.update', target, details: { fields: fields.join(',') } });
    if (before.status !== after.status) {
      await this.audit.record(principal, {
        action: 'incident.status_change',
        target,
        details: { from: before.status, to: after.status },
      });
    }
    if (before.pap !== after.pap) {
      await this.audit.record(principal, {
        action: 'incident.pap_change',
        target,
        details: { from: before.pap, to: after.pap },
      });
    }
    if (before.tlp !== after.tlp) {
      await this.audit.record(principal, {
        action: 'incident.tlp_change',
        target,
        details: { from: before.tlp, to: after.tlp },
      });
    }
    if ((before.assigneeId ?? null) !== (after.assigneeId ?? null)) {
      await this.audit.record(principal, {
        action: 'incident.assign',
        target,
        details: { from: before.assigneeId ?? '', to: after.assigneeId ?? '' },
      });
    }
  }
}
