import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  toStixBundle,
  type Incident,
  type Principal,
  type SharingContext,
  type StixBundle,
  type StixExportItem,
} from '@corridor/domain';
import { IncidentsRepository, OrganizationsRepository } from '@corridor/persistence';
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
    const orgs = await this.organizations.findByIds(incidents.map((i) => i.orgId));
    const items: StixExportItem[] = [];
    for (const incident of incidents) {
      const org = orgs.get(incident.orgId);
      if (!org) continue;
      const shown = sharing.display(org, principal.orgId, incident);
      const id = shown.id ?? pseudonym(principal.orgId, org.id);
      items.push({ incident, organization: { id, name: shown.name, kind: org.kind } });
    }
    return toStixBundle(items, { producedAt: new Date() });
  }
}
