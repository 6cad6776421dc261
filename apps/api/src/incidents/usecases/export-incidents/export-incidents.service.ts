import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  mispFeed,
  notFound,
  toMispEvent,
  toStixBundle,
  type MispEventDocument,
  type MispFeedFile,
  type Incident,
  type Principal,
  type SharingContext,
  type StixBundle,
  type StixExportItem,
  type StixExportOrganization,
} from '@corridor/domain';
import {
  CommunitiesRepository,
  IncidentsRepository,
  OrganizationsRepository,
  SightingsRepository,
} from '@corridor/persistence';
import { RealtimePublisher } from '@corridor/realtime';
import { AuditService } from '../../../audit/audit.service';
import type { ListIncidentsQuery } from '../../dto/list-incidents.query';
import { IncidentAccess } from '../../incident-access.service';
import { listFilters } from '../../incident-filters';

const EXPORT_LIMIT = 500;

/** A stable pseudonymous identity of `orgId` for one viewer organization, unlinkable to the real one. */
export function pseudonym(viewerOrgId: string, orgId: string): string {
  return `anonymous-${createHash('sha256').update(`${viewerOrgId}\n${orgId}`).digest('hex').slice(0, 32)}`;
}

/**
 * STIX 2.1 exports of what the caller may see. Organizations anonymised to the caller appear under
 * a generic name and a pseudonymous identity (stable for this caller, unlinkable to the real one).
 */
@Injectable()
export class ExportIncidents {
  constructor(
    private readonly access: IncidentAccess,
    private readonly incidents: IncidentsRepository,
    private readonly organizations: OrganizationsRepository,
    private readonly sightings: SightingsRepository,
    private readonly communities: CommunitiesRepository,
    private readonly audit: AuditService,
    private readonly publisher: RealtimePublisher,
  ) {}

  /** Never empty: the incident is in it. */
  async one(principal: Principal, id: string): Promise<StixBundle> {
    const { incident, sharing } = await this.access.requireVisible(principal, id);
    await this.access.recordRead(principal, incident, 'incident.export');
    const bundle = await this.bundle(principal, [incident], sharing);
    if (!bundle) throw new Error(`STIX export of incident ${incident.id} came out empty`);
    return bundle;
  }

  /**
   * One incident as a MISP event (TLP tag and distribution by the table of `toMispEvent`); its
   * organization as the caller may see it, under a pseudonymous id when anonymised.
   */
  async misp(principal: Principal, id: string): Promise<MispEventDocument> {
    const { incident, sharing } = await this.access.requireVisible(principal, id);
    await this.access.recordRead(principal, incident, 'incident.export');
    const [event] = await this.mispEvents(principal, [incident], sharing);
    if (!event) throw notFound('incident');
    return event;
  }

  /**
   * A community's MISP feed as the caller may read it: the newest 500 incidents owned by its members
   * that the caller may see, GREEN ones with the community as their SharingGroup. Files as
   * `mispFeed` makes them (`manifest.json`, `hashes.csv`, `<uuid>.json`).
   * @throws DomainError `not_found` when the caller's organization is not a member of the community.
   */
  async mispFeed(principal: Principal, communityId: string): Promise<MispFeedFile[]> {
    const community = await this.communities.findById(communityId);
    if (!community || !community.members.some((member) => member.orgId === principal.orgId)) {
      throw notFound('community');
    }
    const { viewer, sharing } = await this.access.viewerOf(principal);
    const page = await this.incidents.list({
      ...listFilters(viewer, {}, principal),
      orgIds: community.members.map((member) => member.orgId),
      limit: EXPORT_LIMIT,
    });
    const events = await this.mispEvents(principal, page.items, sharing, { id: community.id, name: community.name });
    await this.audit.record(principal, {
      action: 'incident.export',
      target: { type: 'community', id: community.id },
      details: { format: 'misp-feed', count: events.length },
    });
    return mispFeed(events);
  }

  private async mispEvents(
    principal: Principal,
    incidents: Incident[],
    sharing: SharingContext,
    community?: { id: string; name: string },
  ): Promise<MispEventDocument[]> {
    if (incidents.length === 0) return [];
    await this.recordTold(principal, incidents);
    const orgs = await this.organizations.findByIds(incidents.map((incident) => incident.orgId));
    const producedAt = new Date();
    return incidents.flatMap((incident) => {
      const org = orgs.get(incident.orgId);
      if (!org) return [];
      const ref = sharing.display(org, principal.orgId, incident);
      const organization = { id: ref.id ?? pseudonym(principal.orgId, org.id), name: ref.name };
      return [toMispEvent(incident, { organization, producedAt, ...(community ? { community } : {}) })];
    });
  }

  /** Up to 500 visible incidents matching the list filters, newest first; undefined when none match. */
  async many(principal: Principal, query: ListIncidentsQuery): Promise<StixBundle | undefined> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    const page = await this.incidents.list({
      ...listFilters(viewer, query, principal),
      limit: Math.min(query.limit ?? EXPORT_LIMIT, EXPORT_LIMIT),
    });
    await this.audit.record(principal, {
      action: 'incident.export',
      target: { type: 'incidents', id: 'list' },
      details: { count: page.items.length },
    });
    return this.bundle(principal, page.items, sharing);
  }

  private async bundle(
    principal: Principal,
    incidents: Incident[],
    sharing: SharingContext,
  ): Promise<StixBundle | undefined> {
    await this.recordTold(principal, incidents);
    const sightings = await this.sightings.forIncidents(incidents.map((incident) => incident.id));
    const orgs = await this.organizations.findByIds([
      ...incidents.map((incident) => incident.orgId),
      ...sightings.map((sighting) => sighting.orgId),
    ]);
    /** An organization as the caller may see it, under a pseudonymous id when anonymised. */
    const shown = (orgId: string, incident?: Incident): StixExportOrganization | undefined => {
      const org = orgs.get(orgId);
      if (!org) return undefined;
      const ref = sharing.display(org, principal.orgId, incident);
      return { id: ref.id ?? pseudonym(principal.orgId, org.id), name: ref.name, kind: org.kind };
    };
    const items: StixExportItem[] = [];
    for (const incident of incidents) {
      const organization = shown(incident.orgId, incident);
      if (!organization) continue;
      const own = sightings.flatMap((sighting) => {
        if (sighting.incidentId !== incident.id) return [];
        // Worded as the sightings list words them: the incident's own organization as the incident names it.
        const by = shown(sighting.orgId, sighting.orgId === incident.orgId ? incident : undefined);
        return by ? [{ ...sighting, organization: by }] : [];
      });
      items.push({ incident, organization, sightings: own });
    }
    return toStixBundle(items, { producedAt: new Date() });
  }

  /** The exporter joins the ledger of who was told of each incident: a retraction tells them too. */
  private recordTold(principal: Principal, incidents: readonly Incident[]): Promise<void> {
    return this.publisher.log.recordTold(
      incidents.map((incident) => incident.id),
      [{ kind: 'principal', principalId: principal.id, orgId: principal.orgId, isUser: principal.kind === 'user' }],
    );
  }
}
