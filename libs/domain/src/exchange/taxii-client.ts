/**
 * The pure decisions of Corridor's TAXII 2.1 client (pulling a partner's collection): which filter a
 * request sends, how the cursor moves after a page, whether a run still makes progress, and which
 * objects of a page are new. No I/O: the worker's pull service does the requests and the storing.
 *
 * Source: TAXII 2.1 (OASIS Committee Specification 01), §3.4 (pagination: `limit`, `next`, `more`),
 * §3.4.1 (`added_after` and the `X-TAXII-Date-Added-First/Last` headers), §5.4 (Get Objects).
 */

/** The media type of TAXII 2.1 requests and answers (§1.6.8). */
export { TAXII_MEDIA_TYPE } from './taxii';

/**
 * Where a feed stands: the server's `next` of the page after the last one imported (null: none
 * pending), and `addedAfter`, the last `X-TAXII-Date-Added-Last` seen (null: from the beginning).
 */
export interface TaxiiCursor {
  next: string | null;
  addedAfter: string | null;
}

export const EMPTY_TAXII_CURSOR: TaxiiCursor = Object.freeze({ next: null, addedAfter: null });

/**
 * The query of the next Get Objects request: `limit`, then `next` when the cursor holds one, else
 * `added_after` when it holds a date, never both (sending both made OpenCTI skip objects, #5681; the
 * spec leaves a server free to refuse or misread the pair).
 *
 * @param limit objects per page asked for (the server may answer fewer), an integer ≥ 1.
 * @returns query parameters in the order sent, e.g. `{ limit: '100', next: 'abc' }`.
 */
export function taxiiObjectsQuery(cursor: TaxiiCursor, limit: number): Record<string, string> {
  const query: Record<string, string> = { limit: String(limit) };
  if (cursor.next !== null) query.next = cursor.next;
  else if (cursor.addedAfter !== null) query.added_after = cursor.addedAfter;
  return query;
}

/** What one Get Objects answer says about paging (its body's `more`, `next` and its headers). */
export interface TaxiiPageHead {
  /** Number of objects in the page. */
  count: number;
  /** Body `more`: the server holds more objects after this page. */
  more: boolean;
  /** Body `next`, when the server gave one. */
  next: string | null;
  /** `X-TAXII-Date-Added-Last`, when the server sent it (TAXII timestamp text, kept verbatim). */
  dateAddedLast: string | null;
}

/**
 * The cursor after a page has been imported: `next` is kept only while the server says there is more
 * and gave one; `addedAfter` becomes the page's `X-TAXII-Date-Added-Last` (kept when absent), so a
 * run whose `next` is lost or expired resumes by date without skipping past the page.
 */
export function advanceTaxiiCursor(cursor: TaxiiCursor, page: TaxiiPageHead): TaxiiCursor {
  const addedAfter = page.dateAddedLast ?? cursor.addedAfter;
  return { next: page.more && page.next !== null ? page.next : null, addedAfter };
}

/** Why a run stopped early, or null to go on. */
export type TaxiiStall = 'same-next' | 'no-new-objects' | null;

/**
 * Whether a run is stuck: the server answered with the very `next` it was sent (paging would repeat
 * forever), or with `more` true but a page of only already-seen objects whose Date-Added-Last did not
 * move past the cursor (the tie loop of OpenCTI's TAXII 2.0 connector, connectors#7604).
 *
 * @param sent the cursor the request was made with.
 * @param fresh how many objects of the page were new (not seen in this run or stored at this version).
 */
export function taxiiStall(sent: TaxiiCursor, page: TaxiiPageHead, fresh: number): TaxiiStall {
  if (!page.more) return null;
  if (sent.next !== null && page.next === sent.next) return 'same-next';
  if (fresh === 0 && (page.next === null || page.next === sent.next)) {
    if (page.dateAddedLast === null || page.dateAddedLast === sent.addedAfter) return 'no-new-objects';
  }
  return null;
}

/**
 * The key an object version is known by: its id and `modified` (else `created`, else nothing for
 * SCOs without versions), e.g. `indicator--…|2026-01-01T00:00:00.000Z`. Undefined for a value that
 * is no object with a string `id`.
 */
export function stixVersionKey(object: unknown): string | undefined {
  if (typeof object !== 'object' || object === null) return undefined;
  const { id, modified, created } = object as { id?: unknown; modified?: unknown; created?: unknown };
  if (typeof id !== 'string') return undefined;
  const version = typeof modified === 'string' ? modified : typeof created === 'string' ? created : '';
  return `${id}|${version}`;
}

/**
 * The objects of a page not yet seen (by `stixVersionKey`) in `seen`, which gains their keys; an
 * object without an id is passed on (the importer names it as invalid). Repeats inside the page count once.
 */
export function unseenObjects(objects: readonly unknown[], seen: Set<string>): unknown[] {
  const fresh: unknown[] = [];
  for (const object of objects) {
    const key = stixVersionKey(object);
    if (key === undefined) {
      fresh.push(object);
      continue;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    fresh.push(object);
  }
  return fresh;
}

/** Bounds of a feed's poll interval, in seconds. */
export const TAXII_POLL_INTERVAL_MIN_S = 60;
export const TAXII_POLL_INTERVAL_MAX_S = 7 * 24 * 3600;
