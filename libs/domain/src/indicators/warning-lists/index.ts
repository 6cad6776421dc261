import { IP_RANGE_LISTS } from './ip-ranges';
import { POPULAR_DOMAINS } from './popular-domains';
import { PUBLIC_DNS_RESOLVERS } from './public-dns-resolvers';
import { SPECIAL_USE_DOMAINS } from './special-use-domains';

/** The ids of the warning lists an indicator can match; each says why it is not malicious on its own. */
export const WARNING_LISTS: readonly string[] = [
  ...IP_RANGE_LISTS.map((list) => list.list),
  PUBLIC_DNS_RESOLVERS.list,
  SPECIAL_USE_DOMAINS.list,
  POPULAR_DOMAINS.list,
];
