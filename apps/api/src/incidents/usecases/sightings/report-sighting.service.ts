import { Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import {
  DomainError,
  normalizeIndicator,
  sightedEntry,
  sightingViewFor,
  type Incident,
  type IndicatorType,
  type Principal,
  type SightedIndicator,
  type Sighting,
  type SightingView,
} from '@corridor/domain';
import { SightingsRepository } from '@corridor/persistence';
import { AuditService } from '../../../audit/audit.service';
import type { ReportSightingDto } from '../../dto/sighting.dto';
import { IncidentAccess } from '../../incident-access.service';
import { invalid } from '../../incident-filters';
import { TimelineRecorder } from '../../../timeline/timeline-recorder.service';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The incident's indicator a report names, written in any form (normalized as on submission); a 400
 * naming `indicator` when it is not one of the incident's.
 */
export function sightedIndicatorOf(
  incident: Pick<Incident, 'indicators'>,
  written: { value: string; type?: IndicatorType },
): SightedIndicator {
  const normalized = normalizeIndicator(written.value, written.type);
  if (!normalized.ok) throw invalid('indicator', normalized.rejected.message);
  const { type, value } = normalized.indicator;
  if (!incident.indicators.some((i) => i.type === type && i.value === value)) {
    throw invalid('indicator', `${type} ${value} is not one of the incident's indicators`);
  }
  return { type, value };
}

/**
 * A partner reports seeing one of an incident's indicators (or finding it a false positive, or
 * expired). Whoever may see the incident may report on it, not only its owner; the report is
 * worded for each reader as comments are, by REST and on the incident's live timeline.
 * A repeated Idempotency-Key returns the sighting stored the first time, counted once.
 */
@Injectable()
export class ReportSighting {
  constructor(
    private readonly access: IncidentAccess,
    private readonly sightings: SightingsRepository,
    private readonly audit: AuditService,
    private readonly timeline: TimelineRecorder,
  ) {}

  async execute(
    principal: Principal,
    incidentId: string,
    dto: ReportSightingDto,
    idempotencyKey: string | undefined,
  ): Promise<{ created: boolean; sighting: SightingView }> {
    const { incident, sharing } = await this.access.requireVisible(principal, incidentId);
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw invalid('Idempotency-Key', 'must be 1 to 200 printable ASCII characters');
    }
    const { type, value } = sightedIndicatorOf(incident, dto.indicator);
    const candidate: Sighting = {
      id: uuidv7(),
      incidentId,
      orgId: principal.orgId,
      authorId: principal.id,
      indicator: { type, value },
      kind: dto.kind,
      count: dto.count ?? 1,
      firstSeen: dto.firstSeen ? new Date(dto.firstSeen) : null,
      lastSeen: dto.lastSeen ? new Date(dto.lastSeen) : null,
      note: dto.note ?? null,
      createdAt: new Date(),
    };
    const { created, sighting } = await this.sightings.insertOrGetExisting(candidate, idempotencyKey);
    if (sighting.incidentId !== incidentId) {
      throw new DomainError('conflict', 'this Idempotency-Key was already used for another incident');
    }
    if (created) {
      await this.audit.record(principal, {
        action: 'incident.sighting',
        orgId: incident.orgId,
        target: { type: 'incident', id: incidentId },
        details: { sightingId: sighting.id, kind: sighting.kind, count: sighting.count, indicatorType: type },
      });
    }
    // Recorded again on a repeat: a request that failed after storing the sighting still gets its
    // entry, and an entry already there is neither added nor announced twice.
    await this.timeline.record([sightedEntry(sighting)], incident, sharing);
    return { created, sighting: sightingViewFor(sighting, principal.orgId, sharing, incident) };
  }
}
