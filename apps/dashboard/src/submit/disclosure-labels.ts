import type { Disclosure } from '../api/types';
import { k } from '../i18n/keys';

/** What a partner that may not see the incident learns of a match with it. */
export const DISCLOSURE = {
  nothing: k('submit.disclosureNothing'),
  anonymous: k('submit.disclosureAnonymous'),
  named: k('submit.disclosureNamed'),
} satisfies Record<Disclosure, string>;
