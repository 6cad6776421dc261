import type { FalsePositiveMark, FalsePositiveState, Incident } from '../api/types';

/** The mark of the reader's organization on a correlation of the incident, if it made one. */
export function markOf(incident: Pick<Incident, 'falsePositives'>, correlationId: string): FalsePositiveMark | null {
  return incident.falsePositives.find((mark) => mark.correlationId === correlationId) ?? null;
}

/**
 * The incident as the api's answer to a mark or an undo leaves it: the correlation's mark set from
 * `state.falsePositive`, or taken away when that is null. The mark is on the correlation's pair of
 * values, so other correlations of the same pair change too: the page re-reads the incident after this.
 */
export function withFalsePositive<T extends Pick<Incident, 'falsePositives'>>(
  incident: T,
  state: FalsePositiveState,
): T {
  const others = incident.falsePositives.filter((mark) => mark.correlationId !== state.id);
  const falsePositives = state.falsePositive
    ? [...others, { correlationId: state.id, ...state.falsePositive }]
    : others;
  return { ...incident, falsePositives };
}
