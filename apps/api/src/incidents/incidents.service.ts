import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { LOGGER } from '@corridor/config';
import {
  DomainError,
  assertRecipientsFit,
  canSee,
  collectSubmittedIndicators,
  correlationKey,
  correlationViewFor,
  isRsitClass,
  isRsitType,
  normalizeIndicator,
  notFound,
  sidesOf,
  visibilityFilter,
  type CorrelationView,
  type Incident,
  type Principal,
  type SharingContext,
  type Viewer,
} from '@corridor/domain';
import {
  ContactRequestsRepository,
  CorrelationIndex,
  CorrelationsRepository,
  IncidentVisibility,
  IncidentsRepository,
  OrganizationsRepository,
  Principals,
  UsersRepository,
  type IncidentCounts,
  type IncidentListQuery,
} from '@corridor/persistence';
import { IncidentQueueProducer } from '@corridor/queue';
import { RealtimePublisher, planIncidentCreated, planIncidentUpdated, principalsOf } from '@corridor/realtime';
import { AuditService } from '../audit/audit.service';
import { RoomsService } from '../realtime/rooms.service';
import { SharingService } from '../sharing/sharing.service';
import type { CreateIncidentDto } from './dto/create-incident.dto';
import type { ListIncidentsQuery } from './dto/list-incidents.query';
import type { RecipientsDto } from './dto/recipients.dto';
import type { UpdateIncidentDto } from './dto/update-incident.dto';
import { detailOf, listItemOf, type IncidentDetail, type IncidentListItem } from './incident.view';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const DEFAULT_PAGE = 50;
const SEARCH_LIMIT = 200;
const RECORDED_READS = new Set(['AMBER', 'AMBER+STRICT', 'RED']);

const invalid = (field: string, message: string) =>
  new DomainError('validation_failed', 'request is invalid', { fields: [{ field, message }] });

/** What a caller sees through the API: always filtered by the one visibility rule. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly correlations: CorrelationsRepository,
    private readonly contacts: ContactRequestsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly users: UsersRepository,
    private readonly index: CorrelationIndex,
    private readonly visibility: IncidentVisibility,
    private readonly principals: Principals,
    private readonly queue: IncidentQueueProducer,
    private readonly publisher: RealtimePublisher,
    private readonly sharing: SharingService,
    private readonly rooms: RoomsService,
    private readonly audit: AuditService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Stores the incident as `pending`, then hands it to the worker. A duplicate (same externalRef or
   * Idempotency-Key from the same organization) returns the stored incident with `created: false`.
   */
  async create(
    principal: Principal,
    dto: CreateIncidentDto,
    idempotencyKey: string | undefined,
  ): Promise<{ created: boolean; incident: IncidentDetail }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid('Idempotency-Key', 'must be 1 to 200 printable ASCII characters');
    }
    const recipients = await this.checkRecipients(dto.recipients);
    assertRecipientsFit(dto.tlp, recipients);
    const now = new Date();
    const description = dto.description ?? '';
    const candidate: Incident = {
      id: uuidv7(),
      orgId: principal.orgId,
      authorId: principal.id,
      ...recipients,
      status: 'new',
      title: dto.title,
      description,
      occurredAt: new Date(dto.occurredAt),
      classification: dto.classification,
      severity: dto.severity,
      tlp: dto.tlp,
      externalRef: dto.externalRef,
      disclosure: dto.disclosure ?? null,
      state: 'pending',
      submitted: collectSubmittedIndicators(dto.indicators ?? [], description),
      indicators: [],
      rejectedIndicators: [],
      createdAt: now,
      updatedAt: now,
    };
    const { created, incident } = await this.incidents.insertOrGetExisting(candidate, idempotencyKey);
    const sharing = await this.sharing.context();
    const viewer = sharing.viewerFor(principal);
    if (!created) {
      // A replay by a key that may not see the original (e.g. RED by another author) learns nothing new.
      if (!canSee(viewer, incident)) throw new DomainError('conflict', 'this reference was already used');
      return { created, incident: await this.detail(incident, viewer, sharing) };
    }
    await this.audit.record(principal, {
      action: 'incident.create',
      target: { type: 'incident', id: incident.id },
      details: { tlp: incident.tlp, severity: incident.severity },
    });
    await this.handOff(incident, sharing);
    return { created, incident: detailOf(incident, viewer.orgId, sharing, []) };
  }

  async get(principal: Principal, id: string): Promise<IncidentDetail> {
    const { incident, viewer, sharing } = await this.visible(principal, id);
    await this.recordRead(principal, incident, 'incident.read');
    return this.detail(incident, viewer, sharing);
  }

  async list(
    principal: Principal,
    query: ListIncidentsQuery,
  ): Promise<{ items: IncidentListItem[]; nextCursor: string | null }> {
    const sharing = await this.sharing.context();
    const viewer = sharing.viewerFor(principal);
    let before: string | undefined;
    if (query.cursor) {
      before = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (!/^[0-9a-f-]{36}$/.test(before)) throw invalid('cursor', 'is not a cursor this api issued');
    }
    const limit = query.limit ?? DEFAULT_PAGE;
    const page = await this.incidents.list({ ...this.filters(viewer, query), before, limit });
    const last = page.items.at(-1);
    return {
      items: this.listItems(page.items, viewer, sharing),
      nextCursor: page.hasMore && last ? Buffer.from(last.id, 'utf8').toString('base64url') : null,
    };
  }

  /** Incidents carrying an indicator (any form: defanged, upper-case…), among those the caller may see. */
  async search(
    principal: Principal,
    value: string,
  ): Promise<{ type: string; value: string; items: IncidentListItem[] }> {
    const normalized = normalizeIndicator(value);
    if (!normalized.ok) throw invalid('value', normalized.rejected.message);
    const sharing = await this.sharing.context();
    const viewer = sharing.viewerFor(principal);
    const entries = await this.index.entriesOf(correlationKey(normalized.indicator));
    const found = await this.incidents.findVisible(
      entries.map((e) => e.incidentId),
      visibilityFilter(viewer),
      SEARCH_LIMIT,
    );
    return {
      type: normalized.indicator.type,
      value: normalized.indicator.value,
      items: this.listItems(found, viewer, sharing),
    };
  }

  /** Counts over the incidents the caller may see; an invisible incident is never counted. */
  async stats(principal: Principal, query: ListIncidentsQuery): Promise<IncidentCounts> {
    const sharing = await this.sharing.context();
    return this.incidents.count(this.filters(sharing.viewerFor(principal), query));
  }

  /** An analyst of the submitting organization changes status, TLP or recipients. */
  async update(principal: Principal, id: string, dto: UpdateIncidentDto): Promise<IncidentDetail> {
    if (
      dto.status === undefined &&
      dto.tlp === undefined &&
      dto.recipients === undefined &&
      dto.disclosure === undefined
    ) {
      throw invalid('body', 'give at least one of status, tlp, recipients, disclosure');
    }
    const { incident, sharing } = await this.visible(principal, id);
    if (incident.orgId !== principal.orgId)
      throw new DomainError('forbidden', 'only the submitting organization may change an incident');
    const recipients = dto.recipients ? await this.checkRecipients(dto.recipients) : undefined;
    // The TLP and recipients the change leaves must fit: checked against the stored incident at the write.
    const fits =
      dto.tlp !== undefined || recipients !== undefined
        ? (current: Incident) =>
            assertRecipientsFit(dto.tlp ?? current.tlp, recipients ?? current, recipients ? 'request' : 'stored')
        : undefined;
    const patch = { status: dto.status, tlp: dto.tlp, ...recipients, disclosure: dto.disclosure };
    const updated = await this.incidents.update(id, patch, fits);
    if (!updated) throw notFound('incident');
    const target = { type: 'incident', id };
    await this.audit.record(principal, {
      action: 'incident.update',
      target,
      // Only the fields the request gave (DTO class fields exist even when absent).
      details: {
        fields: Object.entries(dto)
          .filter(([, value]) => value !== undefined)
          .map(([field]) => field)
          .join(','),
      },
    });
    if (dto.status && dto.status !== incident.status) {
      await this.audit.record(principal, {
        action: 'incident.status_change',
        target,
        details: { from: incident.status, to: dto.status },
      });
    }
    if (dto.tlp && dto.tlp !== incident.tlp) {
      await this.audit.record(principal, {
        action: 'incident.tlp_change',
        target,
        details: { from: incident.tlp, to: dto.tlp },
      });
    }
    await this.visibility.remember(updated);
    await this.rooms.revalidate(updated.id);
    await this.publisher.publish(
      planIncidentUpdated(updated, sharing, await this.principals.resolve(principalsOf(updated))),
    );
    return this.detail(updated, sharing.viewerFor(principal), sharing);
  }

  /** Resolves an incident the caller may see, or 404 (invisible and missing look the same). */
  async visible(
    principal: Principal,
    id: string,
  ): Promise<{ incident: Incident; viewer: Viewer; sharing: SharingContext }> {
    const [incident, sharing] = await Promise.all([this.incidents.findById(id), this.sharing.context()]);
    const viewer = sharing.viewerFor(principal);
    if (!incident || !canSee(viewer, incident)) throw notFound('incident');
    return { incident, viewer, sharing };
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

  /** The store query for the list filters, within what `viewer` may see (lists, counts, exports). */
  filters(viewer: Viewer, query: ListIncidentsQuery): Omit<IncidentListQuery, 'before' | 'limit'> {
    const [cls, type] = query.classification?.split('/') ?? [];
    if (cls !== undefined && (!isRsitClass(cls) || (type !== undefined && !isRsitType(cls, type)))) {
      throw invalid('classification', 'not an RSIT class or class/type');
    }
    return {
      visibility: visibilityFilter(viewer),
      state: query.status,
      status: query.workflow,
      severity: query.severity,
      classificationClass: cls,
      classificationType: type,
      since: query.since ? new Date(query.since) : undefined,
    };
  }

  private listItems(items: Incident[], viewer: Viewer, sharing: SharingContext): IncidentListItem[] {
    return items.map((incident) => listItemOf(incident, viewer.orgId, sharing));
  }

  private async checkRecipients(
    recipients: RecipientsDto | undefined,
  ): Promise<{ recipientOrgIds: string[]; recipientUserIds: string[] }> {
    const recipientOrgIds = [...new Set(recipients?.organizations ?? [])];
    const recipientUserIds = [...new Set(recipients?.users ?? [])];
    const orgs = await this.organizations.findByIds(recipientOrgIds);
    const unknownOrg = recipientOrgIds.find((id) => !orgs.has(id));
    if (unknownOrg) throw invalid('recipients.organizations', `no organization ${unknownOrg}`);
    const users = new Set((await this.users.findByIds(recipientUserIds)).map((u) => u.id));
    const unknownUser = recipientUserIds.find((id) => !users.has(id));
    if (unknownUser) throw invalid('recipients.users', `no user ${unknownUser}`);
    return { recipientOrgIds, recipientUserIds };
  }

  /**
   * Remember who may see it (for live joins and replays), enqueue and announce. Failures here do not
   * fail the request: the sweeper re-enqueues pending incidents, and a join falls back to the store.
   */
  private async handOff(incident: Incident, sharing: SharingContext): Promise<void> {
    const log = { incidentId: incident.id, orgId: incident.orgId };
    try {
      await this.visibility.remember(incident);
    } catch (error) {
      this.logger.warn({ ...log, err: error }, "could not cache the incident's visibility");
    }
    try {
      await this.queue.enqueue(incident.id);
    } catch (error) {
      this.logger.warn({ ...log, err: error }, 'enqueue failed; the sweeper will pick the incident up');
    }
    try {
      const principals = await this.principals.resolve(principalsOf(incident));
      await this.publisher.publish(planIncidentCreated(incident, sharing, principals));
    } catch (error) {
      this.logger.warn({ ...log, err: error }, 'could not announce the incident');
    }
  }

  /** The incident as `viewer` may read it, with its correlations worded by the one correlation rule. */
  private async detail(incident: Incident, viewer: Viewer, sharing: SharingContext): Promise<IncidentDetail> {
    const correlations = await this.correlations.findForIncident(incident.id);
    const [others, contacts] = await Promise.all([
      this.incidents.findByIds(correlations.map((c) => sidesOf(c, incident.id).other.incidentId)),
      this.contacts.forCorrelations(correlations.map((c) => c.id)),
    ]);
    const views: CorrelationView[] = [];
    for (const correlation of correlations) {
      const other = others.get(sidesOf(correlation, incident.id).other.incidentId);
      if (!other) continue;
      // The contact request, if any, between the reader's organization on this side and the other side.
      const contact = contacts.find(
        (c) =>
          c.correlationId === correlation.id &&
          ((c.requesterOrgId === viewer.orgId && c.requesterIncidentId === incident.id) ||
            (c.ownerOrgId === viewer.orgId && c.ownerIncidentId === incident.id)),
      );
      const view = correlationViewFor(viewer, correlation, incident, other, sharing, contact);
      if (view) views.push(view);
    }
    return detailOf(incident, viewer.orgId, sharing, views);
  }
}
