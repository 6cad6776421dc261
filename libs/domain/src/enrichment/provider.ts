import type { IncidentIndicator } from '../incidents/incident';
import type { IndicatorType } from '../indicators/indicator-type';
import { mayLeavePlatform, type Pap } from '../visibility/pap';

/**
 * What Corridor knows of an external enrichment provider: which indicator types it accepts, the
 * most restrictive PAP an indicator sent to it may carry, how long its answers are cached, how many
 * requests it takes per window and how long one request may take.
 */
export interface ProviderDescriptor {
  /** Stable name: letters, digits and '-' (it names the provider's queue and cache keys). */
  name: string;
  types: readonly IndicatorType[];
  /** Highest PAP it may receive: AMBER for a passive reputation lookup, GREEN for an active probe. */
  maxPap: Pap;
  cacheTtlSeconds: number;
  /** At most `max` requests per `durationMs`; excess work waits in the provider's queue. */
  rateLimit: { max: number; durationMs: number };
  /** One request's budget, in milliseconds; beyond it the request counts as a failure. */
  timeoutMs: number;
}

export const PROVIDER_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Why an indicator is not sent to a provider; undefined when it may be. */
export type WithheldReason = 'type' | 'pap' | 'warned';

/**
 * Whether `indicator` may be sent to `provider`: of a type it accepts, under a PAP at or below its
 * `maxPap` (PAP:RED never leaves the platform, see `mayLeavePlatform`), and on no warning list (a
 * private address, a public resolver or a popular domain says nothing about the incident and would
 * spend the provider's quota).
 */
export function withheldReason(
  indicator: Pick<IncidentIndicator, 'type' | 'pap' | 'warnings'>,
  provider: Pick<ProviderDescriptor, 'types' | 'maxPap'>,
): WithheldReason | undefined {
  if (!provider.types.includes(indicator.type)) return 'type';
  if (!mayLeavePlatform(indicator.pap, provider.maxPap)) return 'pap';
  if (indicator.warnings.length > 0) return 'warned';
  return undefined;
}

/** The indicators of an incident that may go to `provider`, each canonical value once. */
export function indicatorsFor<I extends Pick<IncidentIndicator, 'type' | 'value' | 'pap' | 'warnings'>>(
  indicators: readonly I[],
  provider: Pick<ProviderDescriptor, 'types' | 'maxPap'>,
): I[] {
  const seen = new Set<string>();
  return indicators.filter((indicator) => {
    const key = `${indicator.type}:${indicator.value}`;
    if (seen.has(key) || withheldReason(indicator, provider) !== undefined) return false;
    seen.add(key);
    return true;
  });
}
