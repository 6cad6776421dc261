import { createHash } from 'node:crypto';
import type { IndicatorType } from '../indicators';
import type { Severity } from '../incidents/incident';
import type { Classification } from '../incidents/taxonomy';
import type { Tlp } from '../visibility/tlp';
import type { Disclosure } from '../visibility/disclosure';
import type { OrganizationRef } from '../visibility/organization-display';
import { canSee, type Shareable, type Viewer } from '../visibility/visibility';
import {
  correlationKey,
  indicatorOfKey,
  relationBetween,
  type CorrelationKind,
  type IndexedIndicator,
  type IndexProbe,
} from './index-plan';

/**
 * One incident carrying a key, as stored in the correlation index. `key` names the indicator it
 * was stored for, when the set's own key does not (every derived relation).
 */
export interface IndexEntry {
  incidentId: string;
  orgId: string;
  key?: string;
}

const SEPARATOR = '|';

export function encodeIndexEntry(entry: IndexEntry): string {
  const base = `${entry.incidentId}${SEPARATOR}${entry.orgId}`;
  return entry.key === undefined ? base : `${base}${SEPARATOR}${entry.key}`;
}

/** Ids never contain the separator; the indicator key (last) may. */
export function decodeIndexEntry(member: string): IndexEntry | undefined {
  const at = member.indexOf(SEPARATOR);
  if (at <= 0 || at === member.length - 1) return undefined;
  const incidentId = member.slice(0, at);
  const rest = member.slice(at + 1);
  const next = rest.indexOf(SEPARATOR);
  if (next < 0) return { incidentId, orgId: rest };
  if (next === 0 || next === rest.length - 1) return undefined;
  return { incidentId, orgId: rest.slice(0, next), key: rest.slice(next + 1) };
}

/** Matches worth a correlation record: incidents of other organizations only. */
export function crossOrgMatches<T extends IndexEntry>(own: IndexEntry, found: readonly T[]): T[] {
  const seen = new Set<string>();
  return found.filter((entry) => {
    const seenKey = `${entry.incidentId}\n${entry.key ?? ''}`;
    if (entry.orgId === own.orgId || seen.has(seenKey)) return false;
    seen.add(seenKey);
    return true;
  });
}

/**
 * The key of a correlation: what it relates, whichever side found it. An exact match is its value's
 * key (as before kinds existed); any other kind is the kind and both values, in a fixed order. Two
 * correlations with the same key are "the same pair of values" (what a false positive suppresses).
 */
export function correlationPairKey(kind: CorrelationKind, a: IndexedIndicator, b: IndexedIndicator): string {
  if (kind === 'exact') return correlationKey(a);
  const [first, second] = [correlationKey(a), correlationKey(b)].sort();
  return `${kind}\n${first}\n${second}`;
}

/**
 * Deterministic id of the correlation between two incidents on one key: the same pair and key give
 * the same id whichever side found it, so a retried job cannot record or announce it twice.
 */
export function correlationId(key: string, incidentA: string, incidentB: string): string {
  const [first, second] = [incidentA, incidentB].sort();
  const digest = createHash('sha256').update(`${key}\n${first}\n${second}`).digest('hex');
  return `cor-${digest.slice(0, 40)}`;
}

export interface CorrelationSide {
  incidentId: string;
  orgId: string;
}

export interface Correlation {
  id: string;
  key: string;
  /** The indicator of the side that found the match (for an exact match, the shared one). */
  type: IndicatorType;
  value: string;
  /** Absent on correlations stored before kinds existed: they read as `exact`. */
  kind?: CorrelationKind;
  /** The earlier side's indicator, when it is not the same value (every kind but exact). */
  matched?: IndexedIndicator;
  /** The side whose processing found the match (the later one) and the earlier one. */
  found: CorrelationSide;
  earlier: CorrelationSide;
  createdAt: Date;
}

/** What the counterpart of a correlation may be shown as, to one viewer. */
export interface CounterpartIncident extends Shareable {
  id: string;
  title: string;
  severity: Severity;
  classification: Classification;
  tlp: Tlp;
  /** The owner's choice for this incident, overriding its organization's policy. */
  disclosure?: Disclosure | null;
}

/**
 * The other side of a correlation as one reader may learn it:
 * - `full`: the reader may see the other incident: its organization (as the reader knows it) and details;
 * - otherwise what the other side's owner discloses (see `Disclosure`): `named` (organization and TLP),
 *   `anonymous` (only the TLP: "a partner organization holds a matching report at TLP:…"), or `nothing`.
 */
export type CounterpartView =
  | {
      disclosure: 'full';
      organization: OrganizationRef;
      incident: { id: string; title: string; severity: Severity; classification: Classification; tlp: Tlp };
    }
  | { disclosure: 'named'; organization: OrganizationRef; tlp: Tlp }
  | { disclosure: 'anonymous'; tlp: Tlp }
  | { disclosure: 'nothing' };

/**
 * Leak-free description of the other side of a correlation: its details only if the viewer may see
 * that incident; otherwise exactly what its owner's `disclosure` allows.
 */
export function describeCounterpart(
  viewer: Viewer,
  counterpart: CounterpartIncident,
  org: OrganizationRef,
  disclosure: Disclosure,
): CounterpartView {
  const organization = { id: org.id, name: org.name };
  if (canSee(viewer, counterpart)) {
    const { id, title, severity, classification, tlp } = counterpart;
    return { disclosure: 'full', organization, incident: { id, title, severity, classification, tlp } };
  }
  switch (disclosure) {
    case 'named':
      return { disclosure: 'named', organization, tlp: counterpart.tlp };
    case 'anonymous':
      return { disclosure: 'anonymous', tlp: counterpart.tlp };
    case 'nothing':
      return { disclosure: 'nothing' };
  }
}

/** The side of a correlation that belongs to `incidentId`, and the other one. */
export function sidesOf(
  correlation: Correlation,
  incidentId: string,
): { own: CorrelationSide; other: CorrelationSide } {
  return correlation.found.incidentId === incidentId
    ? { own: correlation.found, other: correlation.earlier }
    : { own: correlation.earlier, other: correlation.found };
}

/** The indicator of each side of a correlation: `own` is `incidentId`'s. */
export function indicatorsOf(
  correlation: Pick<Correlation, 'type' | 'value' | 'matched' | 'found'>,
  incidentId: string,
): { own: IndexedIndicator; other: IndexedIndicator } {
  const found = { type: correlation.type, value: correlation.value };
  const earlier = correlation.matched ?? found;
  return correlation.found.incidentId === incidentId ? { own: found, other: earlier } : { own: earlier, other: found };
}

/** What one probe of the index found: incidents, each naming the indicator it carries. */
export interface ProbeFindings {
  probe: IndexProbe;
  entries: ReadonlyArray<IndexEntry & { key: string }>;
}

/**
 * The correlations of a newly indexed incident: every incident of another organization found by
 * the probes of `indicators[i]` (`findings[i]`), kept only when the two values really relate (the
 * kind is decided from the values, not from which key matched), once per pair of values.
 */
export function correlationsFound(
  own: CorrelationSide,
  indicators: readonly IndexedIndicator[],
  findings: ReadonlyArray<readonly ProbeFindings[]>,
  createdAt: Date,
): Correlation[] {
  const out = new Map<string, Correlation>();
  indicators.forEach((indicator, i) => {
    for (const { probe, entries } of findings[i] ?? []) {
      for (const entry of crossOrgMatches(own, entries)) {
        const other = indicatorOfKey(entry.key);
        const kind = relationBetween(indicator, other, probe.op === 'alias');
        if (!kind) continue;
        const key = correlationPairKey(kind, indicator, other);
        const id = correlationId(key, own.incidentId, entry.incidentId);
        if (out.has(id)) continue;
        const correlation: Correlation = {
          id,
          key,
          type: indicator.type,
          value: indicator.value,
          found: own,
          earlier: { incidentId: entry.incidentId, orgId: entry.orgId },
          createdAt,
        };
        if (kind !== 'exact') {
          correlation.kind = kind;
          correlation.matched = other;
        }
        out.set(id, correlation);
      }
    }
  });
  // A hash that already matches an incident exactly adds no alias correlation with that incident.
  const exact = new Set(
    [...out.values()].filter((c) => !c.kind).map((c) => `${c.earlier.incidentId}\n${c.type}:${c.value}`),
  );
  return [...out.values()].filter(
    (c) => c.kind !== 'file-alias' || !exact.has(`${c.earlier.incidentId}\n${c.type}:${c.value}`),
  );
}

/**
 * An organization's judgement that a correlation is a false positive. It applies to the pair of
 * values (`key`: the kind and both values), so later correlations of the same pair between other
 * incidents are suppressed for that organization too.
 */
export interface FalsePositive {
  orgId: string;
  key: string;
  /** The correlation it was marked on. */
  correlationId: string;
  by: string;
  at: Date;
}

export function falsePositiveId(orgId: string, key: string): string {
  const digest = createHash('sha256').update(`false-positive\n${orgId}\n${key}`).digest('hex');
  return `fp-${digest.slice(0, 40)}`;
}
