import { DomainError, type FieldError } from '../errors/domain-error';
import type { Tlp } from './tlp';

/**
 * Which recipients each TLP level uses. A level takes only the kinds it uses; anything else is
 * refused rather than stored and silently ignored, so what a submitter names is always what decides
 * who sees the incident.
 *
 * - CLEAR: none (everyone sees it).
 * - GREEN: organizations — named organizations join the audience, also outside the submitter's communities.
 * - AMBER: organizations — the submitter's constituents and partners that need to know.
 * - AMBER+STRICT: none (the submitting organization only).
 * - RED: people (users) — the named individuals.
 */
export const RECIPIENT_KINDS = ['organizations', 'users'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

const ACCEPTED: Record<Tlp, readonly RecipientKind[]> = {
  CLEAR: [],
  GREEN: ['organizations'],
  AMBER: ['organizations'],
  'AMBER+STRICT': [],
  RED: ['users'],
};

export function acceptedRecipientKinds(tlp: Tlp): readonly RecipientKind[] {
  return ACCEPTED[tlp];
}

export function acceptsRecipients(tlp: Tlp, kind: RecipientKind): boolean {
  return ACCEPTED[tlp].includes(kind);
}

/** The organizations an item names that its level lets in (none for levels that take no organizations). */
export function namedOrganizations(item: { tlp: Tlp; recipientOrgIds: readonly string[] }): readonly string[] {
  return acceptsRecipients(item.tlp, 'organizations') ? item.recipientOrgIds : [];
}

export interface RecipientLists {
  recipientOrgIds: readonly string[];
  recipientUserIds: readonly string[];
}

/**
 * Where each recipient list of the combination comes from: `request` (sent in this request) or
 * `stored` (kept from the incident because the request did not replace the recipients).
 */
export type RecipientOrigin = 'request' | 'stored';

const FIELD: Record<RecipientKind, string> = {
  organizations: 'recipients.organizations',
  users: 'recipients.users',
};
const NOUN: Record<RecipientKind, string> = { organizations: 'recipient organizations', users: 'recipient users' };

function levelsTaking(kind: RecipientKind): string {
  const levels = (Object.keys(ACCEPTED) as Tlp[]).filter((tlp) => acceptsRecipients(tlp, kind));
  return levels.length === 1 ? `only ${levels[0]} does` : `${levels.join(' and ')} do`;
}

/** The recipient lists a level does not take, each named by its request field; empty when all fit. */
export function refusedRecipients(
  tlp: Tlp,
  recipients: RecipientLists,
  origin: RecipientOrigin = 'request',
): FieldError[] {
  const lists: Record<RecipientKind, readonly string[]> = {
    organizations: recipients.recipientOrgIds,
    users: recipients.recipientUserIds,
  };
  return RECIPIENT_KINDS.filter((kind) => lists[kind].length > 0 && !acceptsRecipients(tlp, kind)).map((kind) => ({
    field: FIELD[kind],
    message:
      origin === 'stored'
        ? `TLP:${tlp} takes no ${NOUN[kind]} (${levelsTaking(kind)}), and the incident still names ${lists[kind].length}: ` +
          `the rule applies to the TLP and recipients the change would leave, so clear them in the same request ` +
          `("recipients": {"${kind}": []})`
        : `TLP:${tlp} takes no ${NOUN[kind]} (${levelsTaking(kind)})`,
  }));
}

/** Throws `validation_failed` naming every recipient list the level does not take. */
export function assertRecipientsFit(tlp: Tlp, recipients: RecipientLists, origin: RecipientOrigin = 'request'): void {
  const fields = refusedRecipients(tlp, recipients, origin);
  if (fields.length > 0) throw new DomainError('validation_failed', 'request is invalid', { fields });
}
