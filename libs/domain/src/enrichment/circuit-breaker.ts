/**
 * A provider's circuit breaker: `closed` lets requests through and counts consecutive failures;
 * after `failureThreshold` of them it is `open` and nothing is sent until `coolDownMs` has passed;
 * then it is `half-open`: requests go through again, the first success closes it, a failure opens
 * it for another cool-down.
 */
export interface BreakerState {
  /** Consecutive failures since the last success. */
  failures: number;
  /** When it last opened (epoch milliseconds); null while closed. */
  openedAt: number | null;
}

export interface BreakerSettings {
  failureThreshold: number;
  coolDownMs: number;
}

export type BreakerPhase = 'closed' | 'open' | 'half-open';

export const CLOSED_BREAKER: BreakerState = { failures: 0, openedAt: null };

export function breakerPhase(state: BreakerState, settings: BreakerSettings, now: number): BreakerPhase {
  if (state.openedAt === null) return 'closed';
  return now - state.openedAt < settings.coolDownMs ? 'open' : 'half-open';
}

/** Milliseconds until an open breaker lets a request through (0 when closed or half-open). */
export function breakerWaitMs(state: BreakerState, settings: BreakerSettings, now: number): number {
  if (breakerPhase(state, settings, now) !== 'open' || state.openedAt === null) return 0;
  return state.openedAt + settings.coolDownMs - now;
}

/** After a success: closed, failures forgotten. */
export function afterSuccess(): BreakerState {
  return CLOSED_BREAKER;
}

/** After a failure: one more consecutive failure; opens (again) at the threshold or when half-open. */
export function afterFailure(state: BreakerState, settings: BreakerSettings, now: number): BreakerState {
  const failures = state.failures + 1;
  const phase = breakerPhase(state, settings, now);
  if (phase === 'half-open' || (phase === 'closed' && failures >= settings.failureThreshold))
    return { failures, openedAt: now };
  return { failures, openedAt: state.openedAt };
}
