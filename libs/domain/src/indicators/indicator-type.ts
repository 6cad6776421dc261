/** Every kind of indicator of compromise Corridor understands. */
export const INDICATOR_TYPES = [
  'ipv4',
  'ipv6',
  'cidr',
  'domain',
  'url',
  'email',
  'md5',
  'sha1',
  'sha256',
  'sha512',
  'cve',
  'asn',
] as const;

export type IndicatorType = (typeof INDICATOR_TYPES)[number];

const TYPE_SET: ReadonlySet<string> = new Set(INDICATOR_TYPES);

export function isIndicatorType(v: unknown): v is IndicatorType {
  return typeof v === 'string' && TYPE_SET.has(v);
}
