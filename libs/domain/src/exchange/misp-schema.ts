import { z } from 'zod';
import { DomainError, type FieldError } from '../errors/domain-error';

/*
 * Corridor's own schema of the MISP core format, written from the Internet-Draft
 * draft-dulaunoy-misp-core-format (sections "Event", "Attribute", "Object", "Tag", "Galaxy",
 * "SharingGroup"). It checks strictly what Corridor maps and tolerates any other key, as the draft lets
 * instances add keys. Numbers the draft writes as JSON strings are accepted as numbers too, since
 * hand-written and older exports send both.
 */

/** The draft's attribute categories (section "Attribute", `category`): a closed list. */
export const MISP_CATEGORIES = [
  'Antivirus detection',
  'Artifacts dropped',
  'Attribution',
  'External analysis',
  'Financial fraud',
  'Internal reference',
  'Network activity',
  'Other',
  'Payload delivery',
  'Payload installation',
  'Payload type',
  'Persistence mechanism',
  'Person',
  'Social network',
  'Support Tool',
  'Targeting data',
] as const;
export type MispCategory = (typeof MISP_CATEGORIES)[number];

/** `distribution`: 0 your organisation only, 1 this community only, 2 connected communities, 3 all communities, 4 sharing group, 5 inherit (attributes and objects only). */
export type MispDistribution = 0 | 1 | 2 | 3 | 4 | 5;

/** A digit code written as a JSON string (the draft) or a number, within `[min, max]`. */
const code = <N extends number>(min: number, max: number) =>
  z.union([z.string(), z.number()]).transform((raw, ctx): N => {
    const text = String(raw);
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) {
      ctx.addIssue({ code: 'custom', message: `must be one of ${range(min, max)} (got ${JSON.stringify(raw)})` });
      return z.NEVER;
    }
    return n as N;
  });

const range = (min: number, max: number): string =>
  Array.from({ length: max - min + 1 }, (_, i) => `"${min + i}"`).join(', ');

const uuid = z.guid({ message: 'must be a UUID (8-4-4-4-12 hexadecimal digits)' });

/** `to_ids`: a JSON boolean per the draft; `"0"`/`"1"` (and `0`/`1`) as older exports write it. */
const toIds = z.union([z.boolean(), z.literal(['0', '1']), z.literal([0, 1])], {
  message: 'must be true, false, "0" or "1"',
});

/** `YYYY-MM-DD` naming a day that exists. */
const isoDate = z.string().refine((text) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const day = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}, 'must be a date as YYYY-MM-DD that exists');

/** Seconds since 1970-01-01 UTC, as a string of digits (or a number). */
const epochSeconds = z.union([z.string(), z.number()]).transform((raw, ctx): number => {
  const text = String(raw);
  const n = /^\d{1,12}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'must be seconds since 1970 (a string of digits)' });
    return z.NEVER;
  }
  return n;
});

const nonEmpty = z.string().trim().min(1, 'must not be empty');

export const mispTagSchema = z.looseObject({ name: nonEmpty });
export type MispTag = z.infer<typeof mispTagSchema>;

export const mispSharingGroupSchema = z.looseObject({ uuid, name: z.string().optional() });

export const mispAttributeSchema = z.looseObject({
  uuid,
  type: nonEmpty,
  category: z.enum(MISP_CATEGORIES, {
    message: `must be one of the draft's categories (${MISP_CATEGORIES.join(', ')})`,
  }),
  value: nonEmpty,
  to_ids: toIds,
  /** Absent: inherit (5). */
  distribution: code<MispDistribution>(0, 5).optional(),
  sharing_group_id: z.union([z.string(), z.number()]).optional(),
  SharingGroup: mispSharingGroupSchema.optional(),
  comment: z.string().optional(),
  deleted: z.boolean().optional(),
  Tag: z.array(mispTagSchema).optional(),
});
export type MispAttribute = z.infer<typeof mispAttributeSchema>;

export const mispObjectSchema = z.looseObject({
  name: nonEmpty,
  'meta-category': z.string().optional(),
  uuid,
  distribution: code<MispDistribution>(0, 5).optional(),
  sharing_group_id: z.union([z.string(), z.number()]).optional(),
  comment: z.string().optional(),
  deleted: z.boolean().optional(),
  Attribute: z.array(mispAttributeSchema).optional(),
});
export type MispObject = z.infer<typeof mispObjectSchema>;

export const mispGalaxySchema = z.looseObject({
  uuid: uuid.optional(),
  name: nonEmpty,
  type: z.string().optional(),
  GalaxyCluster: z
    .array(z.looseObject({ uuid: uuid.optional(), value: z.string(), tag_name: z.string().optional() }))
    .optional(),
});
export type MispGalaxy = z.infer<typeof mispGalaxySchema>;

export const mispEventSchema = z.looseObject({
  uuid,
  info: nonEmpty,
  date: isoDate,
  /** 1 High, 2 Medium, 3 Low, 4 Undefined. */
  threat_level_id: code<1 | 2 | 3 | 4>(1, 4).optional(),
  /** 0 Initial, 1 Ongoing, 2 Complete. */
  analysis: code<0 | 1 | 2>(0, 2).optional(),
  /** An event's distribution is 0–4 (5, inherit, exists only below the event). */
  distribution: code<0 | 1 | 2 | 3 | 4>(0, 4),
  sharing_group_id: z.union([z.string(), z.number()]).optional(),
  SharingGroup: mispSharingGroupSchema.optional(),
  timestamp: epochSeconds,
  published: z.boolean().optional(),
  Orgc: z.looseObject({ uuid: uuid.optional(), name: z.string().optional() }).optional(),
  Tag: z.array(mispTagSchema).optional(),
  Attribute: z.array(mispAttributeSchema).optional(),
  Object: z.array(mispObjectSchema).optional(),
  Galaxy: z.array(mispGalaxySchema).optional(),
});
export type MispEvent = z.infer<typeof mispEventSchema>;

/** An event as found in the document, with the JSON path it was found at (`Event`, `response[2].Event`). */
export interface LocatedMispEvent {
  path: string;
  event: MispEvent;
}

const MAX_FIELD_ERRORS = 20;

/** `['Attribute', 3, 'type']` under `Event` → `Event.Attribute[3].type`. */
export function jsonPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else {
      const name = String(key);
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${out ? '.' : ''}${name}` : `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(fields: FieldError[]): DomainError {
  const shown = fields.slice(0, MAX_FIELD_ERRORS);
  const first = shown[0];
  return new DomainError('validation_failed', `Not a valid MISP document: ${first.field} ${first.message}`, {
    fields: shown,
    ...(fields.length > shown.length ? { omittedFields: fields.length - shown.length } : {}),
  });
}

/**
 * The events of a MISP document: `{"Event": {…}}` (one event) or `{"response": [{"Event": {…}}, …]}`
 * (a MISP search result: several). Each event is checked against the draft; unknown keys are kept.
 *
 * @throws DomainError `validation_failed` with one `{field, message}` per problem (at most 20, the rest
 * counted in `omittedFields`), `field` being the JSON path, e.g. `Event.Attribute[3].type` or
 * `response[1].Event.date`. Nothing is returned when any event is invalid.
 */
export function parseMispEvents(document: unknown): LocatedMispEvent[] {
  let located: { path: string; raw: unknown }[];
  if (isRecord(document) && 'Event' in document) {
    located = [{ path: 'Event', raw: document.Event }];
  } else if (isRecord(document) && 'response' in document) {
    if (!Array.isArray(document.response)) {
      throw invalid([{ field: 'response', message: 'must be an array of {"Event": {…}}' }]);
    }
    const fields: FieldError[] = [];
    located = document.response.flatMap((item: unknown, i) => {
      if (isRecord(item) && 'Event' in item) return [{ path: `response[${i}].Event`, raw: item.Event }];
      fields.push({ field: `response[${i}]`, message: 'must be an object with an "Event" key' });
      return [];
    });
    if (fields.length > 0) throw invalid(fields);
  } else {
    throw invalid([
      {
        field: '(document)',
        message: 'is not a MISP event: expected {"Event": {…}} or {"response": [{"Event": {…}}]}',
      },
    ]);
  }

  const fields: FieldError[] = [];
  const events: LocatedMispEvent[] = [];
  for (const { path, raw } of located) {
    const parsed = mispEventSchema.safeParse(raw);
    if (parsed.success) events.push({ path, event: parsed.data });
    else
      for (const issue of parsed.error.issues)
        fields.push({ field: jsonPath(path, issue.path), message: issue.message });
  }
  if (fields.length > 0) throw invalid(fields);
  return events;
}
