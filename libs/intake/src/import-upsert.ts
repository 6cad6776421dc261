import { Injectable } from '@nestjs/common';
import {
  DomainError,
  TLP_LEVELS,
  isTlp,
  mispUuid,
  type Classification,
  type ImportResult,
  type ImportedIncident,
  type IndicatorType,
  type Pap,
  type Principal,
  type Severity,
  type Tlp,
  type UnmappedItem,
} from '@corridor/domain';
import { CommunitiesRepository, ImportsRepository } from '@corridor/persistence';

export type ImportOutcome = 'created' | 'updated' | 'unchanged' | 'retracted' | 'revoked-unknown';

export interface ImportedIncidentOutcome {
  externalRef: string;
  /** Corridor's incident id; null when a revoked object was never imported. */
  id: string | null;
  outcome: ImportOutcome;
  tlp: Tlp | null;
  indicators: number;
  unmapped: UnmappedItem[];
}

export interface ImportReport {
  incidents: ImportedIncidentOutcome[];
  /** What of the document belongs to no incident and was not mapped. */
  unmapped: UnmappedItem[];
}

/** The incident an import asks to create, in the shape of the api's `CreateIncidentDto` body. */
export interface ImportedIncidentInput {
  title: string;
  description: string;
  /** ISO 8601. */
  occurredAt: string;
  classification: Classification;
  severity: Severity;
  tlp: Tlp;
  pap?: Pap;
  externalRef: string;
  /** TLP:EX:CHR (MISP `tlp:ex:chr`): the submitter is anonymised outside its organization. */
  anonymisedSubmitter?: true;
  indicators: Array<{ value: string; type?: IndicatorType; pap?: Pap; forDetection?: false }>;
}

/**
 * How an import writes, given by its caller: the api through its use cases (access checks, socket
 * rooms), the worker through `IncidentIntake`. Each acts for the importing organization.
 */
export interface ImportWriter {
  create(input: ImportedIncidentInput): Promise<{ created: boolean; incident: { id: string; tlp: Tlp; pap: Pap } }>;
  update(incidentId: string, changes: { tlp?: Tlp; pap?: Pap }): Promise<{ tlp: Tlp }>;
  retract(incidentId: string, reason: string): Promise<void>;
}

/** The most indicators of one incident (the api's `CreateIncidentDto` limit). */
export const MAX_IMPORTED_INDICATORS = 1000;
/** Limits of Corridor's incident fields (see CreateIncidentDto). */
const MAX_TITLE = 300;
const MAX_DESCRIPTION = 100_000;
const MAX_EXTERNAL_REF = 200;
const MAX_VALUE = 2048;
const DEFAULT_CLASSIFICATION = { class: 'other', type: 'undetermined' } as const;

/**
 * Upserts the incidents an importer (STIX, MISP, a TAXII pull) made of a partner's document, owned
 * by the importing organization: a new source id creates an incident (idempotent by `externalRef`),
 * a newer version of a known one updates its TLP and PAP, `revoked` retracts it; the version held is
 * kept per organization and source id. What could not be mapped is returned, never dropped silently.
 */
@Injectable()
export class ImportUpsert {
  constructor(
    private readonly versions: ImportsRepository,
    private readonly communities: CommunitiesRepository,
  ) {}

  /**
   * @param defaultTlp the TLP of an incident whose source carries none (source default).
   * @throws DomainError `validation_failed` when `defaultTlp` is not a TLP 2.0 label.
   */
  async run(
    principal: Principal,
    result: ImportResult,
    defaultTlp: string | undefined,
    writer: ImportWriter,
  ): Promise<ImportReport> {
    const fallback = defaultTlp ?? 'AMBER+STRICT';
    if (!isTlp(fallback)) {
      throw new DomainError('validation_failed', 'request is invalid', {
        fields: [{ field: 'defaultTlp', message: `must be one of ${TLP_LEVELS.join(', ')}` }],
      });
    }
    const ownCommunities = (await this.communities.all()).filter((c) =>
      c.members.some((member) => member.orgId === principal.orgId),
    );
    const incidents: ImportedIncidentOutcome[] = [];
    for (const imported of result.incidents) {
      incidents.push(await this.one(principal, imported, tlpOf(imported, fallback, ownCommunities), writer));
    }
    return { incidents, unmapped: result.unmapped };
  }

  private async one(
    principal: Principal,
    imported: ImportedIncident,
    tlp: Tlp,
    writer: ImportWriter,
  ): Promise<ImportedIncidentOutcome> {
    const externalRef = originOf(imported).slice(0, MAX_EXTERNAL_REF);
    const known = await this.versions.find(principal.orgId, externalRef);
    const unmapped = [...imported.unmapped];
    const base = { externalRef, unmapped };
    if (imported.revoked) {
      if (!known) return { ...base, id: null, outcome: 'revoked-unknown', tlp: null, indicators: 0 };
      const reason = `Revoked by its source (${externalRef}, version ${imported.version}).`;
      await writer.retract(known.incidentId, reason);
      return { ...base, id: known.incidentId, outcome: 'retracted', tlp: null, indicators: 0 };
    }

    const indicators = imported.indicators.slice(0, MAX_IMPORTED_INDICATORS).filter((indicator) => {
      if (indicator.value.length <= MAX_VALUE) return true;
      unmapped.push({ object: externalRef, path: indicator.origin, reason: `value longer than ${MAX_VALUE}` });
      return false;
    });
    for (const extra of imported.indicators.slice(MAX_IMPORTED_INDICATORS)) {
      unmapped.push({ object: externalRef, path: extra.origin, reason: `over ${MAX_IMPORTED_INDICATORS} indicators` });
    }
    const now = Date.now();
    const { created, incident } = await writer.create({
      title: printable(imported.title).slice(0, MAX_TITLE) || externalRef,
      description: imported.description.slice(0, MAX_DESCRIPTION),
      // A source's clock ahead of ours must not make the incident refused as future.
      occurredAt: new Date(Math.min(imported.occurredAt.getTime(), now)).toISOString(),
      classification: imported.classification ?? DEFAULT_CLASSIFICATION,
      severity: imported.severity ?? 'medium',
      tlp,
      ...(imported.pap !== undefined ? { pap: imported.pap } : {}),
      externalRef,
      ...(imported.anonymised ? { anonymisedSubmitter: true as const } : {}),
      indicators: indicators.map((indicator) => ({
        value: indicator.value,
        ...(indicator.type !== undefined ? { type: indicator.type } : {}),
        ...(indicator.pap !== undefined ? { pap: indicator.pap } : {}),
        ...(indicator.forDetection ? {} : { forDetection: false as const }),
      })),
    });
    const record = { orgId: principal.orgId, externalRef, incidentId: incident.id, updatedAt: new Date() };
    const counts = { indicators: indicators.length };
    if (created || !known) {
      await this.versions.save({ ...record, version: imported.version });
      return { ...base, id: incident.id, outcome: created ? 'created' : 'unchanged', tlp: incident.tlp, ...counts };
    }
    if (imported.version <= known.version) {
      return { ...base, id: incident.id, outcome: 'unchanged', tlp: incident.tlp, ...counts };
    }
    const changes = {
      ...(incident.tlp !== tlp ? { tlp } : {}),
      ...(imported.pap !== undefined && incident.pap !== imported.pap ? { pap: imported.pap } : {}),
    };
    const updated = Object.keys(changes).length > 0 ? await writer.update(incident.id, changes) : incident;
    await this.versions.save({ ...record, version: imported.version });
    return { ...base, id: incident.id, outcome: 'updated', tlp: updated.tlp, ...counts };
  }
}

/**
 * The TLP the incident gets: the source's, else the default; a MISP audience limited to one
 * community stays GREEN only when the importer belongs to that community alone (Corridor's GREEN
 * reaches all of its communities), else AMBER+STRICT; an unmapped sharing group is AMBER+STRICT.
 */
function tlpOf(imported: ImportedIncident, fallback: Tlp, ownCommunities: { id: string }[]): Tlp {
  const tlp = imported.tlp ?? fallback;
  if (imported.audience.kind !== 'community' || tlp !== 'GREEN') return tlp;
  const group = imported.audience.sharingGroupUuid;
  if (group === undefined) return ownCommunities.length <= 1 ? 'GREEN' : 'AMBER+STRICT';
  const mapped = ownCommunities.filter((c) => mispUuid('community', c.id) === group);
  return mapped.length === 1 && ownCommunities.length === 1 ? 'GREEN' : 'AMBER+STRICT';
}

/** Text without control characters (Corridor's titles refuse them). */
function printable(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ').trim();
}

/** A source id Corridor itself gives imported incidents: a STIX id or `misp:<uuid>`. */
const SOURCE_ID = /^(?:(?:incident|report|grouping|bundle)--[0-9a-f-]{36}|misp:[0-9a-f-]{36})$/i;

/**
 * The key an imported incident is upserted by: its source id, unless the source is a Corridor that
 * had itself imported it, in which case Corridor's extension carries the original source id
 * (`external_ref`) and that is the key. So an incident travelling between Corridors that feed each
 * other, or POSTed by TAXII and read back as Corridor's re-export, stays one incident per holder
 * instead of a new copy at every hop.
 */
export function originOf(imported: Pick<ImportedIncident, 'externalRef' | 'sourceExternalRef'>): string {
  const origin = imported.sourceExternalRef;
  return origin !== undefined && SOURCE_ID.test(origin) ? origin : imported.externalRef;
}
