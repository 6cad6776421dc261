/** Where a list's facts come from, and when they were last checked against it. */
export interface WarningListSource {
  /** ISO date (YYYY-MM-DD) the list was last checked against its sources. */
  updated: string;
  sources: readonly string[];
}

/**
 * Networks and addresses: `cidrs` written here, and ranges that ipaddr.js already classifies, by the
 * name its `range()` gives them (`ipaddrRanges`), so no range is written twice.
 */
export interface IpWarningList extends WarningListSource {
  list: string;
  name: string;
  cidrs: readonly string[];
  ipaddrRanges: { ipv4: readonly string[]; ipv6: readonly string[] };
}

/** Domain names: each listed name and every name under it (`a.b.example.com` is under `example.com`). */
export interface DomainWarningList extends WarningListSource {
  list: string;
  name: string;
  domains: readonly string[];
}
