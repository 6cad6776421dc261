import { v4 as uuidv4, v5 as uuidv5, validate as isUuid } from 'uuid';
import type { IndicatorType } from '../indicators';
import type { Incident, IncidentState, Severity } from '../incidents/incident';
import canonicalize from 'canonicalize';
import type { Sighting, SightingKind } from '../incidents/sighting';
import { strictestTlp, type Tlp } from '../visibility/tlp';
import { PAP_LEVELS, type Pap } from '../visibility/pap';

// ---------------------------------------------------------------- marking definitions

/** STIX 2.1 marking-definition ids of the TLP 2.0 levels (FIRST extension `tlp_2_0`). */
export const TLP2_MARKING_IDS: Readonly<Record<Tlp, StixId<'marking-definition'>>> = {
  CLEAR: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  GREEN: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  AMBER: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'AMBER+STRICT': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  RED: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The older TLP 1.0 marking-definition ids, still found in bundles partners send. */
export const TLP1_MARKING_IDS: Readonly<Record<'WHITE' | 'GREEN' | 'AMBER' | 'RED', StixId<'marking-definition'>>> = {
  WHITE: 'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9',
  GREEN: 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da',
  AMBER: 'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82',
  RED: 'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed',
};

/** Extension definition that carries the `tlp_2_0` property of the TLP 2.0 marking definitions. */
export const TLP2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const TLP2_MARKING_CREATED = '2022-10-01T00:00:00.000Z';

const TLP_BY_MARKING_ID: ReadonlyMap<string, Tlp> = new Map<string, Tlp>([
  ...(Object.entries(TLP2_MARKING_IDS) as [Tlp, string][]).map(([tlp, id]): [string, Tlp] => [id, tlp]),
  [TLP1_MARKING_IDS.WHITE, 'CLEAR'],
  [TLP1_MARKING_IDS.GREEN, 'GREEN'],
  [TLP1_MARKING_IDS.AMBER, 'AMBER'],
  [TLP1_MARKING_IDS.RED, 'RED'],
]);

/**
 * TLP level of a STIX marking-definition id: the TLP 2.0 ids, and the TLP 1.0 ids mapped onto
 * TLP 2.0 (WHITE becomes CLEAR). Undefined for any other id, including non-TLP markings.
 */
export function tlpFromMarkingId(id: string): Tlp | undefined {
  if (typeof id !== 'string') return undefined;
  return TLP_BY_MARKING_ID.get(id);
}

// ---------------------------------------------------------------- STIX object types

/** `<type>--<uuid>` */
export type StixId<T extends string> = `${T}--${string}`;

/** UTC timestamp with exactly millisecond precision, e.g. `2026-11-24T08:30:00.000Z`. */
export type StixTimestamp = string;

/** Lower-case `tlp_2_0` values of the TLP 2.0 marking extension. */
export type Tlp2Value = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

interface StixCommon<T extends string> {
  type: T;
  spec_version: '2.1';
  id: StixId<T>;
  created: StixTimestamp;
}

interface StixVersioned<T extends string> extends StixCommon<T> {
  modified: StixTimestamp;
}

/** Properties every object derived from a Corridor incident carries. */
interface StixAttributed<T extends string> extends StixVersioned<T> {
  created_by_ref: StixId<'identity'>;
  object_marking_refs: StixId<'marking-definition'>[];
}

/** Marking definitions are not versioned in STIX 2.1, so they have no `modified`. */
export interface StixMarkingDefinition extends StixCommon<'marking-definition'> {
  name: `TLP:${Tlp}`;
  extensions: {
    [TLP2_EXTENSION_ID]: { extension_type: 'property-extension'; tlp_2_0: Tlp2Value };
  };
}

/**
 * Corridor's fields that STIX lacks, carried in Corridor's property-extension (`extensions` keyed by
 * `CORRIDOR_EXTENSION_ID`, `extension_type: "property-extension"`), never as top-level custom
 * properties.
 */
export interface CorridorIncidentProperties {
  extension_type: 'property-extension';
  severity: Severity;
  /** RSIT `class/type`, e.g. `fraud/phishing`. */
  classification: string;
  occurred_at: StixTimestamp;
  state: IncidentState;
  external_ref?: string;
  /** The incident's PAP (FIRST), e.g. `AMBER`: what recipients may do with its indicators. */
  pap: Pap;
}

export interface CorridorIndicatorProperties {
  extension_type: 'property-extension';
  /** The indicator's PAP: its own if the submitter gave one, otherwise its incident's. */
  pap: Pap;
}

export interface StixIdentity extends StixVersioned<'identity'> {
  name: string;
  identity_class: 'organization';
  extensions?: {
    [CORRIDOR_EXTENSION_ID]: { extension_type: 'property-extension'; organization_kind: 'cert' | 'agency' };
  };
}

export interface StixIncident extends StixAttributed<'incident'> {
  name: string;
  description?: string;
  /** Corridor's own id of the incident (`source_name: "corridor"`). */
  external_references: StixExternalReference[];
  extensions: { [CORRIDOR_EXTENSION_ID]: CorridorIncidentProperties };
}

export interface StixIndicator extends StixAttributed<'indicator'> {
  name: string;
  indicator_types: ['malicious-activity'];
  pattern: string;
  pattern_type: 'stix';
  valid_from: StixTimestamp;
  extensions: { [CORRIDOR_EXTENSION_ID]: CorridorIndicatorProperties };
}

/** The definition of Corridor's property-extension, shipped in every bundle that uses it. */
export interface StixExtensionDefinition extends StixVersioned<'extension-definition'> {
  created_by_ref: StixId<'identity'>;
  name: string;
  description: string;
  schema: string;
  version: string;
  extension_types: ['property-extension'];
}

export interface StixExternalReference {
  source_name: string;
  external_id?: string;
  url?: string;
  description?: string;
}

export interface StixVulnerability extends StixAttributed<'vulnerability'> {
  name: string;
  external_references: StixExternalReference[];
  extensions: { [CORRIDOR_EXTENSION_ID]: CorridorIndicatorProperties };
}

/**
 * `related-to` its incident (indicators, vulnerabilities, observed data): STIX reserves `indicates`
 * for threat objects (attack patterns, malware, threat actors …), which an incident is not; and an
 * indicator `based-on` the observed data holding its observable.
 */
export interface StixRelationship extends StixAttributed<'relationship'> {
  relationship_type: 'related-to' | 'based-on';
  source_ref: StixId<'indicator'> | StixId<'vulnerability'> | StixId<'observed-data'>;
  target_ref: StixId<'incident'> | StixId<'observed-data'>;
}

/** The STIX Cyber-observable types Corridor's indicator types map to (CVE is a vulnerability SDO). */
export type StixScoType =
  'ipv4-addr' | 'ipv6-addr' | 'domain-name' | 'url' | 'email-addr' | 'file' | 'autonomous-system';

/**
 * A STIX Cyber-observable Object. Its id is UUIDv5 in the SCO namespace over the RFC 8785 JSON of
 * its ID contributing properties (`stixScoId`), so every producer names the same observable alike.
 */
export interface StixCyberObservable {
  type: StixScoType;
  spec_version: '2.1';
  id: StixId<StixScoType>;
  value?: string;
  number?: number;
  hashes?: Partial<Record<'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-512', string>>;
  object_marking_refs: StixId<'marking-definition'>[];
  extensions: { [CORRIDOR_EXTENSION_ID]: CorridorIndicatorProperties };
}

/** The observables of an incident's indicators, all of them (for detection or as context). */
export interface StixObservedData extends StixAttributed<'observed-data'> {
  first_observed: StixTimestamp;
  last_observed: StixTimestamp;
  number_observed: number;
  object_refs: StixId<StixScoType>[];
}

/** Corridor's sighting kinds, which STIX lacks (a STIX sighting is always a `seen`). */
export interface CorridorSightingProperties {
  extension_type: 'property-extension';
  kind: SightingKind;
  /** The sighted indicator, `<type>:<value>` in Corridor's canonical form. */
  indicator: string;
  note?: string;
}

export interface StixSighting extends StixAttributed<'sighting'> {
  /** The indicator, or the vulnerability for a CVE, or the incident when the indicator is context only. */
  sighting_of_ref: StixId<'indicator'> | StixId<'vulnerability'> | StixId<'incident'>;
  where_sighted_refs: StixId<'identity'>[];
  count: number;
  first_seen?: StixTimestamp;
  last_seen?: StixTimestamp;
  observed_data_refs?: StixId<'observed-data'>[];
  extensions: { [CORRIDOR_EXTENSION_ID]: CorridorSightingProperties };
}

/** The report that gathers one incident's objects (`report_types: ["incident"]`). */
export interface StixReport extends StixAttributed<'report'> {
  name: string;
  report_types: ['incident'];
  published: StixTimestamp;
  object_refs: StixId<string>[];
}

export type StixObject =
  | StixMarkingDefinition
  | StixIdentity
  | StixExtensionDefinition
  | StixIncident
  | StixIndicator
  | StixVulnerability
  | StixCyberObservable
  | StixObservedData
  | StixSighting
  | StixReport
  | StixRelationship;

/** A STIX 2.1 bundle (bundles have no `spec_version` of their own in 2.1). */
export interface StixBundle {
  type: 'bundle';
  id: StixId<'bundle'>;
  objects: StixObject[];
}

// ---------------------------------------------------------------- export

/** An organization as the recipient may see it (see `StixExportItem.organization`). */
export interface StixExportOrganization {
  id: string;
  name: string;
  kind: 'cert' | 'agency';
}

/** A sighting of one of the incident's indicators, its organization shown as the recipient may see it. */
export type StixExportSighting = Pick<
  Sighting,
  'id' | 'indicator' | 'kind' | 'count' | 'firstSeen' | 'lastSeen' | 'note' | 'createdAt'
> & { organization: StixExportOrganization };

export interface StixExportItem {
  incident: Incident;
  /**
   * The organization the incident is attributed to, as the recipient may see it: the name may be
   * an anonymised one. Only the name and kind are written; the id only seeds the identity's UUID
   * (uuidv5 under CORRIDOR_STIX_NAMESPACE). Because that UUID is reproducible from the id, a caller
   * that anonymises the name should also pass a pseudonymous id (e.g. one per recipient or
   * community), or the identity id links the anonymised organization to its named exports.
   */
  organization: StixExportOrganization;
  /** Its sightings, each becoming a STIX `sighting` marked with the incident's TLP. */
  sightings?: readonly StixExportSighting[];
}

export interface StixExportOptions {
  /** When the export is produced: `created`/`modified` of the identity objects. */
  producedAt: Date;
  /** `bundle--<uuid>` or a bare UUID; a random UUIDv4 when omitted. */
  bundleId?: string;
}

/**
 * Namespace of every name-based (v5) UUID Corridor derives for STIX ids. Fixed forever: changing
 * it changes the id of every exported identity, indicator, vulnerability and relationship.
 *
 * - identity: uuidv5(organization.id)
 * - incident: uuidv5('["incident",<incident id>]')
 * - indicator / vulnerability: uuidv5('[<"indicator"|"vulnerability">,<incident id>,<type>,<value>]')
 * - relationship: uuidv5('["relationship",<source id>,<relationship type>,<target id>]')
 */
export const CORRIDOR_STIX_NAMESPACE = '9231447e-f4dd-48b5-8983-4331051da59b';

/** Corridor's own identity, the creator of its extension definition. */
export const CORRIDOR_IDENTITY_ID: StixId<'identity'> = `identity--${uuidv5('["corridor"]', CORRIDOR_STIX_NAMESPACE)}`;

/** Corridor's property-extension (RSIT, severity, state, PAP …); fixed forever, like the namespace. */
export const CORRIDOR_EXTENSION_ID =
  `extension-definition--${uuidv5('["extension","corridor-incident"]', CORRIDOR_STIX_NAMESPACE)}` as const;

const CORRIDOR_EXTENSION_CREATED = '2026-11-30T00:00:00.000Z';

/** The identity and extension definition every bundle carries, so Corridor's extension is self-described. */
function corridorDefinitions(): [StixIdentity, StixExtensionDefinition] {
  return [
    {
      type: 'identity',
      spec_version: '2.1',
      id: CORRIDOR_IDENTITY_ID,
      created: CORRIDOR_EXTENSION_CREATED,
      modified: CORRIDOR_EXTENSION_CREATED,
      name: 'Corridor',
      identity_class: 'organization',
    },
    {
      type: 'extension-definition',
      spec_version: '2.1',
      id: CORRIDOR_EXTENSION_ID,
      created: CORRIDOR_EXTENSION_CREATED,
      modified: CORRIDOR_EXTENSION_CREATED,
      created_by_ref: CORRIDOR_IDENTITY_ID,
      name: 'Corridor incident properties',
      description:
        'Fields of a Corridor incident that STIX 2.1 lacks: its RSIT classification, severity, processing state, ' +
        'occurrence time, the submitter reference and PAP; on indicators and vulnerabilities, their PAP; on ' +
        'identities, whether the organization is a CERT or an agency.',
      schema:
        'Properties: severity (low|medium|high|critical), classification (RSIT "class/type"), occurred_at ' +
        '(timestamp), state (pending|enriched|correlated|failed), external_ref (string, optional), pap ' +
        '(CLEAR|GREEN|AMBER|RED, FIRST PAP), organization_kind (cert|agency).',
      version: '1.0.0',
      extension_types: ['property-extension'],
    },
  ];
}

const TLP2_VALUES: Readonly<Record<Tlp, Tlp2Value>> = {
  CLEAR: 'clear',
  GREEN: 'green',
  AMBER: 'amber',
  'AMBER+STRICT': 'amber+strict',
  RED: 'red',
};

const FILE_HASH_NAMES = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512' } as const;

/** Deterministic UUID for a tuple of strings; JSON keeps the parts unambiguous. */
function nameUuid(...parts: string[]): string {
  return uuidv5(JSON.stringify(parts), CORRIDOR_STIX_NAMESPACE);
}

/** STIX identity id of an organization; the same organization id always gives the same id. */
export function stixIdentityId(organizationId: string): StixId<'identity'> {
  return `identity--${uuidv5(organizationId, CORRIDOR_STIX_NAMESPACE)}`;
}

/**
 * STIX incident id: a UUIDv5 under Corridor's namespace over the Corridor id (STIX identifiers are
 * RFC 4122 UUIDs of versions 1–5; Corridor's own ids are UUIDv7). The same incident always gives the
 * same id; the Corridor id itself travels as an external reference.
 */
export function stixIncidentId(incidentId: string): StixId<'incident'> {
  return `incident--${nameUuid('incident', incidentId.toLowerCase())}`;
}

function timestamp(date: Date, field: string): StixTimestamp {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new TypeError(`STIX export: ${field} is not a valid date.`);
  }
  // Always `YYYY-MM-DDTHH:mm:ss.sssZ` for years 0000-9999.
  return date.toISOString();
}

/** A string literal of the STIX patterning language: backslash and quote escaped. */
export function stixPatternString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `AS64500` (the canonical form), also tolerating a bare number. */
function asNumber(value: string): number {
  const m = /^(?:AS)?(\d{1,10})$/i.exec(value);
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isSafeInteger(n) || n > 4294967295) {
    throw new TypeError(`STIX export: '${value}' is not an AS number.`);
  }
  return n;
}

type PatternType = Exclude<IndicatorType, 'cve'>;

/** STIX pattern of a canonical indicator value. */
export function stixPattern(type: PatternType, value: string): string {
  switch (type) {
    case 'ipv4':
      return `[ipv4-addr:value = ${stixPatternString(value)}]`;
    case 'ipv6':
      return `[ipv6-addr:value = ${stixPatternString(value)}]`;
    case 'cidr':
      return `[${value.includes(':') ? 'ipv6-addr' : 'ipv4-addr'}:value = ${stixPatternString(value)}]`;
    case 'domain':
      return `[domain-name:value = ${stixPatternString(value)}]`;
    case 'url':
      return `[url:value = ${stixPatternString(value)}]`;
    case 'email':
      return `[email-addr:value = ${stixPatternString(value)}]`;
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512':
      return `[file:hashes.'${FILE_HASH_NAMES[type]}' = ${stixPatternString(value)}]`;
    case 'asn':
      return `[autonomous-system:number = ${asNumber(value)}]`;
  }
}

function tlpMarking(tlp: Tlp): StixMarkingDefinition {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP2_MARKING_IDS[tlp],
    created: TLP2_MARKING_CREATED,
    name: `TLP:${tlp}`,
    extensions: {
      [TLP2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: TLP2_VALUES[tlp] },
    },
  };
}

function bundleIdFrom(bundleId: string | undefined): StixId<'bundle'> {
  if (bundleId === undefined) return `bundle--${uuidv4()}`;
  const uuid = bundleId.startsWith('bundle--') ? bundleId.slice('bundle--'.length) : bundleId;
  if (!isUuid(uuid)) throw new TypeError(`STIX export: bundle id '${bundleId}' is not a UUID.`);
  return `bundle--${uuid.toLowerCase()}`;
}

/**
 * Namespace of SCO ids fixed by STIX 2.1 §2.9: every producer derives an observable's id as UUIDv5
 * in it over the RFC 8785 (JCS) JSON of the ID contributing properties.
 */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * SCO id of an observable, by STIX 2.1 §2.9: `<type>--` UUIDv5(STIX_SCO_NAMESPACE, JCS(contributing)).
 * e.g. `stixScoId('ipv4-addr', { value: '203.0.113.7' })` is
 * `ipv4-addr--9ddd739e-87b1-587d-83f2-62ef1130af2f`. `contributing` holds only the ID contributing
 * properties of the type (§6: `value`; `number` for autonomous-system; `hashes` for file).
 */
export function stixScoId<T extends StixScoType>(type: T, contributing: Record<string, unknown>): StixId<T> {
  const json = canonicalize(contributing);
  if (json === undefined) throw new TypeError(`STIX export: ${type} has no ID contributing properties.`);
  return `${type}--${uuidv5(json, STIX_SCO_NAMESPACE)}`;
}

/** The SCO of an indicator (any type but CVE), without markings. */
function observableOf(
  type: PatternType,
  value: string,
): Pick<StixCyberObservable, 'type' | 'id' | 'value' | 'number' | 'hashes'> {
  switch (type) {
    case 'md5':
    case 'sha1':
    case 'sha256':
    case 'sha512': {
      const hashes = { [FILE_HASH_NAMES[type]]: value };
      return { type: 'file', id: stixScoId('file', { hashes }), hashes };
    }
    case 'asn': {
      const number = asNumber(value);
      return { type: 'autonomous-system', id: stixScoId('autonomous-system', { number }), number };
    }
    case 'cidr': {
      // STIX address values may be CIDR blocks.
      const scoType = value.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
      return { type: scoType, id: stixScoId(scoType, { value }), value };
    }
    case 'ipv4':
    case 'ipv6':
    case 'domain':
    case 'url':
    case 'email': {
      const scoType = SCO_TYPES[type];
      return { type: scoType, id: stixScoId(scoType, { value }), value };
    }
  }
}

const SCO_TYPES = {
  ipv4: 'ipv4-addr',
  ipv6: 'ipv6-addr',
  domain: 'domain-name',
  url: 'url',
  email: 'email-addr',
} as const;

function strictestPap(a: Pap, b: Pap): Pap {
  return PAP_LEVELS.indexOf(a) >= PAP_LEVELS.indexOf(b) ? a : b;
}

/** What one incident contributes: its own objects, and the observables it shares with others. */
interface IncidentContribution {
  objects: StixObject[];
  observables: StixCyberObservable[];
  sightingOrganizations: StixExportOrganization[];
}

/**
 * The objects one incident contributes: its incident SDO, an indicator per indicator meant for
 * detection, a vulnerability per CVE, one observed-data holding the observables of all its
 * indicators, its sightings, the relationships, and a report referring to them all.
 */
function incidentObjects(
  incident: Incident,
  identityId: StixId<'identity'>,
  sightings: readonly StixExportSighting[],
): IncidentContribution {
  const incidentId = stixIncidentId(incident.id);
  const created = timestamp(incident.createdAt, `createdAt of incident ${incident.id}`);
  const updated = timestamp(incident.updatedAt, `updatedAt of incident ${incident.id}`);
  // STIX requires modified >= created; a skewed clock must not produce an invalid object.
  const modified = updated < created ? created : updated;
  const common = { spec_version: '2.1' as const, created, modified, created_by_ref: identityId };
  const markings = (): StixId<'marking-definition'>[] => [TLP2_MARKING_IDS[incident.tlp]];
  const occurredAt = timestamp(incident.occurredAt, `occurredAt of incident ${incident.id}`);

  const sdo: StixIncident = {
    type: 'incident',
    id: incidentId,
    ...common,
    object_marking_refs: markings(),
    name: incident.title,
    ...(incident.description !== '' ? { description: incident.description } : {}),
    external_references: [{ source_name: 'corridor', external_id: incident.id }],
    extensions: {
      [CORRIDOR_EXTENSION_ID]: {
        extension_type: 'property-extension',
        severity: incident.severity,
        classification: `${incident.classification.class}/${incident.classification.type}`,
        occurred_at: occurredAt,
        state: incident.state,
        pap: incident.pap,
        ...(incident.externalRef !== undefined && incident.externalRef !== ''
          ? { external_ref: incident.externalRef }
          : {}),
      },
    },
  };
  const papOf = (pap: Pap) => ({
    [CORRIDOR_EXTENSION_ID]: { extension_type: 'property-extension' as const, pap },
  });

  const derived: (StixIndicator | StixVulnerability)[] = [];
  const observables = new Map<string, StixCyberObservable>();
  const relationships: StixRelationship[] = [];
  const relate = (
    source: StixRelationship['source_ref'],
    relationshipType: StixRelationship['relationship_type'],
    target: StixRelationship['target_ref'],
  ): void => {
    relationships.push({
      type: 'relationship',
      id: `relationship--${nameUuid('relationship', source, relationshipType, target)}`,
      ...common,
      object_marking_refs: markings(),
      relationship_type: relationshipType,
      source_ref: source,
      target_ref: target,
    });
  };
  const observedDataId: StixId<'observed-data'> = `observed-data--${nameUuid('observed-data', incident.id)}`;
  /** The SDO a sighting of `type:value` refers to. */
  const sighted = new Map<string, StixSighting['sighting_of_ref']>();

  // Only normalized indicators: rejected ones live in `rejectedIndicators` and are never exported.
  for (const indicator of incident.indicators) {
    const key = `${indicator.type}:${indicator.value}`;
    if (sighted.has(key)) continue;
    if (indicator.type === 'cve') {
      const vulnerability: StixVulnerability = {
        type: 'vulnerability',
        id: `vulnerability--${nameUuid('vulnerability', incident.id, indicator.type, indicator.value)}`,
        ...common,
        object_marking_refs: markings(),
        name: indicator.value,
        external_references: [{ source_name: 'cve', external_id: indicator.value }],
        extensions: papOf(indicator.pap),
      };
      derived.push(vulnerability);
      relate(vulnerability.id, 'related-to', incidentId);
      sighted.set(key, vulnerability.id);
      continue;
    }
    const observable = observableOf(indicator.type, indicator.value);
    observables.set(observable.id, {
      ...observable,
      spec_version: '2.1',
      object_marking_refs: markings(),
      extensions: papOf(indicator.pap),
    });
    if (indicator.forDetection === false) {
      sighted.set(key, incidentId);
      continue;
    }
    const object: StixIndicator = {
      type: 'indicator',
      id: `indicator--${nameUuid('indicator', incident.id, indicator.type, indicator.value)}`,
      ...common,
      object_marking_refs: markings(),
      name: indicator.value,
      indicator_types: ['malicious-activity'],
      pattern: stixPattern(indicator.type, indicator.value),
      pattern_type: 'stix',
      valid_from: created,
      extensions: papOf(indicator.pap),
    };
    derived.push(object);
    relate(object.id, 'based-on', observedDataId);
    relate(object.id, 'related-to', incidentId);
    sighted.set(key, object.id);
  }

  const observed: StixObservedData[] = [];
  if (observables.size > 0) {
    observed.push({
      type: 'observed-data',
      id: observedDataId,
      ...common,
      object_marking_refs: markings(),
      first_observed: occurredAt,
      last_observed: occurredAt,
      number_observed: 1,
      object_refs: [...observables.keys()] as StixId<StixScoType>[],
    });
    relate(observedDataId, 'related-to', incidentId);
  }

  const stixSightings: StixSighting[] = [];
  const sightingOrganizations: StixExportOrganization[] = [];
  for (const sighting of sightings) {
    const key = `${sighting.indicator.type}:${sighting.indicator.value}`;
    const sightedAt = timestamp(sighting.createdAt, `createdAt of sighting ${sighting.id}`);
    sightingOrganizations.push(sighting.organization);
    stixSightings.push({
      type: 'sighting',
      id: `sighting--${nameUuid('sighting', sighting.id)}`,
      spec_version: '2.1',
      created: sightedAt,
      modified: sightedAt,
      created_by_ref: stixIdentityId(sighting.organization.id),
      object_marking_refs: markings(),
      sighting_of_ref: sighted.get(key) ?? incidentId,
      where_sighted_refs: [stixIdentityId(sighting.organization.id)],
      // STIX bounds count at 999 999 999.
      count: Math.min(Math.max(sighting.count, 0), 999_999_999),
      ...seenWindow(sighting),
      ...(observed.length > 0 && sighted.get(key) !== undefined && sighting.indicator.type !== 'cve'
        ? { observed_data_refs: [observedDataId] }
        : {}),
      extensions: {
        [CORRIDOR_EXTENSION_ID]: {
          extension_type: 'property-extension',
          kind: sighting.kind,
          indicator: key,
          ...(sighting.note !== null && sighting.note !== '' ? { note: sighting.note } : {}),
        },
      },
    });
  }

  const own: StixObject[] = [sdo, ...derived, ...observed, ...stixSightings, ...relationships];
  const report: StixReport = {
    type: 'report',
    id: `report--${nameUuid('report', incident.id)}`,
    ...common,
    object_marking_refs: markings(),
    name: incident.title,
    report_types: ['incident'],
    published: created,
    object_refs: [...own.map((object) => object.id), ...observables.keys()] as StixId<string>[],
  };
  return { objects: [...own, report], observables: [...observables.values()], sightingOrganizations };
}

/** first_seen/last_seen of a sighting, kept in order (STIX: last_seen ≥ first_seen). */
function seenWindow(sighting: StixExportSighting): Pick<StixSighting, 'first_seen' | 'last_seen'> {
  const first = sighting.firstSeen ? timestamp(sighting.firstSeen, `firstSeen of sighting ${sighting.id}`) : undefined;
  const last = sighting.lastSeen ? timestamp(sighting.lastSeen, `lastSeen of sighting ${sighting.id}`) : undefined;
  if (first !== undefined && last !== undefined && last < first) return { first_seen: last, last_seen: first };
  return { ...(first !== undefined ? { first_seen: first } : {}), ...(last !== undefined ? { last_seen: last } : {}) };
}

/**
 * Builds a STIX 2.1 bundle of incidents, each with its indicators (CVEs as vulnerabilities), the
 * `related-to` relationships to its incident, the identities of the organizations, the TLP 2.0
 * marking definitions in use, and Corridor's extension definition (with Corridor's identity) for the
 * fields STIX lacks. Ids are deterministic UUIDv5 (except a bundle id left to chance), so re-exports
 * agree. Undefined when there is no incident: STIX has no empty bundle.
 *
 * It does not decide who may receive what: the caller passes only incidents the recipient may see.
 * Each incident's objects carry only that incident's data and its TLP marking.
 */
export function toStixBundle(items: readonly StixExportItem[], options: StixExportOptions): StixBundle | undefined {
  // STIX forbids a bundle without objects (and common libraries fail on one): nothing is no bundle.
  if (items.length === 0) return undefined;
  const producedAt = timestamp(options.producedAt, 'producedAt');
  const bundleId = bundleIdFrom(options.bundleId);

  const identities = new Map<string, StixIdentity>();
  const tlps = new Set<Tlp>();
  const incidentIds = new Set<string>();
  const perIncident: StixObject[] = [];
  const observables = new Map<string, StixCyberObservable>();
  const addIdentity = (organization: StixExportOrganization): StixId<'identity'> => {
    const identityId = stixIdentityId(organization.id);
    const known = identities.get(identityId);
    if (known === undefined) {
      identities.set(identityId, {
        type: 'identity',
        spec_version: '2.1',
        id: identityId,
        created: producedAt,
        modified: producedAt,
        name: organization.name,
        identity_class: 'organization',
        extensions: {
          [CORRIDOR_EXTENSION_ID]: { extension_type: 'property-extension', organization_kind: organization.kind },
        },
      });
    } else if (
      known.name !== organization.name ||
      known.extensions?.[CORRIDOR_EXTENSION_ID].organization_kind !== organization.kind
    ) {
      throw new TypeError(`STIX export: organization ${organization.id} is given with different names or kinds.`);
    }
    return identityId;
  };

  for (const { incident, organization, sightings } of items) {
    const incidentId = stixIncidentId(incident.id);
    if (incidentIds.has(incidentId)) {
      throw new TypeError(`STIX export: incident ${incident.id} is listed more than once.`);
    }
    incidentIds.add(incidentId);
    if (TLP2_MARKING_IDS[incident.tlp] === undefined) {
      throw new TypeError(`STIX export: incident ${incident.id} has no valid TLP.`);
    }
    tlps.add(incident.tlp);

    const contribution = incidentObjects(incident, addIdentity(organization), sightings ?? []);
    contribution.sightingOrganizations.forEach(addIdentity);
    perIncident.push(...contribution.objects);
    // An observable several incidents share is one object, marked with the strictest TLP and PAP.
    for (const observable of contribution.observables) {
      const known = observables.get(observable.id);
      if (known === undefined) {
        observables.set(observable.id, observable);
        continue;
      }
      const tlp = strictestTlp([observable, known].map((o) => tlpOfMarking(o.object_marking_refs[0])));
      const pap = strictestPap(
        observable.extensions[CORRIDOR_EXTENSION_ID].pap,
        known.extensions[CORRIDOR_EXTENSION_ID].pap,
      );
      observables.set(observable.id, {
        ...known,
        object_marking_refs: [TLP2_MARKING_IDS[tlp]],
        extensions: { [CORRIDOR_EXTENSION_ID]: { extension_type: 'property-extension', pap } },
      });
    }
  }

  const markings = (Object.keys(TLP2_MARKING_IDS) as Tlp[]).filter((tlp) => tlps.has(tlp)).map(tlpMarking);
  return {
    type: 'bundle',
    id: bundleId,
    objects: [...markings, ...corridorDefinitions(), ...identities.values(), ...observables.values(), ...perIncident],
  };
}

function tlpOfMarking(id: StixId<'marking-definition'> | undefined): Tlp {
  const tlp = id === undefined ? undefined : tlpFromMarkingId(id);
  if (tlp === undefined) throw new TypeError(`STIX export: observable marked with '${String(id)}', not a TLP.`);
  return tlp;
}
