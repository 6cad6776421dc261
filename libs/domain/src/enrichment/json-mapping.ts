/**
 * A generic "HTTP JSON" provider's response mapping: each output field names a dotted path into the
 * provider's JSON answer (`data.attributes.reputation`, `results.0.country`; a numeric segment
 * indexes an array). Only scalars are kept: a path ending on an object or array maps to null.
 */
export type JsonMapping = Readonly<Record<string, readonly string[]>>;

export type MappedValue = string | number | boolean | null;

const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const SEGMENT = /^[A-Za-z0-9_-]{1,100}$/;
const MAX_FIELDS = 20;

/**
 * Checks a mapping as configured (`{"field": "dotted.path", …}`): 1 to 20 fields, names of letters,
 * digits and '_' starting with a letter, paths of 1 to 10 segments of letters, digits, '_' and '-'.
 * Returns the compiled mapping, or a message naming what is wrong.
 */
export function parseJsonMapping(raw: unknown): { ok: true; mapping: JsonMapping } | { ok: false; message: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, message: 'must be a JSON object of field → dotted path' };
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0 || entries.length > MAX_FIELDS)
    return { ok: false, message: `must map 1 to ${MAX_FIELDS} fields` };
  const mapping: Record<string, string[]> = {};
  for (const [field, path] of entries) {
    if (!FIELD.test(field)) return { ok: false, message: `field name '${field}' is not letters, digits and _` };
    if (typeof path !== 'string') return { ok: false, message: `path of '${field}' must be a string` };
    const segments = path.split('.');
    if (segments.length > 10 || !segments.every((segment) => SEGMENT.test(segment)))
      return { ok: false, message: `path of '${field}' must be 1 to 10 dot-separated names` };
    mapping[field] = segments;
  }
  return { ok: true, mapping };
}

function follow(json: unknown, path: readonly string[]): unknown {
  let at: unknown = json;
  for (const segment of path) {
    if (Array.isArray(at) && /^\d+$/.test(segment)) at = at[Number(segment)];
    else if (typeof at === 'object' && at !== null && !Array.isArray(at) && Object.hasOwn(at, segment))
      at = (at as Record<string, unknown>)[segment];
    else return undefined;
  }
  return at;
}

/** Strings longer than this are cut: a provider's answer is shown to analysts, not archived. */
const MAX_STRING = 500;

/** The mapped fields of a provider's answer: every field of the mapping, null where absent or not a scalar. */
export function applyJsonMapping(json: unknown, mapping: JsonMapping): Record<string, MappedValue> {
  const out: Record<string, MappedValue> = {};
  for (const [field, path] of Object.entries(mapping)) {
    const value = follow(json, path);
    if (typeof value === 'string') out[field] = value.slice(0, MAX_STRING);
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') out[field] = value;
    else out[field] = null;
  }
  return out;
}
