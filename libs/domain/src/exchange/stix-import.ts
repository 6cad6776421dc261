import type { IndicatorType } from '../indicators';
import type { Severity } from '../incidents/incident';
import { isRsitClass, isRsitType, type Classification } from '../incidents/taxonomy';
import type { Pap } from '../visibility/pap';
import { strictestTlp, type Tlp } from '../visibility/tlp';
import type { ImportedIncident, ImportedIndicator, ImportResult, UnmappedItem } from './imported';
import { CORRIDOR_EXTENSION_ID, tlpFromMarkingId } from './stix';
import { readStixPattern, stixHashType } from './stix-pattern';
import {
  compareStixTimestamps,
  isStixTimestamp,
  STIX_SCO_TYPES,
  validateStixBundle,
  type StixInputObject,
} from './stix-validate';

/**
 * OpenCTI's TLP:AMBER+STRICT: a marking definition of its own (a statement), not one of FIRST's
 * TLP 2.0 ids; read as AMBER+STRICT.
 */
export const OPENCTI_AMBER_STRICT_MARKING_ID = 'marking-definition--826578e1-40ad-459f-bc73-ede076f81f37';

/**
 * The TLP a STIX marking reference stands for on import: FIRST's TLP 2.0 ids; the TLP 1.0 ids with
 * WHITE read as CLEAR; OpenCTI's AMBER+STRICT id; any other marking (a statement, a custom TLP id, a
 * marking this bundle does not define) as AMBER+STRICT, the strictest level short of naming people.
 */
export function tlpOfStixMarking(markingRef: string): Tlp {
  const id = markingRef.toLowerCase();
  if (id === OPENCTI_AMBER_STRICT_MARKING_ID) return 'AMBER+STRICT';
  return tlpFromMarkingId(id) ?? 'AMBER+STRICT';
}

export interface StixImportOptions {
  /**
   * When the document arrived: the incident's `occurredAt` only when the bundle holds no timestamp
   * at all (a bundle of SCOs alone). Defaults to the current time.
   */
  receivedAt?: Date;
}

/** An object of the bundle and its place in `objects`. */
interface Entry {
  object: StixInputObject;
  index: number;
}

/** Objects that describe others (who made them, how they are marked, what extensions mean). */
const METADATA_TYPES: ReadonlySet<string> = new Set([
  'identity',
  'marking-definition',
  'extension-definition',
  'language-content',
]);

const CONTAINER_TYPES: ReadonlySet<string> = new Set(['report', 'grouping']);

/** Corridor's property-extension of an object, as validated by `validateStixBundle`. */
interface CorridorExtension {
  severity?: Severity;
  classification?: string;
  occurred_at?: string;
  external_ref?: string;
  pap?: Pap;
  for_detection?: boolean;
}

function corridorExtension(object: StixInputObject): CorridorExtension {
  const extensions = object.extensions as Record<string, unknown> | undefined;
  if (extensions === undefined || !Object.prototype.hasOwnProperty.call(extensions, CORRIDOR_EXTENSION_ID)) return {};
  return extensions[CORRIDOR_EXTENSION_ID] as CorridorExtension;
}

function strings(object: StixInputObject, property: string): string[] {
  const value = object[property];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function text(object: StixInputObject, property: string): string | undefined {
  const value = object[property];
  return typeof value === 'string' ? value : undefined;
}

function timestampOf(object: StixInputObject, property: string): string | undefined {
  const value = object[property];
  return isStixTimestamp(value) ? value : undefined;
}

function earliest(timestamps: (string | undefined)[]): string | undefined {
  return timestamps
    .filter((t): t is string => t !== undefined)
    .reduce<string | undefined>((a, b) => (a === undefined || compareStixTimestamps(b, a) < 0 ? b : a), undefined);
}

function latest(timestamps: (string | undefined)[]): string | undefined {
  return timestamps
    .filter((t): t is string => t !== undefined)
    .reduce<string | undefined>((a, b) => (a === undefined || compareStixTimestamps(b, a) > 0 ? b : a), undefined);
}

/** Every marking an object carries: `object_marking_refs` and the `marking_ref`s of its granular markings. */
function markingRefs(object: StixInputObject): string[] {
  const granular = Array.isArray(object.granular_markings) ? (object.granular_markings as unknown[]) : [];
  return [
    ...strings(object, 'object_marking_refs'),
    ...granular
      .map((g) => (g as { marking_ref?: unknown }).marking_ref)
      .filter((ref): ref is string => typeof ref === 'string'),
  ];
}

/** `.name`, `['SHA-256']` */
function step(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `['${key}']`;
}

function classificationOf(value: string | undefined): Classification | undefined {
  if (value === undefined) return undefined;
  const [cls, type] = value.split('/');
  return isRsitClass(cls) && isRsitType(cls, type) ? { class: cls, type } : undefined;
}

/** The indicators an SCO holds (with the path of each value inside it), or why it holds none. */
function scoIndicators(object: Record<string, unknown>): { type: IndicatorType; value: string; at: string }[] | string {
  const value = typeof object.value === 'string' ? object.value : undefined;
  switch (object.type) {
    case 'ipv4-addr':
    case 'ipv6-addr':
      if (value === undefined) break;
      return [
        { type: value.includes('/') ? 'cidr' : object.type === 'ipv4-addr' ? 'ipv4' : 'ipv6', value, at: '.value' },
      ];
    case 'domain-name':
      if (value === undefined) break;
      return [{ type: 'domain', value, at: '.value' }];
    case 'url':
      if (value === undefined) break;
      return [{ type: 'url', value, at: '.value' }];
    case 'email-addr':
      if (value === undefined) break;
      return [{ type: 'email', value, at: '.value' }];
    case 'autonomous-system':
      if (typeof object.number !== 'number') break;
      return [{ type: 'asn', value: `AS${object.number}`, at: '.number' }];
    case 'file': {
      const hashes = (object.hashes ?? {}) as Record<string, unknown>;
      const found = Object.keys(hashes).flatMap((key) => {
        const type = stixHashType(key);
        const hash = hashes[key];
        return type !== undefined && typeof hash === 'string' ? [{ type, value: hash, at: `.hashes${step(key)}` }] : [];
      });
      return found.length > 0 ? found : 'file has no MD5, SHA-1, SHA-256 or SHA-512 hash';
    }
  }
  return `Corridor has no indicator type for ${String(object.type)} objects`;
}

/** What one incident (an `incident`, a report/grouping, or the whole bundle) gathers. */
interface Root {
  /** The incident, report or grouping; undefined for the whole bundle. */
  object?: StixInputObject;
  members: Entry[];
}

/** One incident from its root and member objects. */
function buildIncident(bundleId: string, root: Root, receivedAt: Date | undefined): ImportedIncident {
  const object = root.object;
  const extension = object !== undefined ? corridorExtension(object) : {};
  const members = root.members;

  const indicators: ImportedIndicator[] = [];
  const unmapped: UnmappedItem[] = [];
  const seen = new Set<string>();
  const add = (indicator: ImportedIndicator): void => {
    const key = `${indicator.type ?? ''}|${indicator.value.toLowerCase()}`;
    if (seen.has(key)) return;
    seen.add(key);
    indicators.push(indicator);
  };
  const keep = ({ object: kept, index }: Entry, reason: string, path = `objects[${index}]`): void => {
    unmapped.push({ object: kept.id, path, reason, kept });
  };

  const ofType = (...types: string[]) => members.filter((m) => types.includes(m.object.type));

  // Indicators meant for detection first, so the same value seen in observed-data stays one.
  for (const entry of ofType('indicator')) {
    const { object: indicator, index } = entry;
    const own = corridorExtension(indicator);
    const path = `objects[${index}].pattern`;
    if (indicator.revoked === true) {
      keep(entry, 'indicator is revoked');
      continue;
    }
    if (indicator.pattern_type !== 'stix') {
      keep(entry, `pattern_type ${String(indicator.pattern_type)} is not STIX patterning`, path);
      continue;
    }
    const reading = readStixPattern(String(indicator.pattern));
    if (!reading.mapped) {
      keep(entry, reading.reason, path);
      continue;
    }
    for (const { type, value } of reading.indicators) {
      add({
        value,
        type,
        forDetection: own.for_detection ?? true,
        ...(own.pap !== undefined ? { pap: own.pap } : {}),
        origin: path,
      });
    }
  }

  for (const entry of ofType('vulnerability')) {
    const { object: vulnerability, index } = entry;
    const own = corridorExtension(vulnerability);
    if (vulnerability.revoked === true) {
      keep(entry, 'vulnerability is revoked');
      continue;
    }
    const references = Array.isArray(vulnerability.external_references)
      ? (vulnerability.external_references as { source_name?: unknown; external_id?: unknown }[])
      : [];
    const j = references.findIndex(
      (r) =>
        typeof r.source_name === 'string' && r.source_name.toLowerCase() === 'cve' && typeof r.external_id === 'string',
    );
    const name = text(vulnerability, 'name') ?? '';
    const cve =
      j >= 0
        ? {
            value: references[j].external_id as string,
            origin: `objects[${index}].external_references[${j}].external_id`,
          }
        : /^CVE-\d{4}-\d{4,}$/i.test(name.trim())
          ? { value: name.trim(), origin: `objects[${index}].name` }
          : undefined;
    if (cve === undefined) {
      keep(entry, 'vulnerability names no CVE (no external reference with source_name "cve", nor a CVE id as name)');
      continue;
    }
    add({
      ...cve,
      type: 'cve',
      forDetection: own.for_detection ?? true,
      ...(own.pap !== undefined ? { pap: own.pap } : {}),
    });
  }

  // Observables: context, never for detection (unless Corridor's own extension says otherwise).
  const context = (sco: Record<string, unknown>, at: string, entry: Entry): void => {
    const found = scoIndicators(sco);
    if (typeof found === 'string') {
      unmapped.push({ object: entry.object.id, path: at, reason: found, kept: sco });
      return;
    }
    const own = corridorExtension(sco as StixInputObject);
    for (const { type, value, at: inside } of found) {
      add({
        value,
        type,
        forDetection: own.for_detection ?? false,
        ...(own.pap !== undefined ? { pap: own.pap } : {}),
        origin: `${at}${inside}`,
      });
    }
  };
  for (const entry of members) {
    const { object: member, index } = entry;
    if (STIX_SCO_TYPES.has(member.type)) {
      context(member, `objects[${index}]`, entry);
    } else if (member.type === 'observed-data' && typeof member.objects === 'object' && member.objects !== null) {
      // The deprecated embedded form (§4.13 `objects`): observables keyed by local names.
      for (const [key, embedded] of Object.entries(member.objects as Record<string, Record<string, unknown>>)) {
        context(embedded, `objects[${index}].objects${step(key)}`, entry);
      }
    }
  }

  for (const entry of members) {
    const type = entry.object.type;
    if (type === 'indicator' || type === 'vulnerability' || type === 'observed-data' || type === 'relationship')
      continue;
    if (STIX_SCO_TYPES.has(type)) continue;
    if (type === 'sighting') keep(entry, 'sightings are kept as context of the incident');
    else if (CONTAINER_TYPES.has(type)) keep(entry, `${type} is kept as context of the incident`);
    else keep(entry, `Corridor does not map ${type} objects`);
  }

  // TLP: the strictest marking of the root and of every object belonging to it.
  const markings = [object, ...members.map((m) => m.object)]
    .filter((o): o is StixInputObject => o !== undefined)
    .flatMap(markingRefs)
    .map(tlpOfStixMarking);
  const tlp = markings.length > 0 ? strictestTlp(markings) : undefined;

  const all = [object, ...members.map((m) => m.object)].filter((o): o is StixInputObject => o !== undefined);
  const occurred =
    extension.occurred_at ??
    (object !== undefined ? timestampOf(object, 'first_seen') : undefined) ??
    earliest(ofType('observed-data').map((m) => timestampOf(m.object, 'first_observed'))) ??
    (object !== undefined ? timestampOf(object, 'created') : earliest(all.map((o) => timestampOf(o, 'created'))));
  const version =
    object !== undefined
      ? String(object.modified)
      : (latest(all.map((o) => timestampOf(o, 'modified'))) ?? latest(all.map((o) => timestampOf(o, 'created'))) ?? '');
  const classification = classificationOf(extension.classification);

  return {
    externalRef: object?.id ?? bundleId,
    version,
    revoked: object?.revoked === true,
    title:
      (object !== undefined ? text(object, 'name') : undefined) ||
      (object !== undefined ? `STIX ${object.type} ${object.id}` : `STIX bundle ${bundleId}`),
    description: (object !== undefined ? text(object, 'description') : undefined) ?? '',
    occurredAt: occurred !== undefined ? new Date(occurred) : (receivedAt ?? new Date()),
    ...(classification !== undefined ? { classification } : {}),
    ...(extension.severity !== undefined ? { severity: extension.severity } : {}),
    ...(tlp !== undefined ? { tlp } : {}),
    audience: tlp !== undefined ? { kind: 'tlp' } : { kind: 'source-default' },
    ...(extension.pap !== undefined ? { pap: extension.pap } : {}),
    ...(extension.external_ref !== undefined ? { sourceExternalRef: extension.external_ref } : {}),
    indicators,
    unmapped,
  };
}

/**
 * Imports a partner's STIX 2.1 bundle: validates all of it first (`validateStixBundle`; nothing is
 * produced from an invalid bundle), then maps it to incidents to upsert by `externalRef`.
 *
 * Incidents: each `incident` object is one, holding the objects tied to it by relationships (either
 * end), sightings, observed-data, and a report or grouping that refers to it alone; else each report
 * or grouping is one, holding what it refers to and what is tied to that; else the whole bundle is one
 * (`externalRef` the bundle id). Ties are followed from object to object but never into another
 * incident, report or grouping, nor through identities and marking definitions; an object tied to two
 * incidents belongs to both. Of several versions of one object, the latest `modified` counts.
 *
 * Fields: `externalRef` the STIX id, `version` its `modified` (the bundle: the latest `modified` of its
 * objects), `revoked` its `revoked === true`; title the `name`, description the `description`;
 * severity, classification ("class/type"), occurred_at, pap and external_ref (as `sourceExternalRef`)
 * from Corridor's property-extension when present; otherwise `occurredAt` is the object's
 * `first_seen`, else the earliest `first_observed` of its observed-data, else its `created`.
 *
 * TLP: the strictest marking of the incident and of every object belonging to it (`tlpOfStixMarking`:
 * unknown markings count as AMBER+STRICT); no marking at all: `tlp` undefined and audience
 * `source-default`, else audience `tlp`.
 *
 * Indicators: each `indicator` with a STIX pattern `readStixPattern` maps (forDetection true unless
 * Corridor's extension says `for_detection: false`; pap from it); each `vulnerability` naming a CVE
 * (external reference `source_name: "cve"`, else a CVE id as its name); each SCO of a mapped kind
 * (ipv4-addr, ipv6-addr, domain-name, url, email-addr, file hashes, autonomous-system), also embedded in
 * observed-data, not already named by an indicator: forDetection false.
 *
 * Listed as unmapped with the object kept: unmappable or non-STIX patterns, revoked indicators,
 * vulnerabilities without a CVE, SCOs of other kinds, sightings, reports/groupings besides an
 * incident, objects of other types (in their incident); objects tied to no incident (in the
 * result). Identities, marking definitions and extension definitions are read, not listed.
 *
 * @throws DomainError `validation_failed` naming each invalid object and path (see `validateStixBundle`).
 */
export function importStixBundle(document: unknown, options: StixImportOptions = {}): ImportResult {
  const bundle = validateStixBundle(document);

  // The latest version of each object (§3.6: a bundle may hold several versions of one object).
  const byId = new Map<string, Entry>();
  bundle.objects.forEach((object, index) => {
    const known = byId.get(object.id);
    const newer =
      known === undefined ||
      (isStixTimestamp(object.modified) &&
        isStixTimestamp(known.object.modified) &&
        compareStixTimestamps(object.modified, known.object.modified) > 0);
    if (newer) byId.set(object.id, { object, index });
  });
  const entries = [...byId.values()].sort((a, b) => a.index - b.index);

  const incidentIds = new Set(entries.filter((e) => e.object.type === 'incident').map((e) => e.object.id));
  const containers = entries.filter((e) => CONTAINER_TYPES.has(e.object.type));
  const roots: StixInputObject[] =
    incidentIds.size > 0
      ? entries.filter((e) => e.object.type === 'incident').map((e) => e.object)
      : containers.map((e) => e.object);

  if (roots.length === 0) {
    const members = entries.filter((e) => !METADATA_TYPES.has(e.object.type));
    return { incidents: [buildIncident(bundle.id, { members }, options.receivedAt)], unmapped: [] };
  }

  // Ties between the objects of the bundle, both ways.
  const ties = new Map<string, Set<string>>();
  const tie = (a: string, b: string): void => {
    if (!byId.has(a) || !byId.has(b) || a === b) return;
    for (const [from, to] of [
      [a, b],
      [b, a],
    ]) {
      const set = ties.get(from) ?? new Set<string>();
      set.add(to);
      ties.set(from, set);
    }
  };
  for (const { object } of entries) {
    switch (object.type) {
      case 'relationship':
        tie(object.id, String(object.source_ref));
        tie(object.id, String(object.target_ref));
        break;
      case 'sighting':
        tie(object.id, String(object.sighting_of_ref));
        for (const ref of strings(object, 'observed_data_refs')) tie(object.id, ref);
        break;
      case 'observed-data':
        for (const ref of strings(object, 'object_refs')) tie(object.id, ref);
        break;
      case 'report':
      case 'grouping': {
        const refs = strings(object, 'object_refs');
        // With incidents present, a report lends its objects only to the one incident it refers to.
        if (incidentIds.size > 0 && refs.filter((ref) => incidentIds.has(ref)).length !== 1) break;
        for (const ref of refs) tie(object.id, ref);
        break;
      }
    }
  }

  const rootIds = new Set(roots.map((r) => r.id));
  const assigned = new Set<string>();
  const incidents = roots.map((root) => {
    const reached = new Set<string>([root.id]);
    const queue = [root.id];
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const next of ties.get(id) ?? []) {
        if (reached.has(next) || rootIds.has(next)) continue;
        if (METADATA_TYPES.has(byId.get(next)!.object.type)) continue;
        reached.add(next);
        queue.push(next);
      }
    }
    reached.delete(root.id);
    for (const id of reached) assigned.add(id);
    const members = entries.filter((e) => reached.has(e.object.id));
    return buildIncident(bundle.id, { object: root, members }, options.receivedAt);
  });

  const unmapped: UnmappedItem[] = entries
    .filter((e) => !rootIds.has(e.object.id) && !assigned.has(e.object.id) && !METADATA_TYPES.has(e.object.type))
    .map(({ object, index }) => ({
      object: object.id,
      path: `objects[${index}]`,
      reason: `${object.type} is tied to no ${incidentIds.size > 0 ? 'incident' : 'report or grouping'}`,
      kept: object,
    }));
  return { incidents, unmapped };
}
