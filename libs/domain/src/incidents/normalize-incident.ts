import {
  indicatorWarnings,
  enrichIndicator,
  extractIndicators,
  normalizeIndicator,
  withoutCredentials,
  type RejectedIndicator,
} from '../indicators';
import { correlationKey } from '../correlation/index-plan';
import type { Pap } from '../visibility/pap';
import type { IncidentIndicator, SubmittedIndicator } from './incident';

/**
 * Indicators the submission carries: the explicit list first, then those found in the description.
 * User-info (`user:password@`) is cut out of every value here, so no credential is stored with them.
 */
export function collectSubmittedIndicators(
  listed: ReadonlyArray<{ value: string; type?: SubmittedIndicator['type']; pap?: Pap; forDetection?: boolean }>,
  description: string,
): SubmittedIndicator[] {
  const fromField = listed.map((item): SubmittedIndicator => ({
    raw: withoutCredentials(item.value),
    type: item.type,
    source: 'field',
    ...(item.pap !== undefined ? { pap: item.pap } : {}),
    ...(item.forDetection === false ? { forDetection: false as const } : {}),
  }));
  const fromText = extractIndicators(description).map((raw): SubmittedIndicator => ({ raw, source: 'description' }));
  return [...fromField, ...fromText];
}

/**
 * Normalizes what was submitted: canonical values, local enrichment, duplicates collapsed (the
 * first occurrence wins, so an explicitly listed indicator keeps its `field` source), and every
 * rejected value kept with its reason. Each indicator gets the warning lists it matches, and its PAP:
 * the one given with it, otherwise the incident's `pap`. An indicator given as context only
 * (`forDetection: false`) stays so.
 */
export function normalizeSubmitted(
  submitted: readonly SubmittedIndicator[],
  pap: Pap,
): {
  indicators: IncidentIndicator[];
  rejected: RejectedIndicator[];
} {
  const indicators: IncidentIndicator[] = [];
  const rejected: RejectedIndicator[] = [];
  const seen = new Set<string>();
  for (const item of submitted) {
    const result = normalizeIndicator(item.raw, item.type);
    if (!result.ok) {
      rejected.push(result.rejected);
      continue;
    }
    const key = correlationKey(result.indicator);
    if (seen.has(key)) continue;
    seen.add(key);
    indicators.push({
      ...result.indicator,
      source: item.source,
      enrichment: enrichIndicator(result.indicator),
      warnings: indicatorWarnings(result.indicator),
      ...(item.pap !== undefined ? { pap: item.pap, papGiven: true as const } : { pap }),
      ...(item.forDetection === false ? { forDetection: false as const } : {}),
    });
  }
  return { indicators, rejected };
}

/** The indicators once the incident's PAP is `pap`: those without a PAP of their own follow it. */
export function followIncidentPap(indicators: readonly IncidentIndicator[], pap: Pap): IncidentIndicator[] {
  return indicators.map((indicator) => (indicator.papGiven ? indicator : { ...indicator, pap }));
}
