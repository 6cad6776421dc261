import { TLP_LEVELS, type Tlp } from './tlp';

/**
 * What a partner that may NOT see an incident learns when one of its own incidents matches it.
 * TLP 2.0 leaves the disclosure of restricted information to its owner, and "a match exists with
 * organization X" is information taken from X's report, so each owner decides, per TLP level:
 *
 * - `nothing`: the partner is told its own incident matched something, and nothing about the other side;
 * - `anonymous`: "a partner organization holds a matching report at TLP:<level>", with a way to ask
 *   for contact (brokered: no identity crosses before the owner accepts);
 * - `named`: the owner's organization as that reader knows it (its display name, which may itself be
 *   anonymised by community membership) and the TLP level — never the incident itself.
 */
export const DISCLOSURE_LEVELS = ['nothing', 'anonymous', 'named'] as const;
export type Disclosure = (typeof DISCLOSURE_LEVELS)[number];

export type DisclosurePolicy = Record<Tlp, Disclosure>;

/** Defaults: what is shareable anyway is named; AMBER is anonymous; the strictest levels say nothing. */
export const DEFAULT_DISCLOSURE_POLICY: Readonly<DisclosurePolicy> = Object.freeze({
  CLEAR: 'named',
  GREEN: 'named',
  AMBER: 'anonymous',
  'AMBER+STRICT': 'nothing',
  RED: 'nothing',
});

export function isDisclosure(value: unknown): value is Disclosure {
  return typeof value === 'string' && (DISCLOSURE_LEVELS as readonly string[]).includes(value);
}

/**
 * The disclosure that applies to one incident: its own override when set, else its organization's
 * policy for its TLP (missing levels fall back to the defaults).
 */
export function disclosureFor(
  incident: { tlp: Tlp; disclosure?: Disclosure | null },
  policy: Partial<DisclosurePolicy> | undefined,
): Disclosure {
  // Stored values are checked, not trusted: a value that is no level counts as unset.
  if (isDisclosure(incident.disclosure)) return incident.disclosure;
  const chosen = policy?.[incident.tlp];
  return isDisclosure(chosen) ? chosen : DEFAULT_DISCLOSURE_POLICY[incident.tlp];
}

/** A full policy from a partial one (stored settings may predate a level). */
export function completePolicy(policy: Partial<DisclosurePolicy> | undefined): DisclosurePolicy {
  // Not a spread: a level present but undefined (an optional DTO field, a stored null) must not
  // replace its default.
  const complete = { ...DEFAULT_DISCLOSURE_POLICY };
  for (const tlp of TLP_LEVELS) {
    const chosen = policy?.[tlp];
    if (isDisclosure(chosen)) complete[tlp] = chosen;
  }
  return complete;
}

/** Only the levels a policy sets to a valid value (what is worth storing). */
export function explicitPolicy(policy: Partial<Record<Tlp, unknown>> | undefined): Partial<DisclosurePolicy> {
  const explicit: Partial<DisclosurePolicy> = {};
  for (const tlp of TLP_LEVELS) {
    const chosen = policy?.[tlp];
    if (isDisclosure(chosen)) explicit[tlp] = chosen;
  }
  return explicit;
}
