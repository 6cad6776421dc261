import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { v5 as uuidv5 } from 'uuid';
import { DomainError } from '../errors/domain-error';
import type { IndicatorType } from '../indicators';
import type { Incident, IncidentIndicator, IncidentStatus, Severity } from '../incidents/incident';
import { SEVERITIES } from '../incidents/incident';
import { isRsitClass, isRsitType, type Classification } from '../incidents/taxonomy';
import { PAP_LEVELS, type Pap } from '../visibility/pap';
import type { Tlp } from '../visibility/tlp';
import type { ImportedIncident, ImportedIndicator, ImportResult, UnmappedItem } from './imported';
import {
  MISP_TLP_CHR_TAG,
  mispAudience,
  narrowerMispAudience,
  tlpOfMispTag,
  type MispAudienceCell,
} from './misp-audience';
import {
  parseMispEvents,
  type MispAttribute,
  type MispCategory,
  type MispDistribution,
  type MispEvent,
  type MispTag,
} from './misp-schema';

/** Namespace of the UUIDv5s Corridor gives the MISP events, attributes, organisations and sharing groups it exports. */
export const CORRIDOR_MISP_NAMESPACE = '5f0c3b8e-4a1d-4c7e-9b2a-6d8e1f3a7c40';

// ---------------------------------------------------------------- tags

/** `PAP:` tags of the MISP PAP taxonomy (`PAP:WHITE`, its older name for CLEAR, too), case-insensitive. */
export function papOfMispTag(name: string): Pap | undefined {
  const m = /^pap:(clear|white|green|amber|red)$/i.exec(name.trim());
  if (!m) return undefined;
  const level = m[1].toUpperCase();
  return level === 'WHITE' ? 'CLEAR' : (level as Pap);
}

/** `rsit:<class>="<type>"`, the machine-tag form of the MISP RSIT taxonomy, when class and type are RSIT's. */
export function classificationOfMispTag(name: string): Classification | undefined {
  const m = /^rsit:([a-z0-9-]+)="([a-z0-9-]+)"$/i.exec(name.trim());
  if (!m) return undefined;
  const cls = m[1].toLowerCase();
  const type = m[2].toLowerCase();
  return isRsitClass(cls) && isRsitType(cls, type) ? { class: cls, type } : undefined;
}

/** `corridor:severity="<low|medium|high|critical>"`. */
export function severityOfMispTag(name: string): Severity | undefined {
  const m = /^corridor:severity="([a-z]+)"$/i.exec(name.trim());
  const level = m?.[1].toLowerCase();
  return (SEVERITIES as readonly string[]).includes(level ?? '') ? (level as Severity) : undefined;
}

/** `threat_level_id` 1 High, 2 Medium, 3 Low; 4 Undefined gives none (the importer's default applies). */
const SEVERITY_OF_THREAT_LEVEL: Readonly<Record<1 | 2 | 3 | 4, Severity | undefined>> = {
  1: 'high',
  2: 'medium',
  3: 'low',
  4: undefined,
};

const stricterPap = (a: Pap | undefined, b: Pap): Pap =>
  a === undefined || PAP_LEVELS.indexOf(b) > PAP_LEVELS.indexOf(a) ? b : a;

// ---------------------------------------------------------------- attributes

/** How one MISP attribute type maps to Corridor indicators: the parts of its value and their types. */
type AttributeMapping = (value: string) => { value: string; type?: IndicatorType }[] | string;

const ipType = (value: string): IndicatorType | undefined => {
  if (value.includes('/')) return 'cidr';
  const version = isIP(value);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
};
const ip: AttributeMapping = (value) => [{ value, type: ipType(value) }];
/** `ip|port`: the address. */
const ipOfPair: AttributeMapping = (value) => {
  const [address, port] = value.split('|');
  return port === undefined ? 'expects <ip>|<port>' : ip(address);
};
const typed =
  (type: IndicatorType): AttributeMapping =>
  (value) => [{ value, type }];
/** `filename|<hash>`: the hash (the filename is listed as context). */
const hashOfPair =
  (type: IndicatorType): AttributeMapping =>
  (value) => {
    const bar = value.lastIndexOf('|');
    return bar < 0 ? `expects <filename>|<${type}>` : [{ value: value.slice(bar + 1), type }];
  };

/** MISP attribute types Corridor maps, and how (MISP core format Internet-Draft, "type"). */
const ATTRIBUTE_MAPPINGS: Readonly<Record<string, AttributeMapping>> = {
  'ip-src': ip,
  'ip-dst': ip,
  'ip-src|port': ipOfPair,
  'ip-dst|port': ipOfPair,
  domain: typed('domain'),
  hostname: typed('domain'),
  'domain|ip': (value) => {
    const [domain, address] = value.split('|');
    return address === undefined
      ? 'expects <domain>|<ip>'
      : [
          { value: domain, type: 'domain' },
          { value: address, type: ipType(address) },
        ];
  },
  url: typed('url'),
  email: typed('email'),
  'email-src': typed('email'),
  'email-dst': typed('email'),
  md5: typed('md5'),
  sha1: typed('sha1'),
  sha256: typed('sha256'),
  sha512: typed('sha512'),
  'filename|md5': hashOfPair('md5'),
  'filename|sha1': hashOfPair('sha1'),
  'filename|sha256': hashOfPair('sha256'),
  'filename|sha512': hashOfPair('sha512'),
  vulnerability: (value) => (/^cve-\d{4}-\d{4,}$/i.test(value.trim()) ? [{ value, type: 'cve' }] : 'is not a CVE id'),
  AS: (value) => {
    const m = /^(?:ASN?)?\s*(\d{1,10})$/i.exec(value.trim());
    return m ? [{ value: `AS${m[1]}`, type: 'asn' }] : 'is not an AS number';
  },
};

/** Event-level attribute types whose values make the incident's description. */
const NARRATIVE_TYPES: ReadonlySet<string> = new Set(['text', 'comment']);

const toIdsFlag = (raw: MispAttribute['to_ids']): boolean => raw === true || raw === '1' || raw === 1;

// ---------------------------------------------------------------- import

export interface MispImportOptions {
  /**
   * The caller names the recipients of RED events. TLP:RED is for named people only; a MISP event
   * cannot name them, so without this a RED event is refused (the api passes it once the importing
   * user has chosen the recipients).
   */
  redRecipientsGiven?: boolean;
}

interface Scope {
  tags: readonly string[];
  /** Resolved: never 5. */
  distribution: Exclude<MispDistribution, 5>;
  sharingGroupId?: string;
  sharingGroupUuid?: string;
}

/** Where a RED label came from, for the refusal. */
interface RedSource {
  path: string;
}

function importEvent(path: string, event: MispEvent, options: MispImportOptions): ImportedIncident {
  const unmapped: UnmappedItem[] = [];
  const indicators: ImportedIndicator[] = [];
  const object = `misp:${event.uuid.toLowerCase()}`;
  const keep = (itemPath: string, reason: string, kept?: unknown): void => {
    unmapped.push({ object, path: itemPath, reason, ...(kept === undefined ? {} : { kept }) });
  };

  // Event tags.
  const eventTags = event.Tag ?? [];
  const eventTagNames = eventTags.map((tag) => tag.name);
  let classification: Classification | undefined;
  let severity: Severity | undefined = event.threat_level_id
    ? SEVERITY_OF_THREAT_LEVEL[event.threat_level_id]
    : undefined;
  let severityTagged = false;
  let pap: Pap | undefined;
  let anonymised = false;
  const red: RedSource[] = [];
  eventTags.forEach((tag, i) => {
    const tagPath = `${path}.Tag[${i}].name`;
    const name = tag.name.trim();
    const tagClassification = classificationOfMispTag(name);
    const tagSeverity = severityOfMispTag(name);
    const tagPap = papOfMispTag(name);
    if (tlpOfMispTag(name)) {
      if (tlpOfMispTag(name) === 'RED') red.push({ path: tagPath });
    } else if (name.toLowerCase() === MISP_TLP_CHR_TAG) anonymised = true;
    else if (tagPap) pap = stricterPap(pap, tagPap);
    else if (tagSeverity && !severityTagged) {
      severity = tagSeverity;
      severityTagged = true;
    } else if (tagClassification && !classification) classification = tagClassification;
    else keep(tagPath, reasonForTag(name), tag);
  });

  const eventSharingGroupId = event.sharing_group_id === undefined ? undefined : String(event.sharing_group_id);
  const eventScope: Scope = {
    tags: eventTagNames,
    distribution: event.distribution,
    sharingGroupId: eventSharingGroupId,
    sharingGroupUuid: event.SharingGroup?.uuid,
  };
  let cell: MispAudienceCell = mispAudience(eventTagNames, event.distribution, event.SharingGroup?.uuid);

  const narrative: string[] = [];

  const visit = (attribute: MispAttribute, attributePath: string, parent: Scope, inObject: boolean): void => {
    const tags = attribute.Tag ?? [];
    const scope = scopeOf(attribute, parent, tags);
    cell = narrowerMispAudience(cell, mispAudience(scope.tags, scope.distribution, scope.sharingGroupUuid));

    let attributePap: Pap | undefined;
    tags.forEach((tag: MispTag, i) => {
      const tagPath = `${attributePath}.Tag[${i}].name`;
      const name = tag.name.trim();
      const tagPap = papOfMispTag(name);
      if (tlpOfMispTag(name) === 'RED') red.push({ path: tagPath });
      else if (tlpOfMispTag(name)) return;
      else if (name.toLowerCase() === MISP_TLP_CHR_TAG) anonymised = true;
      else if (tagPap) attributePap = stricterPap(attributePap, tagPap);
      else keep(tagPath, reasonForTag(name), tag);
    });

    if (attribute.deleted === true) {
      keep(attributePath, 'deleted in the source: not an indicator', attribute);
      return;
    }
    if (!inObject && NARRATIVE_TYPES.has(attribute.type) && !toIdsFlag(attribute.to_ids)) {
      narrative.push(attribute.value.trim());
      return;
    }
    const mapping = ATTRIBUTE_MAPPINGS[attribute.type];
    if (!mapping) {
      keep(attributePath, `MISP attribute type ${attribute.type} has no Corridor indicator type`, attribute);
      return;
    }
    const mapped = mapping(attribute.value);
    if (typeof mapped === 'string') {
      keep(attributePath, `${attribute.type} value ${mapped}`, attribute);
      return;
    }
    if (attribute.type.startsWith('filename|')) {
      keep(attributePath, 'the file name of a filename|hash attribute is kept as context', {
        filename: attribute.value.slice(0, attribute.value.lastIndexOf('|')),
      });
    }
    for (const part of mapped) {
      indicators.push({
        value: part.value.trim(),
        ...(part.type ? { type: part.type } : {}),
        ...(attributePap ? { pap: attributePap } : {}),
        forDetection: toIdsFlag(attribute.to_ids),
        origin: attributePath,
        category: attribute.category,
        ...(attribute.comment?.trim() ? { comment: attribute.comment.trim() } : {}),
      });
    }
  };

  (event.Attribute ?? []).forEach((attribute, i) => visit(attribute, `${path}.Attribute[${i}]`, eventScope, false));
  (event.Object ?? []).forEach((mispObject, o) => {
    const objectPath = `${path}.Object[${o}]`;
    if (mispObject.deleted === true) {
      keep(objectPath, 'deleted in the source', mispObject);
      return;
    }
    const objectScope: Scope =
      mispObject.distribution === undefined || mispObject.distribution === 5
        ? eventScope
        : {
            ...eventScope,
            distribution: mispObject.distribution,
            sharingGroupId: mispObject.sharing_group_id === undefined ? undefined : String(mispObject.sharing_group_id),
            sharingGroupUuid:
              String(mispObject.sharing_group_id) === eventSharingGroupId ? eventScope.sharingGroupUuid : undefined,
          };
    (mispObject.Attribute ?? []).forEach((attribute, i) =>
      visit(attribute, `${objectPath}.Attribute[${i}]`, objectScope, true),
    );
  });

  (event.Galaxy ?? []).forEach((galaxy, g) => {
    keep(`${path}.Galaxy[${g}]`, `galaxy ${galaxy.name} kept as context`, {
      name: galaxy.name,
      ...(galaxy.type ? { type: galaxy.type } : {}),
      clusters: (galaxy.GalaxyCluster ?? []).map((cluster) => cluster.value),
    });
  });

  if (cell.tlp === 'RED' && options.redRecipientsGiven !== true) {
    const where = red[0]?.path ?? `${path}.Tag`;
    throw new DomainError(
      'validation_failed',
      `${where}: a TLP:RED event is for named recipients only, which a MISP event cannot name; choose its recipients to import it`,
      { fields: red.map((source) => ({ field: source.path, message: 'TLP:RED needs named recipients' })) },
    );
  }

  const info = event.info.trim();
  return {
    externalRef: object,
    version: new Date(event.timestamp * 1000).toISOString(),
    revoked: false,
    title: info,
    description: narrative.length > 0 ? narrative.join('\n\n') : info,
    occurredAt: new Date(`${event.date}T00:00:00.000Z`),
    ...(classification ? { classification } : {}),
    ...(severity ? { severity } : {}),
    tlp: cell.tlp,
    audience: cell.audience,
    ...(pap ? { pap } : {}),
    ...(anonymised ? { anonymised } : {}),
    indicators,
    unmapped,
  };
}

/** The distribution and tags an attribute is shared under: its own, else (5 or absent, no TLP tag) its parent's. */
function scopeOf(attribute: MispAttribute, parent: Scope, tags: readonly MispTag[]): Scope {
  const ownTlpTags = tags.map((tag) => tag.name).filter((name) => tlpOfMispTag(name) !== undefined);
  const tlpTags = ownTlpTags.length > 0 ? ownTlpTags : parent.tags;
  if (attribute.distribution === undefined || attribute.distribution === 5) return { ...parent, tags: tlpTags };
  const sharingGroupId = attribute.sharing_group_id === undefined ? undefined : String(attribute.sharing_group_id);
  const sharingGroupUuid =
    attribute.SharingGroup?.uuid ??
    (sharingGroupId !== undefined && sharingGroupId === parent.sharingGroupId ? parent.sharingGroupUuid : undefined);
  return { tags: tlpTags, distribution: attribute.distribution, sharingGroupId, sharingGroupUuid };
}

function reasonForTag(name: string): string {
  if (/^rsit:/i.test(name)) return 'rsit tag that is not an RSIT class and type, or a second classification';
  if (/^corridor:severity=/i.test(name))
    return 'severity tag that is not low, medium, high or critical, or a second one';
  if (/^tlp:/i.test(name)) return 'TLP tag that is not a TLP 2.0 level';
  return 'tag with no Corridor field';
}

/**
 * A MISP document (`{"Event": {…}}` or `{"response": [{"Event": {…}}, …]}`) as incidents to upsert: one
 * per event, `externalRef` `misp:<event uuid>`, `version` the event's `timestamp` as an ISO date.
 *
 * - title `info`; description the event-level `text`/`comment` attributes (not `to_ids`), else `info`;
 *   `occurredAt` `date` at 00:00 UTC; severity `threat_level_id` (1 high, 2 medium, 3 low, 4 none) unless a
 *   `corridor:severity="…"` tag says otherwise; classification the first valid `rsit:<class>="<type>"` tag;
 *   PAP the strictest `PAP:` tag.
 * - TLP and audience: `mispAudience` of the event's tags and distribution, narrowed by each attribute's
 *   (its TLP tags, else the event's; its distribution, 5 or absent inheriting its object's, else the
 *   event's). `tlp:ex:chr` anywhere: `anonymised`. Distribution 4: `{kind: 'community', sharingGroupUuid}`,
 *   which the api maps to one of its communities, or AMBER+STRICT when it maps to none.
 * - Indicators from the attributes, those of Objects too (see ATTRIBUTE_MAPPINGS): `to_ids` →
 *   `forDetection`, `category` and `comment` kept, attribute `PAP:` tags → the indicator's PAP. Other
 *   types, deleted attributes and objects, unknown tags, galaxies and the file names of `filename|hash`
 *   are listed in the incident's `unmapped`, never dropped silently.
 *
 * @throws DomainError `validation_failed` naming the JSON path of each problem (see `parseMispEvents`);
 * also when an event is TLP:RED (a `tlp:red` tag, on the event or an attribute) and
 * `options.redRecipientsGiven` is not true, naming the tag, e.g. `Event.Tag[1].name`. Nothing is
 * returned when any event is refused.
 * Source: MISP core format Internet-Draft (draft-dulaunoy-misp-core-format), issue 11 §5.
 */
export function importMispDocument(document: unknown, options: MispImportOptions = {}): ImportResult {
  const events = parseMispEvents(document);
  return { incidents: events.map(({ path, event }) => importEvent(path, event, options)), unmapped: [] };
}

// ---------------------------------------------------------------- export

/** A tag as Corridor writes it. */
export interface MispExportTag {
  name: string;
}

export interface MispExportAttribute {
  uuid: string;
  type: string;
  category: MispCategory;
  value: string;
  to_ids: boolean;
  distribution: '5';
  timestamp: string;
  comment: string;
  Tag?: MispExportTag[];
}

export interface MispExportOrganisation {
  name: string;
  uuid: string;
}

export interface MispExportEvent {
  uuid: string;
  info: string;
  date: string;
  threat_level_id: '1' | '2' | '3' | '4';
  analysis: '0' | '1' | '2';
  distribution: '0' | '1' | '3' | '4';
  sharing_group_id: string;
  SharingGroup?: { uuid: string; name: string };
  timestamp: string;
  publish_timestamp: string;
  published: boolean;
  Orgc: MispExportOrganisation;
  Org: MispExportOrganisation;
  Tag: MispExportTag[];
  Attribute: MispExportAttribute[];
}

/** `{"Event": {…}}`, the MISP core format's document of one event. */
export interface MispEventDocument {
  Event: MispExportEvent;
}

export interface MispExportOptions {
  /** The organization the incident is attributed to, as the recipient may see it; `uuid` absent: UUIDv5 of its id. */
  organization: { id: string; name: string; uuid?: string };
  /** GREEN: the community it is shared in, written as the SharingGroup (its uuid is a UUIDv5 of the community id). */
  community?: { id: string; name: string };
  /** When the export is produced: `publish_timestamp`. */
  producedAt: Date;
}

/** MISP type and category of each Corridor indicator type. CIDRs are `ip-dst` values, as MISP allows. */
export const MISP_TYPE_OF_INDICATOR: Readonly<Record<IndicatorType, { type: string; category: MispCategory }>> = {
  ipv4: { type: 'ip-dst', category: 'Network activity' },
  ipv6: { type: 'ip-dst', category: 'Network activity' },
  cidr: { type: 'ip-dst', category: 'Network activity' },
  domain: { type: 'domain', category: 'Network activity' },
  url: { type: 'url', category: 'Network activity' },
  email: { type: 'email', category: 'Network activity' },
  md5: { type: 'md5', category: 'Payload delivery' },
  sha1: { type: 'sha1', category: 'Payload delivery' },
  sha256: { type: 'sha256', category: 'Payload delivery' },
  sha512: { type: 'sha512', category: 'Payload delivery' },
  cve: { type: 'vulnerability', category: 'External analysis' },
  asn: { type: 'AS', category: 'Network activity' },
};

/** `tlp:` tag and distribution of each TLP (issue 11 §5); GREEN is 4 with a community, else 1. */
const TLP_EXPORT: Readonly<Record<Tlp, { tag: string; distribution: '0' | '1' | '3' | '4' }>> = {
  CLEAR: { tag: 'tlp:clear', distribution: '3' },
  GREEN: { tag: 'tlp:green', distribution: '4' },
  AMBER: { tag: 'tlp:amber', distribution: '0' },
  'AMBER+STRICT': { tag: 'tlp:amber+strict', distribution: '0' },
  RED: { tag: 'tlp:red', distribution: '0' },
};

const THREAT_LEVEL_OF_SEVERITY: Readonly<Record<Severity, '1' | '2' | '3'>> = {
  critical: '1',
  high: '1',
  medium: '2',
  low: '3',
};

const ANALYSIS_OF_STATUS: Readonly<Record<IncidentStatus, '0' | '1' | '2'>> = {
  new: '0',
  triaged: '0',
  investigating: '1',
  contained: '1',
  resolved: '2',
  closed: '2',
};

/** The UUIDv5 Corridor gives one of its things in MISP, e.g. `mispUuid('incident', id)`. */
export function mispUuid(kind: 'incident' | 'attribute' | 'organization' | 'community', ...parts: string[]): string {
  return uuidv5([kind, ...parts].join('\n'), CORRIDOR_MISP_NAMESPACE);
}

const epoch = (at: Date): string => String(Math.floor(at.getTime() / 1000));

function exportAttribute(incident: Incident, indicator: IncidentIndicator, timestamp: string): MispExportAttribute {
  const { type, category } = MISP_TYPE_OF_INDICATOR[indicator.type];
  const value = indicator.type === 'asn' ? indicator.value.replace(/^AS/i, '') : indicator.value;
  return {
    uuid: mispUuid('attribute', incident.id, type, value),
    type,
    category,
    value,
    to_ids: indicator.forDetection !== false,
    distribution: '5',
    timestamp,
    comment: '',
    ...(indicator.papGiven ? { Tag: [{ name: `PAP:${indicator.pap}` }] } : {}),
  };
}

/**
 * One incident as a MISP event (`{"Event": {…}}`), with UUIDv5s in CORRIDOR_MISP_NAMESPACE (event: the
 * incident id; attribute: incident id, MISP type and value; Orgc: the organization id unless its MISP uuid
 * is given; SharingGroup: the community id) so that exporting again gives the same document.
 *
 * - TLP → tag and distribution: CLEAR `tlp:clear`/3, GREEN `tlp:green`/4 with the community as
 *   SharingGroup (1, "this community only", when no community is given), AMBER `tlp:amber`/0,
 *   AMBER+STRICT `tlp:amber+strict`/0, RED `tlp:red`/0 (the api sends it to its recipients only).
 * - Tags `PAP:<level>`, `rsit:<class>="<type>"`, `corridor:severity="<severity>"`; `threat_level_id`
 *   from severity (critical and high 1, medium 2, low 3); `analysis` from status (new/triaged 0,
 *   investigating/contained 1, resolved/closed 2); `date` the UTC day of `occurredAt`; `timestamp`
 *   `updatedAt` in seconds.
 * - An attribute per indicator (MISP_TYPE_OF_INDICATOR; AS numbers without `AS`), `to_ids` its
 *   `forDetection` (absent: true), distribution 5 (the event's), a `PAP:` tag when the indicator has its own;
 *   the description, when there is one, as a `text` attribute (category Other, not `to_ids`).
 */
export function toMispEvent(incident: Incident, options: MispExportOptions): MispEventDocument {
  const timestamp = epoch(incident.updatedAt);
  const tlp = TLP_EXPORT[incident.tlp];
  const green = incident.tlp === 'GREEN';
  const distribution = green && !options.community ? '1' : tlp.distribution;
  const organisation: MispExportOrganisation = {
    name: options.organization.name,
    uuid: options.organization.uuid ?? mispUuid('organization', options.organization.id),
  };

  const attributes = incident.indicators.map((indicator) => exportAttribute(incident, indicator, timestamp));
  const description = incident.description.trim();
  if (description) {
    attributes.push({
      uuid: mispUuid('attribute', incident.id, 'text', 'description'),
      type: 'text',
      category: 'Other',
      value: description,
      to_ids: false,
      distribution: '5',
      timestamp,
      comment: 'description',
    });
  }

  return {
    Event: {
      uuid: mispUuid('incident', incident.id),
      info: incident.title,
      date: incident.occurredAt.toISOString().slice(0, 10),
      threat_level_id: THREAT_LEVEL_OF_SEVERITY[incident.severity],
      analysis: ANALYSIS_OF_STATUS[incident.status],
      distribution,
      sharing_group_id: '0',
      ...(green && options.community
        ? { SharingGroup: { uuid: mispUuid('community', options.community.id), name: options.community.name } }
        : {}),
      timestamp,
      publish_timestamp: epoch(options.producedAt),
      published: true,
      Orgc: organisation,
      Org: organisation,
      Tag: [
        { name: tlp.tag },
        ...(incident.anonymisedSubmitter ? [{ name: MISP_TLP_CHR_TAG }] : []),
        { name: `PAP:${incident.pap}` },
        { name: `rsit:${incident.classification.class}="${incident.classification.type}"` },
        { name: `corridor:severity="${incident.severity}"` },
      ],
      Attribute: attributes,
    },
  };
}

// ---------------------------------------------------------------- feed

/** One file of a MISP feed: its path inside the feed and its content. */
export interface MispFeedFile {
  path: string;
  content: string;
}

/** An entry of a feed's `manifest.json`, keyed by event uuid. */
export interface MispManifestEntry {
  info: string;
  date: string;
  threat_level_id: string;
  analysis: string;
  timestamp: string;
  Tag: MispExportTag[];
  Orgc: MispExportOrganisation;
  orgc_uuid: string;
}

/**
 * A MISP feed of some events (e.g. one community's): `manifest.json` (event uuid → info, date,
 * threat_level_id, analysis, timestamp, Tag, Orgc and orgc_uuid), `hashes.csv` (a line
 * `<md5 of value>,<event uuid>` per attribute value; each part of a composite `a|b` value on its own line)
 * and `<event uuid>.json` per event. Events sorted by uuid, so the same events give the same files. Pure:
 * the caller writes the files.
 */
export function mispFeed(events: readonly MispEventDocument[]): MispFeedFile[] {
  const sorted = [...events].sort((a, b) => (a.Event.uuid < b.Event.uuid ? -1 : a.Event.uuid > b.Event.uuid ? 1 : 0));
  const manifest: Record<string, MispManifestEntry> = {};
  const hashes: string[] = [];
  for (const { Event: event } of sorted) {
    manifest[event.uuid] = {
      info: event.info,
      date: event.date,
      threat_level_id: event.threat_level_id,
      analysis: event.analysis,
      timestamp: event.timestamp,
      Tag: event.Tag,
      Orgc: event.Orgc,
      orgc_uuid: event.Orgc.uuid,
    };
    for (const attribute of event.Attribute) {
      const parts = attribute.type.includes('|') ? attribute.value.split('|') : [attribute.value];
      for (const part of parts) hashes.push(`${createHash('md5').update(part, 'utf8').digest('hex')},${event.uuid}`);
    }
  }
  return [
    { path: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` },
    { path: 'hashes.csv', content: hashes.map((line) => `${line}\n`).join('') },
    ...sorted.map((document) => ({
      path: `${document.Event.uuid}.json`,
      content: `${JSON.stringify(document, null, 2)}\n`,
    })),
  ];
}
