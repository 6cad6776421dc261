import { v4 as uuidv4, v5 as uuidv5, validate as isUuid } from 'uuid';
import type { IndicatorType } from '../indicators';
import type { Incident, IncidentState, Severity } from '../incidents/incident';
import type { Tlp } from '../visibility/tlp';
import type { Pap } from '../visibility/pap';

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
 * `related-to` its incident: STIX reserves `indicates` for threat objects (attack patterns, malware,
 * threat actors …), which an incident is not.
 */
export interface StixRelationship extends StixAttributed<'relationship'> {
  relationship_type: 'related-to';
  source_ref: StixId<'indicator'> | StixId<'vulnerability'>;
  target_ref: StixId<'incident'>;
}

export type StixObject =
  | StixMarkingDefinition
  | StixIdentity
  | StixExtensionDefinition
  | StixIncident
  | StixIndicator
  | StixVulnerability
  | StixRelationship;

/** A STIX 2.1 bundle (bundles have no `spec_version` of their own in 2.1). */
export interface StixBundle {
  type: 'bundle';
  id: StixId<'bundle'>;
  objects: StixObject[];
}

// ---------------------------------------------------------------- export

export interface StixExportItem {
  incident: Incident;
  /**
   * The organization the incident is attributed to, as the recipient may see it: the name may be
   * an anonymised one. Only the name and kind are written; the id only seeds the identity's UUID
   * (uuidv5 under CORRIDOR_STIX_NAMESPACE). Because that UUID is reproducible from the id, a caller
   * that anonymises the name should also pass a pseudonymous id (e.g. one per recipient or
   * community), or the identity id links the anonymised organization to its named exports.
   */
  organization: { id: string; name: string; kind: 'cert' | 'agency' };
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

/** The objects one incident contributes: its incident SDO, indicators, vulnerabilities, relationships. */
function incidentObjects(incident: Incident, identityId: StixId<'identity'>): StixObject[] {
  const incidentId = stixIncidentId(incident.id);
  const created = timestamp(incident.createdAt, `createdAt of incident ${incident.id}`);
  const updated = timestamp(incident.updatedAt, `updatedAt of incident ${incident.id}`);
  // STIX requires modified >= created; a skewed clock must not produce an invalid object.
  const modified = updated < created ? created : updated;
  const common = { spec_version: '2.1' as const, created, modified, created_by_ref: identityId };
  const markings = (): StixId<'marking-definition'>[] => [TLP2_MARKING_IDS[incident.tlp]];

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
        occurred_at: timestamp(incident.occurredAt, `occurredAt of incident ${incident.id}`),
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
  const relationships: StixRelationship[] = [];
  const relate = (source: StixIndicator | StixVulnerability): void => {
    const relationshipType = 'related-to';
    relationships.push({
      type: 'relationship',
      id: `relationship--${nameUuid('relationship', source.id, relationshipType, incidentId)}`,
      ...common,
      object_marking_refs: markings(),
      relationship_type: relationshipType,
      source_ref: source.id,
      target_ref: incidentId,
    });
  };

  // Only normalized indicators: rejected ones live in `rejectedIndicators` and are never exported.
  const seen = new Set<string>();
  for (const indicator of incident.indicators) {
    const key = `${indicator.type}:${indicator.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const object: StixIndicator | StixVulnerability =
      indicator.type === 'cve'
        ? {
            type: 'vulnerability',
            id: `vulnerability--${nameUuid('vulnerability', incident.id, indicator.type, indicator.value)}`,
            ...common,
            object_marking_refs: markings(),
            name: indicator.value,
            external_references: [{ source_name: 'cve', external_id: indicator.value }],
            extensions: papOf(indicator.pap),
          }
        : {
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
    relate(object);
  }
  return [sdo, ...derived, ...relationships];
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

  for (const { incident, organization } of items) {
    const incidentId = stixIncidentId(incident.id);
    if (incidentIds.has(incidentId)) {
      throw new TypeError(`STIX export: incident ${incident.id} is listed more than once.`);
    }
    incidentIds.add(incidentId);
    if (TLP2_MARKING_IDS[incident.tlp] === undefined) {
      throw new TypeError(`STIX export: incident ${incident.id} has no valid TLP.`);
    }
    tlps.add(incident.tlp);

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

    perIncident.push(...incidentObjects(incident, identityId));
  }

  const markings = (Object.keys(TLP2_MARKING_IDS) as Tlp[]).filter((tlp) => tlps.has(tlp)).map(tlpMarking);
  return {
    type: 'bundle',
    id: bundleId,
    objects: [...markings, ...corridorDefinitions(), ...identities.values(), ...perIncident],
  };
}
