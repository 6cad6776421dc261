import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * TAXII 2.1 (OASIS Committee Specification 01 / OASIS Standard, 2021) server rules that need no I/O:
 * media types, `date_added` timestamps in microseconds, the query parameters of the collection
 * endpoints, the signed `next` cursor and the selection of entries by version.
 */

/** The TAXII 2.1 media type (TAXII 2.1 §1.6.8): every response carries it. */
export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** The media type of the STIX 2.1 objects a collection holds (TAXII 2.1 §1.6.8). */
export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

// ---------------------------------------------------------------- errors

/** A malformed request parameter; the server answers 400 with a TAXII error naming `parameter`. */
export class TaxiiQueryError extends Error {
  override name = 'TaxiiQueryError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}

// ---------------------------------------------------------------- media types

interface MediaRange {
  type: string;
  subtype: string;
  params: Map<string, string>;
  q: number;
}

function parseMediaRanges(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [range = '', ...rawParams] = part.split(';').map((p) => p.trim());
      const [type = '', subtype = ''] = range.toLowerCase().split('/');
      const params = new Map<string, string>();
      let q = 1;
      for (const raw of rawParams) {
        const eq = raw.indexOf('=');
        if (eq < 0) continue;
        const name = raw.slice(0, eq).trim().toLowerCase();
        const value = raw
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1');
        if (name === 'q') q = Number(value);
        else params.set(name, value);
      }
      return { type, subtype, params, q: Number.isFinite(q) ? q : 0 };
    });
}

/**
 * Whether an `Accept` header allows `application/taxii+json;version=2.1` (TAXII 2.1 §1.6.8.1, RFC 9110
 * §12.5.1): absent, `*\/*`, `application/*`, or `application/taxii+json` without a version or with
 * version 2.1, with a non-zero quality. `application/json` does not.
 */
export function acceptsTaxii(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return parseMediaRanges(accept).some((range) => {
    if (range.q <= 0) return false;
    if (range.type === '*' && range.subtype === '*') return true;
    if (range.type !== 'application') return false;
    if (range.subtype === '*') return true;
    if (range.subtype !== 'taxii+json') return false;
    const version = range.params.get('version');
    return version === undefined || version === '2.1';
  });
}

/** Whether a request `Content-Type` is the TAXII 2.1 media type (a missing `version` taken as 2.1). */
export function isTaxiiContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [range] = parseMediaRanges(contentType);
  if (!range || range.type !== 'application' || range.subtype !== 'taxii+json') return false;
  const version = range.params.get('version');
  return version === undefined || version === '2.1';
}

// ---------------------------------------------------------------- timestamps

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * Microseconds since the Unix epoch of an RFC 3339 UTC timestamp as STIX and TAXII write them
 * (`2026-11-30T08:15:00Z`, `…00.123Z`, `…00.123456Z`; upper-case `T` and `Z`, STIX 2.1 §3.2). Digits
 * beyond the sixth fractional one are dropped (a floor, so `> t` over integer µs stays exact).
 * Undefined for anything else, including impossible dates (`2026-02-30`) and leap seconds.
 */
export function parseTimestampMicros(value: string): number | undefined {
  const m = TIMESTAMP.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(ms);
  if (date.getUTCDate() !== day || date.getUTCMonth() !== month - 1 || date.getUTCFullYear() !== year) return undefined;
  const fraction = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  return ms * 1000 + Number(fraction);
}

/**
 * `YYYY-MM-DDTHH:MM:SS.ssssssZ` (six fractional digits) of microseconds since the epoch: the form of
 * `date_added` and the X-TAXII-Date-Added-First/Last headers (TAXII 2.1 §3.2, §1.6.5). Throws a
 * RangeError for a non-integer or a value outside years 0000–9999.
 */
export function formatTimestampMicros(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`not an integer number of microseconds: ${micros}`);
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`timestamp out of range: ${micros}`);
  const sub = micros - ms * 1000;
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}${String(sub).padStart(3, '0')}Z`;
}

// ---------------------------------------------------------------- query

/** `match[version]` (TAXII 2.1 §3.4.1): `last` when absent. Timestamps are in microseconds. */
export interface VersionSelection {
  first: boolean;
  last: boolean;
  all: boolean;
  at: number[];
}

/** The query of an objects, manifest, object or versions request, validated. */
export interface TaxiiQuery {
  /** `added_after`, in microseconds: entries added strictly later. */
  addedAfter?: number;
  limit: number;
  /** The raw `next` cursor; verified against the collection and these filters by `verifyCursor`. */
  next?: string;
  /** `match[id]` */
  ids?: string[];
  /** `match[type]` */
  types?: string[];
  /** `match[version]` */
  versions: VersionSelection;
  /** `match[spec_version]` */
  specVersions?: string[];
}

/** Which parameters an endpoint takes (TAXII 2.1 §5.3–§5.8). */
export interface TaxiiQueryOptions {
  defaultLimit: number;
  maxLimit: number;
  /** `match[id]` and `match[type]` (objects and manifest only). */
  allowIdAndType: boolean;
  /** `match[version]` (not on the versions endpoint). */
  allowVersion: boolean;
}

const STIX_TYPE = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const STIX_ID = /^[a-z0-9][a-z0-9-]{1,248}[a-z0-9]--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SPEC_VERSION = /^\d+\.\d+$/;

/** A parameter's values: repeated parameters and comma-separated lists both count (TAXII 2.1 §3.4.1). */
function values(raw: unknown, name: string): string[] | undefined {
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).map((v) => {
    if (typeof v !== 'string') throw new TaxiiQueryError(name, 'must be a string');
    return v;
  });
  const list = parts.flatMap((p) => p.split(',')).map((p) => p.trim());
  if (list.some((v) => v === '')) throw new TaxiiQueryError(name, 'holds an empty value');
  return list;
}

function single(raw: unknown, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new TaxiiQueryError(name, 'must be given once');
  return raw;
}

/** `match[id]` from an Express query: flat keys (`match[id]`) or a nested object (`match.id`). */
function matchParam(raw: Record<string, unknown>, field: string): unknown {
  const flat = raw[`match[${field}]`];
  if (flat !== undefined) return flat;
  const nested = raw.match;
  return nested && typeof nested === 'object' ? (nested as Record<string, unknown>)[field] : undefined;
}

const MATCH_FIELDS = ['id', 'type', 'version', 'spec_version'];

/**
 * Validates the query parameters of a TAXII 2.1 collection endpoint: `added_after` (a timestamp),
 * `limit` (an integer 1…maxLimit; default `defaultLimit`; the server may cap it, §3.4), `next`,
 * `match[id]` (STIX ids), `match[type]` (STIX types), `match[version]` (`first`, `last`, `all` or
 * timestamps; `last` by default, §3.4.1) and `match[spec_version]` (`2.1`…). Other `match[…]` fields
 * are refused (unsupported filters silently ignored would return more than asked); other parameters
 * are ignored. Throws TaxiiQueryError naming the first bad parameter.
 */
export function parseTaxiiQuery(raw: Record<string, unknown>, options: TaxiiQueryOptions): TaxiiQuery {
  for (const key of Object.keys(raw)) {
    const m = /^match\[(.*)\]$/.exec(key);
    if (m && !MATCH_FIELDS.includes(m[1] ?? '')) throw new TaxiiQueryError(key, 'is not a supported filter');
  }
  if (raw.match && typeof raw.match === 'object') {
    for (const field of Object.keys(raw.match))
      if (!MATCH_FIELDS.includes(field)) throw new TaxiiQueryError(`match[${field}]`, 'is not a supported filter');
  }
  const query: TaxiiQuery = {
    limit: options.defaultLimit,
    versions: { first: false, last: true, all: false, at: [] },
  };

  const addedAfter = single(raw.added_after, 'added_after');
  if (addedAfter !== undefined) {
    const micros = parseTimestampMicros(addedAfter);
    if (micros === undefined)
      throw new TaxiiQueryError('added_after', 'must be a timestamp such as 2026-11-30T08:15:00.000000Z');
    query.addedAfter = micros;
  }

  const limit = single(raw.limit, 'limit');
  if (limit !== undefined) {
    if (!/^\d{1,9}$/.test(limit) || Number(limit) < 1)
      throw new TaxiiQueryError('limit', `must be an integer from 1 to ${options.maxLimit}`);
    query.limit = Math.min(Number(limit), options.maxLimit);
  }

  const next = single(raw.next, 'next');
  if (next !== undefined) {
    if (next === '' || next.length > 2048) throw new TaxiiQueryError('next', 'is not a cursor this server issued');
    query.next = next;
  }

  const ids = values(matchParam(raw, 'id'), 'match[id]');
  const types = values(matchParam(raw, 'type'), 'match[type]');
  if (!options.allowIdAndType && (ids || types))
    throw new TaxiiQueryError(ids ? 'match[id]' : 'match[type]', 'is not a filter of this endpoint');
  if (ids) {
    const bad = ids.find((id) => !STIX_ID.test(id));
    if (bad !== undefined) throw new TaxiiQueryError('match[id]', `'${bad}' is not a STIX identifier`);
    query.ids = [...new Set(ids)];
  }
  if (types) {
    const bad = types.find((type) => !STIX_TYPE.test(type));
    if (bad !== undefined) throw new TaxiiQueryError('match[type]', `'${bad}' is not a STIX type`);
    query.types = [...new Set(types)];
  }

  const versions = values(matchParam(raw, 'version'), 'match[version]');
  if (versions) {
    if (!options.allowVersion) throw new TaxiiQueryError('match[version]', 'is not a filter of this endpoint');
    const selection: VersionSelection = { first: false, last: false, all: false, at: [] };
    for (const v of versions) {
      if (v === 'first' || v === 'last' || v === 'all') selection[v] = true;
      else {
        const micros = parseTimestampMicros(v);
        if (micros === undefined)
          throw new TaxiiQueryError('match[version]', `'${v}' is not first, last, all or a timestamp`);
        if (!selection.at.includes(micros)) selection.at.push(micros);
      }
    }
    selection.at.sort((a, b) => a - b);
    query.versions = selection;
  }

  const specVersions = values(matchParam(raw, 'spec_version'), 'match[spec_version]');
  if (specVersions) {
    const bad = specVersions.find((v) => !SPEC_VERSION.test(v));
    if (bad !== undefined) throw new TaxiiQueryError('match[spec_version]', `'${bad}' is not a version such as 2.1`);
    query.specVersions = [...new Set(specVersions)];
  }
  return query;
}

// ---------------------------------------------------------------- entries and selection

/**
 * One version of one STIX object in a collection. `version` is the object's `modified`, else its
 * `created`, else its `date_added` (TAXII 2.1 §3.4.1 for objects that are not versioned);
 * `firstVersion`/`lastVersion` say whether it is the oldest/newest version of its object in the
 * collection.
 */
export interface TaxiiEntry {
  stixId: string;
  type: string;
  specVersion: string;
  /** Microseconds since the epoch. */
  version: number;
  /** Microseconds since the epoch; strictly increasing within a collection. */
  dateAdded: number;
  firstVersion: boolean;
  lastVersion: boolean;
}

/**
 * Whether an entry passes a query's filters other than visibility, paging and `added_after`
 * (applied by the caller). `match[version]` values combine with OR; `all` takes every version.
 */
export function matchesQuery(
  entry: TaxiiEntry,
  query: Pick<TaxiiQuery, 'ids' | 'types' | 'versions' | 'specVersions'>,
): boolean {
  if (query.ids && !query.ids.includes(entry.stixId)) return false;
  if (query.types && !query.types.includes(entry.type)) return false;
  if (query.specVersions && !query.specVersions.includes(entry.specVersion)) return false;
  const v = query.versions;
  if (v.all) return true;
  return (v.first && entry.firstVersion) || (v.last && entry.lastVersion) || v.at.includes(entry.version);
}

/**
 * The `firstVersion`/`lastVersion` flags of every entry from their versions, per STIX id (the
 * versions of one object: the oldest is first, the newest last; one version is both).
 */
export function withVersionFlags<E extends Omit<TaxiiEntry, 'firstVersion' | 'lastVersion'>>(
  entries: readonly E[],
): (E & Pick<TaxiiEntry, 'firstVersion' | 'lastVersion'>)[] {
  const range = new Map<string, { min: number; max: number }>();
  for (const e of entries) {
    const r = range.get(e.stixId);
    if (!r) range.set(e.stixId, { min: e.version, max: e.version });
    else range.set(e.stixId, { min: Math.min(r.min, e.version), max: Math.max(r.max, e.version) });
  }
  return entries.map((e) => {
    const r = range.get(e.stixId)!;
    return { ...e, firstVersion: e.version === r.min, lastVersion: e.version === r.max };
  });
}

export interface TaxiiPage<E> {
  items: E[];
  /** More entries follow (TAXII 2.1 §3.6 `more`). */
  more: boolean;
  /** dateAdded of the first and last item (X-TAXII-Date-Added-First/Last); undefined when empty. */
  dateAddedFirst?: number;
  dateAddedLast?: number;
}

/**
 * One page from the entries a reader may see that pass the filters, `added_after` and the cursor,
 * in ascending `dateAdded`: the first `limit`, and whether more follow. Give it `limit + 1` entries
 * (or all): the one past the limit only tells `more`. Visibility must be applied before this, so an
 * invisible entry never makes `more` true.
 */
export function pageOf<E extends { dateAdded: number }>(candidates: readonly E[], limit: number): TaxiiPage<E> {
  const items = candidates.slice(0, limit);
  return {
    items,
    more: candidates.length > limit,
    dateAddedFirst: items[0]?.dateAdded,
    dateAddedLast: items.at(-1)?.dateAdded,
  };
}

/**
 * The reference selection (in memory) of a collection's entries for a query: those matching the
 * filters, added after `after` µs (the cursor's position, else `added_after`), in `dateAdded` order,
 * paged. The store applies the same rules as a query; this function states them and the specs pin
 * them.
 */
export function selectEntries<E extends TaxiiEntry>(
  visible: readonly E[],
  query: Pick<TaxiiQuery, 'ids' | 'types' | 'versions' | 'specVersions' | 'limit'>,
  after: number | undefined,
): TaxiiPage<E> {
  const candidates = visible
    .filter((e) => (after === undefined || e.dateAdded > after) && matchesQuery(e, query))
    .sort((a, b) => a.dateAdded - b.dateAdded);
  return pageOf(candidates, query.limit);
}

// ---------------------------------------------------------------- cursor

/** What a `next` cursor binds: the collection, the endpoint and object, and the filters. */
export interface CursorScope {
  collectionId: string;
  /** `objects`, `manifest`, `object:<id>` or `versions:<id>`. */
  endpoint: string;
  query: Pick<TaxiiQuery, 'addedAfter' | 'ids' | 'types' | 'versions' | 'specVersions'>;
}

function scopeKey(scope: CursorScope): string {
  const q = scope.query;
  return JSON.stringify([
    scope.collectionId,
    scope.endpoint,
    q.addedAfter ?? null,
    q.ids ? [...q.ids].sort() : null,
    q.types ? [...q.types].sort() : null,
    [q.versions.first, q.versions.last, q.versions.all, q.versions.at],
    q.specVersions ? [...q.specVersions].sort() : null,
  ]);
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/**
 * A stateless `next` cursor: `<position>.<HMAC-SHA256>` (base64url), the position being the last
 * `dateAdded` (µs) of the page, signed together with the collection, endpoint and filters. Any api
 * instance holding `secret` can verify it, also after a restart.
 */
export function encodeCursor(secret: string, scope: CursorScope, afterMicros: number): string {
  const position = Buffer.from(String(afterMicros)).toString('base64url');
  return `${position}.${sign(secret, `${position}\n${scopeKey(scope)}`)}`;
}

/**
 * The position (µs) of a cursor made by `encodeCursor` for this same scope. Throws TaxiiQueryError
 * (`next`) for a malformed, tampered or foreign cursor (another collection, endpoint, filter set
 * or secret).
 */
export function verifyCursor(secret: string, scope: CursorScope, cursor: string): number {
  const refuse = () => new TaxiiQueryError('next', 'is not a cursor of this request (filters must stay the same)');
  const m = /^([A-Za-z0-9_-]{1,40})\.([A-Za-z0-9_-]{43})$/.exec(cursor);
  if (!m) throw refuse();
  const [, position = '', mac = ''] = m;
  const expected = Buffer.from(sign(secret, `${position}\n${scopeKey(scope)}`));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse();
  const text = Buffer.from(position, 'base64url').toString();
  if (!/^\d{1,17}$/.test(text)) throw refuse();
  return Number(text);
}
