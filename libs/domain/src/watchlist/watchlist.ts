import { createHash } from 'node:crypto';
import {
  correlates,
  indicatorWarnings,
  isIndicatorType,
  normalizeIndicator,
  withoutCredentials,
  type IndicatorType,
  type IndicatorWarning,
  type RejectReason,
} from '../indicators';
import {
  CORRELATION_KINDS,
  STRENGTH_OF_KIND,
  correlationKey,
  indicatorOfKey,
  planIncident,
  relationBetween,
  type CorrelationKind,
  type CorrelationStrength,
  type IndexedIndicator,
  type IndexPlan,
} from '../correlation/index-plan';
import type { ProbeFindings } from '../correlation/correlation';
import { counterpartViewFor } from '../correlation/correlation-view';
import type { CounterpartIncident, CounterpartView } from '../correlation/correlation';
import type { SharingContext } from '../visibility/organization-display';
import type { Viewer } from '../visibility/visibility';

/**
 * A value an organization watches: when it (or a value related to it by a correlation kind) appears
 * in any incident, the organization is told. One entry per organization and canonical value.
 */
export interface WatchEntry {
  /** `watchEntryId(orgId, type, value)`: the same value watched twice by one organization is one entry. */
  id: string;
  orgId: string;
  type: IndicatorType;
  /** Canonical form (see `normalizeIndicator`). */
  value: string;
  note: string | null;
  /** The warning lists the value is on: kept, shown, and matched only where `watchHitsFound` says. */
  warnings: IndicatorWarning[];
  /** The user or API key that added it (`system:cli` for the operator CLI). */
  createdBy: string;
  createdAt: Date;
}

/** Longest note kept with an entry, in characters. */
export const MAX_WATCH_NOTE_LENGTH = 500;

/** Deterministic id of an organization's entry for one canonical value (`wl-` + 40 hex digits). */
export function watchEntryId(orgId: string, type: IndicatorType, value: string): string {
  const digest = createHash('sha256').update(`watch\n${orgId}\n${type}:${value}`).digest('hex');
  return `wl-${digest.slice(0, 40)}`;
}

/**
 * Why a watched value was refused: the normalizer's reasons, `credential` (user-info in the value) and
 * `too_broad` (a range wider than `WIDEST_WATCHED_PREFIX`).
 */
export type WatchRejectReason = RejectReason | 'credential' | 'too_broad';

/**
 * The widest range an organization may watch, per family: the size of the blocks IANA hands to one
 * Regional Internet Registry — /8 for IPv4 (IANA IPv4 Address Space Registry) and /12 for IPv6 (IANA
 * IPv6 Global Unicast Address Assignments, RFC 7249 §2). A wider range (`0.0.0.0/0`) would hear of
 * nearly every incident carrying an address, which is no watchlist but a feed of everyone's reports.
 */
export const WIDEST_WATCHED_PREFIX = { ipv4: 8, ipv6: 12 } as const;

/** A refused value as echoed back: at most this many characters (the rest elided). */
const MAX_SHOWN = 200;

const shownValue = (value: string): string => (value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value);

function tooBroad(indicator: IndexedIndicator): string | undefined {
  if (indicator.type !== 'cidr') return undefined;
  const slash = indicator.value.lastIndexOf('/');
  const prefix = Number(indicator.value.slice(slash + 1));
  const family = indicator.value.includes(':') ? 'ipv6' : 'ipv4';
  const widest = WIDEST_WATCHED_PREFIX[family];
  return prefix < widest
    ? `A range wider than /${widest} (${family === 'ipv6' ? 'IPv6' : 'IPv4'}) cannot be watched.`
    : undefined;
}

export type WatchValueResult =
  | { ok: true; indicator: IndexedIndicator; warnings: IndicatorWarning[] }
  | { ok: false; reason: WatchRejectReason; message: string; value: string };

/**
 * Reads one value to watch: refanged and canonicalized by the indicator normalizer (any form a partner
 * writes: `evil[.]example`, `hxxps://…`, upper-case hashes). A value carrying user-info
 * (`user:password@host`) is refused rather than silently cut, and never echoed with it: the refusal
 * shows the value without the credential. With `declaredType` the value must be of that type. A range
 * wider than `WIDEST_WATCHED_PREFIX` is refused (`too_broad`); a refused value is echoed cut to 200
 * characters.
 */
export function readWatchValue(raw: string, declaredType?: IndicatorType): WatchValueResult {
  const value = raw.trim();
  const withoutUserInfo = withoutCredentials(value);
  const shown = shownValue(withoutUserInfo);
  if (withoutUserInfo !== value) {
    return { ok: false, reason: 'credential', message: 'Value carries a user name or password.', value: shown };
  }
  if (declaredType !== undefined && !isIndicatorType(declaredType)) {
    return { ok: false, reason: 'invalid_value', message: 'Not an indicator type.', value: shown };
  }
  const result = normalizeIndicator(value, declaredType);
  if (!result.ok) {
    return {
      ok: false,
      reason: result.rejected.reason,
      message: result.rejected.message,
      value: shownValue(result.rejected.raw),
    };
  }
  const { type, value: canonical } = result.indicator;
  const broad = tooBroad({ type, value: canonical });
  if (broad !== undefined) return { ok: false, reason: 'too_broad', message: broad, value: canonical };
  return { ok: true, indicator: { type, value: canonical }, warnings: indicatorWarnings(result.indicator) };
}

/** One line of a bulk watchlist file, read. */
export type WatchLine =
  | { kind: 'skip' }
  | { kind: 'entry'; line: number; indicator: IndexedIndicator; warnings: IndicatorWarning[]; note: string | null }
  | { kind: 'rejected'; line: number; value: string; reason: WatchRejectReason; message: string };

/**
 * One line of a bulk file (`line` counts from 1). Blank lines and lines starting with `#` are skipped;
 * the value is the line up to a `#` that follows whitespace, and what follows that `#` is the entry's
 * note (`evil[.]example  # phishing kit, 2026-11`). A `#` inside a value (a URL's fragment) stays.
 */
export function readWatchLine(text: string, line: number): WatchLine {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return { kind: 'skip' };
  const comment = /\s#/.exec(trimmed);
  const raw = comment ? trimmed.slice(0, comment.index).trim() : trimmed;
  const note = comment
    ? trimmed
        .slice(comment.index + 2)
        .trim()
        .slice(0, MAX_WATCH_NOTE_LENGTH) || null
    : null;
  const read = readWatchValue(raw);
  if (!read.ok) return { kind: 'rejected', line, value: read.value, reason: read.reason, message: read.message };
  return { kind: 'entry', line, indicator: read.indicator, warnings: read.warnings, note };
}

export interface WatchFile {
  /** Distinct values in file order (the first line of a value wins). */
  entries: Array<Extract<WatchLine, { kind: 'entry' }>>;
  /** Lines naming a value an earlier line of the file already named. */
  repeated: number;
  rejected: Array<Extract<WatchLine, { kind: 'rejected' }>>;
}

/** Every line of a bulk file (LF or CRLF line ends), read. */
export function readWatchFile(text: string): WatchFile {
  const out: WatchFile = { entries: [], repeated: 0, rejected: [] };
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((content, i) => {
    const read = readWatchLine(content, i + 1);
    if (read.kind === 'skip') return;
    if (read.kind === 'rejected') {
      out.rejected.push(read);
      return;
    }
    const key = correlationKey(read.indicator);
    if (seen.has(key)) {
      out.repeated++;
      return;
    }
    seen.add(key);
    out.entries.push(read);
  });
  return out;
}

/** How the watch index stores an entry: exactly as the correlation index stores one indicator. */
export function watchPlan(entry: IndexedIndicator): { key: string; plan: IndexPlan } {
  return planIncident([entry])[0];
}

/**
 * An organization's watched value found in an incident. One per entry and incident, whatever the
 * number of the incident's indicators that relate to it (the strongest relation is kept).
 */
export interface WatchHit {
  /** `watchHitId(watchId, incidentId)`: a retried job records and announces it once. */
  id: string;
  watchId: string;
  /** The watching organization. */
  orgId: string;
  watched: IndexedIndicator;
  incidentId: string;
  incidentOrgId: string;
  /** The incident's indicator that relates to the watched value. */
  matched: IndexedIndicator;
  kind: CorrelationKind;
  createdAt: Date;
}

export function watchHitId(watchId: string, incidentId: string): string {
  const digest = createHash('sha256').update(`watch-hit\n${watchId}\n${incidentId}`).digest('hex');
  return `wh-${digest.slice(0, 40)}`;
}

const KIND_RANK = new Map<CorrelationKind, number>(CORRELATION_KINDS.map((kind, i) => [kind, i]));

/**
 * The watch hits of one incident: every watch entry found by the probes of `indicators[i]`
 * (`findings[i]`, run against the watch index; each entry's `incidentId` is the watch entry's id and
 * `orgId` the watching organization), kept when the two values really relate (`relationBetween`, the
 * correlation rule), once per entry, the strongest kind first (`CORRELATION_KINDS` order, then value).
 *
 * A warned indicator (a private range, a public resolver…) correlates with nothing and tells no other
 * organization that anyone reported it: it hits only the incident's own organization's entries.
 */
export function watchHitsFound(
  incident: { id: string; orgId: string },
  indicators: ReadonlyArray<IndexedIndicator & { warnings?: readonly IndicatorWarning[] }>,
  findings: ReadonlyArray<readonly ProbeFindings[]>,
  createdAt: Date,
): WatchHit[] {
  const best = new Map<string, WatchHit>();
  indicators.forEach((indicator, i) => {
    const own = { type: indicator.type, value: indicator.value };
    const warned = !correlates(indicator);
    for (const { probe, entries } of findings[i] ?? []) {
      for (const entry of entries) {
        if (warned && entry.orgId !== incident.orgId) continue;
        const watched = indicatorOfKey(entry.key);
        const kind = relationBetween(own, watched, probe.op === 'alias');
        if (!kind) continue;
        const hit: WatchHit = {
          id: watchHitId(entry.incidentId, incident.id),
          watchId: entry.incidentId,
          orgId: entry.orgId,
          watched,
          incidentId: incident.id,
          incidentOrgId: incident.orgId,
          matched: own,
          kind,
          createdAt,
        };
        const held = best.get(hit.id);
        if (!held || rank(hit) < rank(held)) best.set(hit.id, hit);
      }
    }
  });
  return [...best.values()];
}

function rank(hit: WatchHit): string {
  return `${String(KIND_RANK.get(hit.kind) ?? 99).padStart(2, '0')}\n${correlationKey(hit.matched)}`;
}

/**
 * A watch hit as one reader of the watching organization reads it (REST and the live
 * `watchlist.hit`): the incident by the one counterpart rule — in full when the reader may see it,
 * otherwise what its owner's disclosure policy gives, as for the hidden side of a correlation alert.
 * `matched` (the incident's own value) only to a reader who may see the incident, and only when it is
 * not the watched value itself.
 */
export interface WatchHitView {
  id: string;
  watchId: string;
  watched: IndexedIndicator;
  kind: CorrelationKind;
  strength: CorrelationStrength;
  matched: IndexedIndicator | null;
  counterpart: CounterpartView;
  createdAt: string;
}

/** Undefined when `viewer` is not of the watching organization: a hit is that organization's only. */
export function watchHitViewFor(
  viewer: Viewer,
  hit: WatchHit,
  incident: CounterpartIncident,
  sharing: SharingContext,
): WatchHitView | undefined {
  if (viewer.orgId !== hit.orgId || incident.id !== hit.incidentId) return undefined;
  const counterpart = counterpartViewFor(viewer, incident, sharing);
  return {
    id: hit.id,
    watchId: hit.watchId,
    watched: { ...hit.watched },
    kind: hit.kind,
    strength: STRENGTH_OF_KIND[hit.kind],
    matched: hit.kind !== 'exact' && counterpart.disclosure === 'full' ? { ...hit.matched } : null,
    counterpart,
    createdAt: hit.createdAt.toISOString(),
  };
}

/** A watch entry as the organization's readers see it. */
export interface WatchEntryView {
  id: string;
  type: IndicatorType;
  value: string;
  note: string | null;
  warnings: IndicatorWarning[];
  createdBy: string;
  createdAt: string;
}

export function watchEntryView(entry: WatchEntry): WatchEntryView {
  return {
    id: entry.id,
    type: entry.type,
    value: entry.value,
    note: entry.note,
    warnings: entry.warnings.map((w) => ({ ...w })),
    createdBy: entry.createdBy,
    createdAt: entry.createdAt.toISOString(),
  };
}

/** A new entry of `orgId` for a value read by `readWatchValue` or `readWatchLine`. */
export function newWatchEntry(
  orgId: string,
  read: { indicator: IndexedIndicator; warnings: readonly IndicatorWarning[]; note?: string | null },
  createdBy: string,
  createdAt: Date,
): WatchEntry {
  const { type, value } = read.indicator;
  return {
    id: watchEntryId(orgId, type, value),
    orgId,
    type,
    value,
    note: read.note ?? null,
    warnings: read.warnings.map((w) => ({ ...w })),
    createdBy,
    createdAt,
  };
}

/** What a bulk import did: new entries, values already listed (or repeated in the file), refused lines. */
export interface WatchImportSummary {
  added: number;
  duplicates: number;
  rejected: Array<{ line: number; value: string; reason: WatchRejectReason; message: string }>;
}

/**
 * The hits of one watch entry among incidents already indexed: `findings` are what the entry's own
 * probes (`watchPlan(entry).plan.probes`) found in the correlation index (incidents, each naming the
 * indicator it carries). Kept when the values really relate, once per incident, the strongest kind
 * first — the same hits `watchHitsFound` gives when those incidents are processed after the entry.
 */
export function watchHitsOfEntry(
  entry: Pick<WatchEntry, 'id' | 'orgId' | 'type' | 'value'>,
  findings: readonly ProbeFindings[],
  createdAt: Date,
): WatchHit[] {
  const watched = { type: entry.type, value: entry.value };
  const best = new Map<string, WatchHit>();
  for (const { probe, entries } of findings) {
    for (const found of entries) {
      const matched = indicatorOfKey(found.key);
      const kind = relationBetween(watched, matched, probe.op === 'alias');
      if (!kind) continue;
      const hit: WatchHit = {
        id: watchHitId(entry.id, found.incidentId),
        watchId: entry.id,
        orgId: entry.orgId,
        watched,
        incidentId: found.incidentId,
        incidentOrgId: found.orgId,
        matched,
        kind,
        createdAt,
      };
      const held = best.get(hit.id);
      if (!held || rank(hit) < rank(held)) best.set(hit.id, hit);
    }
  }
  return [...best.values()];
}
