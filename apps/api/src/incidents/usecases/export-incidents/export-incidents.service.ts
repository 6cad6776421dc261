import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  toMispEvent,
  toStixBundle,
  type MispEventDocument,
  type Incident,
  type Principal,
  type SharingContext,
  type StixBundle,
  type StixExportItem,
  type StixExportOrganization,
} from '@corridor/domain';
import { IncidentsRepository, OrganizationsRepository, SightingsRepository } from '@corridor/persistence';
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
    await this.publisher.log.recordTold(
      [incident.id],
      [{ kind: 'principal', principalId: principal.id, orgId: principal.orgId, isUser: principal.kind === 'user' }],
    );
    const org = (await this.organizations.findByIds([incident.orgId])).get(incident.orgId);
    const ref = org ? sharing.display(org, principal.orgId, incident) : { id: null, name: 'Unknown organization' };
    const organization = { id: ref.id ?? pseudonym(principal.orgId, incident.orgId), name: ref.name };
    return toMispEvent(incident, { organization, producedAt: new Date() });
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
    // The exporter joins the ledger of who was told of each incident: a retraction tells them too.
    await this.publisher.log.recordTold(
      incidents.map((incident) => incident.id),
      [{ kind: 'principal', principalId: principal.id, orgId: principal.orgId, isUser: principal.kind === 'user' }],
    );
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
}
