/** TLP 2.0 (FIRST) labels, from least to most restrictive. */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export function isTlp(value: unknown): value is Tlp {
  return typeof value === 'string' && (TLP_LEVELS as readonly string[]).includes(value);
}

/** The strictest of some labels (CLEAR when none). */
export function strictestTlp(labels: Iterable<Tlp>): Tlp {
  let strictest: Tlp = 'CLEAR';
  for (const tlp of labels) if (TLP_LEVELS.indexOf(tlp) > TLP_LEVELS.indexOf(strictest)) strictest = tlp;
  return strictest;
}
