import type { Tlp } from './tlp';

/**
 * PAP (Permissible Actions Protocol, FIRST), from least to most restrictive: what a recipient may do
 * with an indicator. RED: passive, non-detectable use only (own logs); AMBER: passive cross-checks
 * (e.g. lookups in reputation services); GREEN: active actions (blocking, pinging); CLEAR: no restriction.
 */
export const PAP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'RED'] as const;
export type Pap = (typeof PAP_LEVELS)[number];

export function isPap(value: unknown): value is Pap {
  return typeof value === 'string' && (PAP_LEVELS as readonly string[]).includes(value);
}

/** The PAP of an incident that does not state one: AMBER for AMBER, AMBER+STRICT and RED, GREEN otherwise. */
export function defaultPap(tlp: Tlp): Pap {
  switch (tlp) {
    case 'CLEAR':
    case 'GREEN':
      return 'GREEN';
    case 'AMBER':
    case 'AMBER+STRICT':
    case 'RED':
      return 'AMBER';
  }
}

/**
 * Whether an indicator under `pap` may be sent to an external service (an enrichment provider) that
 * accepts indicators up to `providerMaxPap`: a passive reputation lookup accepts up to AMBER, an
 * active probe up to GREEN. PAP:RED never leaves the platform, whatever the provider accepts.
 */
export function mayLeavePlatform(pap: Pap, providerMaxPap: Pap): boolean {
  if (pap === 'RED') return false;
  return PAP_LEVELS.indexOf(pap) <= PAP_LEVELS.indexOf(providerMaxPap);
}
