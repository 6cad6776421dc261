import { Injectable } from '@nestjs/common';
import {
  contactOfSide,
  correlationKey,
  correlationViewFor,
  sidesOf,
  type CorrelationView,
  type Incident,
  type SharingContext,
  type Viewer,
} from '@corridor/domain';
import {
  ContactRequestsRepository,
  CorrelationIndex,
  CorrelationsRepository,
  FalsePositivesRepository,
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
    private readonly falsePositives: FalsePositivesRepository,
    private readonly index: CorrelationIndex,
    private readonly sightings: SightingsRepository,
  ) {}

  /**
   * The detail adds, to the correlations the viewer's organization marked as false positives, and to
   * each indicator carried by more incidents than the hot threshold, that count (never who). Sightings
   * are summed from their collection in one query per read rather than kept as counters on the
   * incident: the incident document is rewritten whole by processing and PAP changes, and a counter
   * there would need the document lock on every report and could drift from the sightings.
   */
  async of(incident: Incident, viewer: Viewer, sharing: SharingContext): Promise<IncidentDetail> {
    const found = await this.viewsOf(incident, viewer, sharing);
    const [marks, hot, sightings] = await Promise.all([
      this.falsePositives.ofOrganization(
        viewer.orgId,
        found.map((f) => f.key),
      ),
      this.index.hotCounts(incident.indicators.map(correlationKey)),
      this.sightings.summaryFor(incident.id),
    ]);
    // Beside the correlations, so each of them stays equal to its live alert and its alert-list entry.
    const falsePositives = found.flatMap(({ view, key }) => {
      const mark = marks.get(key);
      return mark ? [{ correlationId: view.id, by: mark.by, at: mark.at.toISOString() }] : [];
    });
    return detailOf(
      incident,
      viewer.orgId,
      sharing,
      found.map((f) => f.view),
      hot,
      falsePositives,
      sightings,
    );
  }

  /** The incident's correlations the viewer may learn of, each worded for it (detail and timeline). */
  async correlationsOf(incident: Incident, viewer: Viewer, sharing: SharingContext): Promise<CorrelationView[]> {
    return (await this.viewsOf(incident, viewer, sharing)).map((f) => f.view);
  }

  private async viewsOf(
    incident: Incident,
    viewer: Viewer,
    sharing: SharingContext,
  ): Promise<Array<{ view: CorrelationView; key: string }>> {
    const correlations = await this.correlations.findForIncident(incident.id);
    const [others, contacts] = await Promise.all([
      this.incidents.findByIds(correlations.map((c) => sidesOf(c, incident.id).other.incidentId)),
      this.contacts.forCorrelations(correlations.map((c) => c.id)),
    ]);
    const views: Array<{ view: CorrelationView; key: string }> = [];
    for (const correlation of correlations) {
      const other = others.get(sidesOf(correlation, incident.id).other.incidentId);
      if (!other) continue;
      const contact = contactOfSide(contacts, correlation.id, viewer.orgId, incident.id);
      const view = correlationViewFor(viewer, correlation, incident, other, sharing, contact);
      if (view) views.push({ view, key: correlation.key });
    }
    return views;
  }
}
