import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { LOGGER } from '@corridor/config';
import {
  DomainError,
  audienceOf,
  canSee,
  collectSubmittedIndicators,
  describeCounterpart,
  isRsitClass,
  isRsitType,
  notFound,
  sidesOf,
  visibilityFilter,
  type Incident,
  type Organization,
} from '@corridor/domain';
import { CorrelationsRepository, IncidentsRepository, OrganizationsRepository } from '@corridor/persistence';
import { IncidentQueueProducer } from '@corridor/queue';
import { RealtimePublisher, roomsFor } from '@corridor/realtime';
import type { Principal } from '../auth/api-key.service';
import type { CreateIncidentDto } from './dto/create-incident.dto';
import type { ListIncidentsQuery } from './dto/list-incidents.query';
import {
  detailOf,
  listItemOf,
  summaryOf,
  type CorrelationView,
  type IncidentDetail,
  type IncidentListItem,
} from './incident.view';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;
const DEFAULT_PAGE = 50;

const invalid = (field: string, message: string) =>
  new DomainError('validation_failed', 'request is invalid', { fields: [{ field, message }] });

@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly correlations: CorrelationsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly queue: IncidentQueueProducer,
    private readonly publisher: RealtimePublisher,
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
    const now = new Date();
    const description = dto.description ?? '';
    const candidate: Incident = {
      id: uuidv7(),
      orgId: principal.orgId,
      title: dto.title,
      description,
      occurredAt: new Date(dto.occurredAt),
      classification: dto.classification,
      severity: dto.severity,
      tlp: dto.tlp,
      externalRef: dto.externalRef,
      state: 'pending',
      submitted: collectSubmittedIndicators(dto.indicators ?? [], description),
      indicators: [],
      rejectedIndicators: [],
      createdAt: now,
      updatedAt: now,
    };
    const { created, incident } = await this.incidents.insertOrGetExisting(candidate, idempotencyKey);
    const org = await this.organizationOf(incident.orgId);
    if (!created) return { created, incident: await this.detail(incident, org, principal.orgId) };
    await this.handOff(incident, org);
    return { created, incident: detailOf(incident, org, []) }; // nothing can correlate with it yet
  }

  async get(principal: Principal, id: string): Promise<IncidentDetail> {
    const incident = await this.incidents.findById(id);
    // Invisible and missing look the same: existence must not leak.
    if (!incident || !canSee({ orgId: principal.orgId }, incident)) throw notFound('incident');
    return this.detail(incident, await this.organizationOf(incident.orgId), principal.orgId);
  }

  async list(
    principal: Principal,
    query: ListIncidentsQuery,
  ): Promise<{ items: IncidentListItem[]; nextCursor: string | null }> {
    const [cls, type] = query.classification?.split('/') ?? [];
    if (cls !== undefined && (!isRsitClass(cls) || (type !== undefined && !isRsitType(cls, type)))) {
      throw invalid('classification', 'not an RSIT class or class/type');
    }
    let before: string | undefined;
    if (query.cursor) {
      before = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (!/^[0-9a-f-]{36}$/.test(before)) throw invalid('cursor', 'is not a cursor this api issued');
    }
    const limit = query.limit ?? DEFAULT_PAGE;
    const page = await this.incidents.list({
      visibility: visibilityFilter({ orgId: principal.orgId }),
      state: query.status,
      severity: query.severity,
      classificationClass: cls,
      classificationType: type,
      since: query.since ? new Date(query.since) : undefined,
      before,
      limit,
    });
    const orgs = await this.organizations.findByIds(page.items.map((i) => i.orgId));
    const last = page.items.at(-1);
    return {
      items: page.items.map((incident) => listItemOf(incident, orgs.get(incident.orgId) ?? unknownOrg(incident.orgId))),
      nextCursor: page.hasMore && last ? Buffer.from(last.id, 'utf8').toString('base64url') : null,
    };
  }

  /** Enqueue and announce. Failures here do not fail the request: the incident is stored and the sweeper re-enqueues it. */
  private async handOff(incident: Incident, org: Organization): Promise<void> {
    const log = { incidentId: incident.id, orgId: incident.orgId };
    try {
      await this.queue.enqueue(incident.id);
    } catch (error) {
      this.logger.warn({ ...log, err: error }, 'enqueue failed; the sweeper will pick the incident up');
    }
    try {
      await this.publisher.publish(roomsFor(audienceOf(incident)), 'incident.created', summaryOf(incident, org));
    } catch (error) {
      this.logger.warn({ ...log, err: error }, 'could not announce the new incident');
    }
  }

  private async detail(incident: Incident, org: Organization, viewerOrgId: string): Promise<IncidentDetail> {
    const correlations = await this.correlations.findForIncident(incident.id);
    const others = await this.incidents.findByIds(correlations.map((c) => sidesOf(c, incident.id).other.incidentId));
    const orgs = await this.organizations.findByIds([...others.values()].map((i) => i.orgId));
    const views: CorrelationView[] = [];
    for (const correlation of correlations) {
      const other = others.get(sidesOf(correlation, incident.id).other.incidentId);
      if (!other) continue;
      // Only a side of the correlation learns of a counterpart it may not see; anyone else never hears of it.
      if (incident.orgId !== viewerOrgId && !canSee({ orgId: viewerOrgId }, other)) continue;
      views.push({
        id: correlation.id,
        type: correlation.type,
        value: correlation.value,
        counterpart: describeCounterpart(viewerOrgId, other, orgs.get(other.orgId) ?? unknownOrg(other.orgId)),
        createdAt: correlation.createdAt.toISOString(),
      });
    }
    return detailOf(incident, org, views);
  }

  private async organizationOf(orgId: string): Promise<Organization> {
    return (
      (await this.organizations.findById(orgId)) ?? {
        ...unknownOrg(orgId),
        country: '',
        kind: 'agency',
        createdAt: new Date(0),
      }
    );
  }
}

function unknownOrg(id: string): { id: string; name: string } {
  return { id, name: 'unknown organization' };
}
