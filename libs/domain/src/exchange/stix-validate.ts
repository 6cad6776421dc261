import { isIPv4, isIPv6 } from 'node:net';
import { z } from 'zod';
import { DomainError, type FieldError } from '../errors/domain-error';
import { INCIDENT_STATES, SEVERITIES } from '../incidents/incident';
import { isRsitClass, isRsitType } from '../incidents/taxonomy';
import { PAP_LEVELS } from '../visibility/pap';
import { CORRIDOR_EXTENSION_ID, TLP1_MARKING_IDS, TLP2_EXTENSION_ID, TLP2_MARKING_IDS } from './stix';

/*
 * Validation of STIX 2.1 bundles a partner sends, written from the property tables of the STIX 2.1
 * specification (OASIS Standard, 10 June 2021): §2 (data types), §3 (common properties), §4 (SDOs),
 * §5 (SROs), §6 (SCOs), §7 (marking definitions, extension definitions), §8 (bundle).
 */

/** The most objects one bundle may hold: larger documents are refused rather than half processed. */
export const STIX_MAX_OBJECTS = 10_000;

/** At most this many problems are listed in the error; the rest are counted in `omittedFields`. */
const MAX_REPORTED_PROBLEMS = 100;

/** A STIX object that passed validation: its own properties as the partner sent them. */
export interface StixInputObject {
  type: string;
  id: string;
  [property: string]: unknown;
}

/** A bundle that passed validation (§8): every object checked against its type's schema. */
export interface ValidatedStixBundle {
  type: 'bundle';
  id: string;
  objects: StixInputObject[];
}

// ---------------------------------------------------------------- identifiers and timestamps

/**
 * `<type>--<UUID>` (§2.9): the type part follows the type-name rules (§2.7: 3–250 characters, a–z,
 * 0–9 and hyphens), the UUID is an RFC 4122 UUID of versions 1–5 with the RFC 4122 variant.
 */
const IDENTIFIER_RE =
  /^([a-z0-9][a-z0-9-]{1,248}[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** Type names (§2.7): 3–250 characters of a–z, 0–9 and hyphens. */
const TYPE_NAME_RE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;

/** The type part of an identifier, e.g. `indicator` for `indicator--…`; undefined when it is none. */
export function stixIdType(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const m = IDENTIFIER_RE.exec(id);
  return m ? m[1].toLowerCase() : undefined;
}

/** RFC 3339 timestamps in UTC (§2.13): `YYYY-MM-DDTHH:MM:SS[.s+]Z`. */
const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * True when `value` is a STIX timestamp (§2.13: RFC 3339, UTC, `Z`, any sub-second precision) that
 * names a real instant: `2026-02-30T…` and `…T25:00:00Z` are refused. Leap seconds (`:60`) are
 * refused too: they cannot be ordered against other instants by the importer.
 */
export function isStixTimestamp(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = TIMESTAMP_RE.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

/**
 * Orders two valid STIX timestamps at full precision (sub-millisecond digits included): negative
 * when `a` is earlier, 0 when equal, positive when later.
 */
export function compareStixTimestamps(a: string, b: string): number {
  const head = (t: string) => t.slice(0, 19);
  if (head(a) !== head(b)) return head(a) < head(b) ? -1 : 1;
  const fraction = (t: string) => (t.length > 20 ? t.slice(20, -1) : '');
  const fa = fraction(a);
  const fb = fraction(b);
  const width = Math.max(fa.length, fb.length);
  const pa = fa.padEnd(width, '0');
  const pb = fb.padEnd(width, '0');
  return pa === pb ? 0 : pa < pb ? -1 : 1;
}

// ---------------------------------------------------------------- object categories

/** The STIX Domain Objects of §4. */
export const STIX_SDO_TYPES: ReadonlySet<string> = new Set([
  'attack-pattern',
  'campaign',
  'course-of-action',
  'grouping',
  'identity',
  'incident',
  'indicator',
  'infrastructure',
  'intrusion-set',
  'location',
  'malware',
  'malware-analysis',
  'note',
  'observed-data',
  'opinion',
  'report',
  'threat-actor',
  'tool',
  'vulnerability',
]);

/** The STIX Cyber-observable Objects of §6. */
export const STIX_SCO_TYPES: ReadonlySet<string> = new Set([
  'artifact',
  'autonomous-system',
  'directory',
  'domain-name',
  'email-addr',
  'email-message',
  'file',
  'ipv4-addr',
  'ipv6-addr',
  'mac-addr',
  'mutex',
  'network-traffic',
  'process',
  'software',
  'url',
  'user-account',
  'windows-registry-key',
  'x509-certificate',
]);

const SRO_TYPES: ReadonlySet<string> = new Set(['relationship', 'sighting']);
const META_TYPES: ReadonlySet<string> = new Set([
  'marking-definition',
  'extension-definition',
  'language-content',
  'bundle',
]);

/** An SDO, known or custom (a type that is no known SCO, SRO or meta object). */
const isSdoLike = (type: string) => !STIX_SCO_TYPES.has(type) && !SRO_TYPES.has(type) && !META_TYPES.has(type);
/** What a relationship may join (§5.1): SDOs and SCOs, known or custom. */
const isSdoOrSco = (type: string) => !SRO_TYPES.has(type) && !META_TYPES.has(type);
/** What observed-data may refer to (§4.13): SCOs and SROs, known or custom (no known SDO or meta object). */
const isScoOrSro = (type: string) => !STIX_SDO_TYPES.has(type) && !META_TYPES.has(type);

// ---------------------------------------------------------------- property schemas

const nonEmptyString = z.string().min(1, 'must not be empty');

const timestamp = z.string().refine(isStixTimestamp, {
  message: 'must be an RFC 3339 UTC timestamp of a real instant, e.g. 2026-11-24T08:30:00.000Z',
});

const identifier = z.string().refine((id) => stixIdType(id) !== undefined, {
  message: 'must be an identifier <type>--<RFC 4122 UUID of versions 1-5>',
});

/** An identifier whose type part satisfies `accepts` (§2.9: refs are checked by their type part). */
function refTo(accepts: (type: string) => boolean, what: string) {
  return z.string().superRefine((id, ctx) => {
    const type = stixIdType(id);
    if (type === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be an identifier <type>--<RFC 4122 UUID of versions 1-5>' });
    } else if (!accepts(type)) {
      ctx.addIssue({ code: 'custom', message: `must refer to ${what}, not ${type}` });
    }
  });
}

const refOf = (...types: string[]) => refTo((type) => types.includes(type), types.join(' or '));

/** A list property (§2.8): STIX lists must not be empty. */
const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must not be an empty list');

const HASH_HEX_LENGTHS: ReadonlyMap<string, number> = new Map([
  ['MD5', 32],
  ['SHA-1', 40],
  ['SHA-256', 64],
  ['SHA-512', 128],
  ['SHA3-256', 64],
  ['SHA3-512', 128],
]);

/** `hashes` (§2.5, hash-algorithm-ov, open): the algorithms the vocabulary lists are checked as hex. */
const hashes = z
  .record(
    z.string().regex(/^[A-Za-z0-9_-]{3,250}$/, 'must be a hash algorithm name of 3-250 characters'),
    nonEmptyString,
  )
  .superRefine((dict, ctx) => {
    const keys = Object.keys(dict);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'must hold at least one hash' });
    for (const key of keys) {
      const length = HASH_HEX_LENGTHS.get(key);
      if (length !== undefined && !new RegExp(`^[0-9a-fA-F]{${length}}$`).test(dict[key])) {
        ctx.addIssue({ code: 'custom', path: [key], message: `must be ${length} hexadecimal digits` });
      }
    }
  });

/** §2.5: `source_name` and at least one of `description`, `url`, `external_id`. */
const externalReference = z
  .looseObject({
    source_name: nonEmptyString,
    description: z.string().optional(),
    url: z.string().optional(),
    hashes: hashes.optional(),
    external_id: z.string().optional(),
  })
  .refine((r) => r.description !== undefined || r.url !== undefined || r.external_id !== undefined, {
    message: 'needs a description, url or external_id besides source_name',
  });

const killChainPhase = z.looseObject({ kill_chain_name: nonEmptyString, phase_name: nonEmptyString });

/** §7.2.3: a marking reference or a language, and the selectors it applies to. */
const granularMarking = z
  .looseObject({
    lang: z.string().optional(),
    marking_ref: refOf('marking-definition').optional(),
    selectors: list(nonEmptyString),
  })
  .refine((g) => (g.lang === undefined) !== (g.marking_ref === undefined), {
    message: 'needs exactly one of lang and marking_ref',
  });

/** extension-type-enum (§7.3, closed). */
export const STIX_EXTENSION_TYPES = [
  'new-sdo',
  'new-sco',
  'new-sro',
  'property-extension',
  'toplevel-property-extension',
] as const;

/** Corridor's property-extension: what it may hold on any object (see `CorridorIncidentProperties`). */
const corridorExtension = z.looseObject({
  extension_type: z.literal('property-extension'),
  severity: z.enum(SEVERITIES).optional(),
  classification: z
    .string()
    .refine(
      (c) => {
        const [cls, type, ...rest] = c.split('/');
        return rest.length === 0 && isRsitClass(cls) && isRsitType(cls, type);
      },
      { message: 'must be an RSIT "class/type", e.g. fraud/phishing' },
    )
    .optional(),
  occurred_at: timestamp.optional(),
  state: z.enum(INCIDENT_STATES).optional(),
  external_ref: z.string().optional(),
  pap: z.enum(PAP_LEVELS).optional(),
  for_detection: z.boolean().optional(),
  organization_kind: z.enum(['cert', 'agency']).optional(),
});

/** The `tlp_2_0` property-extension of FIRST's TLP 2.0 marking definitions. */
export const TLP2_VALUES = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
const tlp2Extension = z.looseObject({
  extension_type: z.literal('property-extension'),
  tlp_2_0: z.enum(TLP2_VALUES),
});

/**
 * `extensions` (§3.2, §7.3): keyed by an extension-definition id, or by the name of a predefined
 * extension (`…-ext`, §6); each value an object whose `extension_type`, when given, is one of the
 * closed vocabulary. Corridor's own extension and FIRST's TLP 2.0 extension are checked in full.
 */
const extensions = z.record(z.string(), z.unknown()).superRefine((dict, ctx) => {
  for (const [key, value] of Object.entries(dict)) {
    const isDefinitionId = stixIdType(key) === 'extension-definition';
    if (!isDefinitionId && !/^[a-z0-9-]+-ext$/.test(key)) {
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'must be keyed by an extension-definition id or a predefined extension name ending in -ext',
      });
      continue;
    }
    const schema =
      key === CORRIDOR_EXTENSION_ID
        ? corridorExtension
        : key === TLP2_EXTENSION_ID
          ? tlp2Extension
          : z.looseObject({ extension_type: z.enum(STIX_EXTENSION_TYPES).optional() });
    const result = schema.safeParse(value, { error: requiredMessage });
    if (!result.success) {
      for (const issue of result.error.issues) {
        ctx.addIssue({ code: 'custom', path: [key, ...issue.path], message: issue.message });
      }
    }
  }
});

// ---------------------------------------------------------------- common properties

/** Common properties of SDOs and SROs (§3.2). */
const sdoCommon = {
  type: z.string(),
  spec_version: z.literal('2.1'),
  id: identifier,
  created_by_ref: refOf('identity').optional(),
  created: timestamp,
  modified: timestamp,
  revoked: z.boolean().optional(),
  labels: list(nonEmptyString).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  lang: z.string().optional(),
  external_references: list(externalReference).optional(),
  object_marking_refs: list(refOf('marking-definition')).optional(),
  granular_markings: list(granularMarking).optional(),
  extensions: extensions.optional(),
};

/** Common properties of SCOs (§3.2, §6): no created/modified; `spec_version` optional. */
const scoCommon = {
  type: z.string(),
  spec_version: z.literal('2.1').optional(),
  id: identifier,
  object_marking_refs: list(refOf('marking-definition')).optional(),
  granular_markings: list(granularMarking).optional(),
  defanged: z.boolean().optional(),
  extensions: extensions.optional(),
};

/** An object of a type this importer does not know: the common properties, all checked when present. */
const unknownObject = z.looseObject({
  ...sdoCommon,
  spec_version: z.literal('2.1').optional(),
  created: timestamp.optional(),
  modified: timestamp.optional(),
});

// ---------------------------------------------------------------- per-type schemas

const ipValue = (version: 4 | 6) =>
  z.string().refine(
    (value) => {
      const [address, prefix, ...rest] = value.split('/');
      if (rest.length > 0 || !(version === 4 ? isIPv4(address) : isIPv6(address))) return false;
      if (prefix === undefined) return true;
      return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
    },
    { message: `must be an IPv${version} address or CIDR block` },
  );

const sco = (shape: z.ZodRawShape) => z.looseObject({ ...scoCommon, ...shape });
const sdo = (shape: z.ZodRawShape) => z.looseObject({ ...sdoCommon, ...shape });

const markingDefinition = z
  .looseObject({
    type: z.string(),
    spec_version: z.literal('2.1'),
    id: identifier,
    created_by_ref: refOf('identity').optional(),
    created: timestamp,
    external_references: list(externalReference).optional(),
    object_marking_refs: list(refOf('marking-definition')).optional(),
    granular_markings: list(granularMarking).optional(),
    extensions: extensions.optional(),
    name: z.string().optional(),
    definition_type: nonEmptyString.optional(),
    definition: z.record(z.string(), z.unknown()).optional(),
  })
  .superRefine((m, ctx) => {
    const tlp2 = m.extensions?.[TLP2_EXTENSION_ID] as { tlp_2_0?: string } | undefined;
    if (m.definition_type === undefined && m.extensions === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['definition_type'],
        message: 'is required unless an extension defines the marking',
      });
    }
    if (m.definition_type !== undefined && m.definition === undefined) {
      ctx.addIssue({ code: 'custom', path: ['definition'], message: 'is required with definition_type' });
    }
    // §7.2.1.3 and §7.2.1.4: the two predefined definition types have closed contents.
    if (m.definition_type === 'tlp' && m.definition !== undefined) {
      const tlp = m.definition.tlp;
      if (tlp !== 'white' && tlp !== 'green' && tlp !== 'amber' && tlp !== 'red') {
        ctx.addIssue({ code: 'custom', path: ['definition', 'tlp'], message: 'must be white, green, amber or red' });
      }
    }
    if (m.definition_type === 'statement' && m.definition !== undefined) {
      if (typeof m.definition.statement !== 'string' || m.definition.statement === '') {
        ctx.addIssue({ code: 'custom', path: ['definition', 'statement'], message: 'must be a non-empty string' });
      }
    }
    // A marking under a predefined TLP id must say the level its id stands for.
    const tlp1 = Object.entries(TLP1_MARKING_IDS).find(([, id]) => id === m.id)?.[0];
    if (tlp1 !== undefined && (m.definition_type !== 'tlp' || m.definition?.tlp !== tlp1.toLowerCase())) {
      ctx.addIssue({
        code: 'custom',
        path: ['definition'],
        message: `must be the TLP 1.0 ${tlp1} definition its id stands for`,
      });
    }
    const tlp2Level = Object.entries(TLP2_MARKING_IDS).find(([, id]) => id === m.id)?.[0];
    if (tlp2Level !== undefined && tlp2?.tlp_2_0 !== tlp2Level.toLowerCase()) {
      ctx.addIssue({
        code: 'custom',
        path: ['extensions', TLP2_EXTENSION_ID, 'tlp_2_0'],
        message: `must be ${tlp2Level.toLowerCase()}, the TLP 2.0 level its id stands for`,
      });
    }
  });

const extensionDefinition = z.looseObject({
  ...sdoCommon,
  created_by_ref: refOf('identity'),
  name: nonEmptyString,
  description: z.string().optional(),
  schema: nonEmptyString,
  version: nonEmptyString,
  extension_types: list(z.enum(STIX_EXTENSION_TYPES)),
  extension_properties: list(nonEmptyString).optional(),
});

const withObjectRefs = { object_refs: list(identifier) };

const observedData = sdo({
  first_observed: timestamp,
  last_observed: timestamp,
  number_observed: z.number().int().min(1).max(999_999_999),
  object_refs: list(refTo(isScoOrSro, 'an SCO or SRO')).optional(),
  objects: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
}).superRefine((o, ctx) => {
  if ((o.object_refs === undefined) === (o.objects === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['object_refs'], message: 'needs exactly one of object_refs and objects' });
  }
});

/** The schema of each type this importer knows; any other type is checked by its common properties. */
const SCHEMAS: ReadonlyMap<string, z.ZodType> = new Map(
  Object.entries({
    identity: sdo({
      name: nonEmptyString,
      description: z.string().optional(),
      roles: list(z.string()).optional(),
      identity_class: z.string().optional(),
      sectors: list(z.string()).optional(),
      contact_information: z.string().optional(),
    }),
    'marking-definition': markingDefinition,
    'extension-definition': extensionDefinition,
    incident: sdo({
      name: nonEmptyString,
      description: z.string().optional(),
      kill_chain_phases: list(killChainPhase).optional(),
    }),
    report: sdo({
      name: nonEmptyString,
      description: z.string().optional(),
      report_types: list(nonEmptyString).optional(),
      published: timestamp,
      ...withObjectRefs,
    }),
    grouping: sdo({
      name: z.string().optional(),
      description: z.string().optional(),
      context: nonEmptyString,
      ...withObjectRefs,
    }),
    indicator: sdo({
      name: z.string().optional(),
      description: z.string().optional(),
      indicator_types: list(nonEmptyString).optional(),
      pattern: nonEmptyString,
      pattern_type: nonEmptyString,
      pattern_version: z.string().optional(),
      valid_from: timestamp,
      valid_until: timestamp.optional(),
      kill_chain_phases: list(killChainPhase).optional(),
    }),
    'observed-data': observedData,
    sighting: sdo({
      description: z.string().optional(),
      first_seen: timestamp.optional(),
      last_seen: timestamp.optional(),
      count: z.number().int().min(0).max(999_999_999).optional(),
      sighting_of_ref: refTo(isSdoLike, 'an SDO'),
      observed_data_refs: list(refOf('observed-data')).optional(),
      where_sighted_refs: list(refOf('identity', 'location')).optional(),
      summary: z.boolean().optional(),
    }),
    relationship: sdo({
      relationship_type: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'),
      description: z.string().optional(),
      source_ref: refTo(isSdoOrSco, 'an SDO or SCO'),
      target_ref: refTo(isSdoOrSco, 'an SDO or SCO'),
      start_time: timestamp.optional(),
      stop_time: timestamp.optional(),
    }),
    vulnerability: sdo({ name: nonEmptyString, description: z.string().optional() }),
    'ipv4-addr': sco({
      value: ipValue(4),
      resolves_to_refs: list(refOf('mac-addr')).optional(),
      belongs_to_refs: list(refOf('autonomous-system')).optional(),
    }),
    'ipv6-addr': sco({
      value: ipValue(6),
      resolves_to_refs: list(refOf('mac-addr')).optional(),
      belongs_to_refs: list(refOf('autonomous-system')).optional(),
    }),
    'domain-name': sco({
      value: nonEmptyString,
      resolves_to_refs: list(refOf('ipv4-addr', 'ipv6-addr', 'domain-name')).optional(),
    }),
    url: sco({ value: nonEmptyString }),
    'email-addr': sco({
      value: nonEmptyString,
      display_name: z.string().optional(),
      belongs_to_ref: refOf('user-account').optional(),
    }),
    file: sco({
      hashes: hashes.optional(),
      size: z.number().int().min(0).optional(),
      name: z.string().optional(),
      name_enc: z.string().optional(),
      magic_number_hex: z.string().optional(),
      mime_type: z.string().optional(),
      ctime: timestamp.optional(),
      mtime: timestamp.optional(),
      atime: timestamp.optional(),
      parent_directory_ref: refOf('directory').optional(),
      contains_refs: list(identifier).optional(),
      content_ref: refOf('artifact').optional(),
    }).refine((f) => f.hashes !== undefined || f.name !== undefined, {
      message: 'needs hashes or a name',
      path: ['hashes'],
    }),
    'autonomous-system': sco({
      number: z.number().int().min(0).max(4_294_967_295),
      name: z.string().optional(),
      rir: z.string().optional(),
    }),
  }),
);

/** Pairs of timestamps the specification orders: [earlier, later, whether equal is allowed]. */
const ORDERS: readonly [string, string, boolean][] = [
  ['created', 'modified', true],
  ['valid_from', 'valid_until', false],
  ['first_observed', 'last_observed', true],
  ['first_seen', 'last_seen', true],
  ['start_time', 'stop_time', false],
];

// ---------------------------------------------------------------- validation

function requiredMessage(issue: { code?: string; input?: unknown }): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a.b[0]['extension-definition--…'].c` for a JSON path. */
function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((key) =>
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_][A-Za-z0-9_]*$/.test(String(key))
          ? `.${String(key)}`
          : `['${String(key)}']`,
    )
    .join('');
}

/** `objects[3] (indicator--…)`: the object's place, and its id when it has a valid one. */
function objectLabel(index: number, object: unknown): string {
  const id = isPlainObject(object) ? object.id : undefined;
  return stixIdType(id) !== undefined ? `objects[${index}] (${String(id)})` : `objects[${index}]`;
}

function objectProblems(object: unknown, index: number): FieldError[] {
  const label = objectLabel(index, object);
  const at = (path: readonly PropertyKey[], message: string): FieldError => ({
    field: `${label}${pathText(path)}`,
    message,
  });
  if (!isPlainObject(object)) return [at([], 'must be a STIX object (a JSON object)')];
  const type = object.type;
  if (type === undefined) return [at(['type'], 'is required')];
  if (typeof type !== 'string' || !TYPE_NAME_RE.test(type)) {
    return [at(['type'], 'must be a type name of 3-250 characters: a-z, 0-9 and hyphens')];
  }

  const problems: FieldError[] = [];
  const schema = SCHEMAS.get(type) ?? unknownObject;
  const result = schema.safeParse(object, { error: requiredMessage });
  if (!result.success) for (const issue of result.error.issues) problems.push(at(issue.path, issue.message));

  const idType = stixIdType(object.id);
  if (idType !== undefined && idType !== type) {
    problems.push(at(['id'], `must start with its type "${type}--", not "${idType}--"`));
  }
  for (const [earlier, later, equalAllowed] of ORDERS) {
    const a = object[earlier];
    const b = object[later];
    if (!isStixTimestamp(a) || !isStixTimestamp(b)) continue;
    const order = compareStixTimestamps(a, b);
    if (order > 0 || (order === 0 && !equalAllowed)) {
      problems.push(at([later], `must be ${equalAllowed ? 'at or after' : 'after'} ${earlier} (${a})`));
    }
  }
  return problems;
}

function refuse(problems: FieldError[]): never {
  const shown = problems.slice(0, MAX_REPORTED_PROBLEMS);
  const omitted = problems.length - shown.length;
  const first = shown[0];
  throw new DomainError(
    'validation_failed',
    `The STIX bundle is invalid: ${first.field} ${first.message}` +
      (problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''),
    omitted > 0 ? { fields: shown, omittedFields: omitted } : { fields: shown },
  );
}

/**
 * Validates a partner's document as a STIX 2.1 bundle (§8: `type: "bundle"`, `id: bundle--<uuid>`,
 * a non-empty `objects` list of at most STIX_MAX_OBJECTS) and every object in it by its `type`:
 *
 * - all: the common properties of §3.2 (`spec_version` "2.1" on SDOs, SROs and markings; `id`
 *   `<type>--<RFC 4122 UUID v1–5>` whose type part is `type`; `created`/`modified` real UTC instants
 *   with `modified` ≥ `created`; `created_by_ref` → identity; `object_marking_refs` →
 *   marking-definition; `external_references`, `labels`, `revoked`, `granular_markings`, `extensions`
 *   with the closed `extension_type` vocabulary);
 * - identity, marking-definition (TLP 1.0 `tlp`, `statement`, TLP 2.0 extension form; a predefined
 *   TLP id must carry its own level), extension-definition, incident, report, grouping, indicator
 *   (`valid_until` > `valid_from`), observed-data, sighting, relationship, vulnerability, and the SCOs
 *   ipv4-addr, ipv6-addr, domain-name, url, email-addr, file, autonomous-system: their property tables
 *   (§4–§7), refs checked by the type part of the id they hold (the target need not be in the bundle);
 * - any other type: only the common properties (it is kept and listed as unmapped by the importer).
 *
 * Open vocabularies (report_types, indicator_types, pattern_type, identity_class, hash names …) are
 * accepted as strings; closed ones (extension_type, TLP 1.0 `definition.tlp`, `tlp_2_0`) enforced.
 * Custom properties are kept as they are.
 *
 * @returns the bundle, typed; nothing is changed.
 * @throws DomainError `validation_failed` listing every problem (up to 100; the rest counted in
 *   `omittedFields`) as `{ field, message }`, `field` naming the object and the JSON path, e.g.
 *   `objects[3] (indicator--…).valid_from`.
 */
export function validateStixBundle(document: unknown): ValidatedStixBundle {
  if (!isPlainObject(document)) {
    refuse([{ field: '(document)', message: 'must be a STIX bundle: a JSON object with "type": "bundle"' }]);
  }
  const head: FieldError[] = [];
  if (document.type !== 'bundle') {
    head.push({
      field: 'type',
      message: document.type === undefined ? 'is required and must be "bundle"' : 'must be "bundle"',
    });
  }
  if (stixIdType(document.id) !== 'bundle') {
    head.push({ field: 'id', message: 'must be an identifier bundle--<RFC 4122 UUID of versions 1-5>' });
  }
  const objects = document.objects;
  if (!Array.isArray(objects)) {
    head.push({ field: 'objects', message: 'is required and must be a list of STIX objects' });
  } else if (objects.length === 0) {
    head.push({ field: 'objects', message: 'must not be empty (STIX has no empty bundle)' });
  } else if (objects.length > STIX_MAX_OBJECTS) {
    head.push({ field: 'objects', message: `must hold at most ${STIX_MAX_OBJECTS} objects, not ${objects.length}` });
  }
  if (head.length > 0) refuse(head);

  const items = objects as unknown[];
  const problems = items.flatMap((object, index) => objectProblems(object, index));
  if (problems.length > 0) refuse(problems);
  return { type: 'bundle', id: document.id as string, objects: items as StixInputObject[] };
}
