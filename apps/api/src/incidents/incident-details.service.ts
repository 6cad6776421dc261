import { Injectable } from '@nestjs/common';
import {
  contactOfSide,
  correlationViewFor,
  sidesOf,
  type CorrelationView,
  type Incident,
  type SharingContext,
  type Viewer,
} from '@corridor/domain';
import {
  ContactRequestsRepository,
  CorrelationsRepository,
  IncidentsRepository,
  SightingsRepository,
} from '@corridor/persistence';
import { detailOf, type IncidentDetail } from './incident.view';

/** The incident as a viewer may read it, with its correlations worded by the one correlation rule. */
@Injectable()
export class IncidentDetails {
  constructor(
    private readonly incidents: IncidentsRepository,
    private readonly correlations: CorrelationsRepository,
    private readonly contacts: ContactRequestsRepository,
    private readonly sightings: SightingsRepository,
  ) {}

  /**
   * Sightings are summed from their collection in one query per read rather than kept as counters on
   * the incident: the incident document is rewritten whole by processing and PAP changes, and a
   * counter there would need the document lock on every report and could drift from the sightings.
   */
  async of(incident: Incident, viewer: Viewer, sharing: SharingContext): Promise<IncidentDetail> {
    const [correlations, sightings] = await Promise.all([
      this.correlationsOf(incident, viewer, sharing),
      this.sightings.summaryFor(incident.id),
    ]);
    return detailOf(incident, viewer.orgId, sharing, correlations, sightings);
  }

  /** The incident's correlations the viewer may learn of, each worded for it (detail and timeline). */
  async correlationsOf(incident: Incident, viewer: Viewer, sharing: SharingContext): Promise<CorrelationView[]> {
    const correlations = await this.correlations.findForIncident(incident.id);
    const [others, contacts] = await Promise.all([
      this.incidents.findByIds(correlations.map((c) => sidesOf(c, incident.id).other.incidentId)),
      this.contacts.forCorrelations(correlations.map((c) => c.id)),
    ]);
    const views: CorrelationView[] = [];
    for (const correlation of correlations) {
      const other = others.get(sidesOf(correlation, incident.id).other.incidentId);
      if (!other) continue;
      const contact = contactOfSide(contacts, correlation.id, viewer.orgId, incident.id);
      const view = correlationViewFor(viewer, correlation, incident, other, sharing, contact);
      if (view) views.push(view);
    }
    return views;
  }
}
