import { readFile } from 'node:fs/promises';
import * as ipaddr from 'ipaddr.js';
import maxmind, { type Reader, type Response } from 'maxmind';

/**
 * Offline facts on a public IP address: its country and the autonomous system announcing it.
 *
 * - Country: `@ip-location-db/geo-whois-asn-country-mmdb` (geo-whois-asn-country.mmdb, records
 *   `{country_code}`), read with `maxmind`. Package licence CC0-1.0; its data source is NRO
 *   statistics, CC BY 4.0 (attribution: nro.net).
 * - ASN: `@ip-location-db/asn` (asn-ipv4-num.csv / asn-ipv6-num.csv: `first,last,asn,organization`,
 *   addresses as decimal integers), CC BY 4.0: RouteViews (routeviews.org), DB-IP IP to ASN Lite
 *   (db-ip.com) and NRO (nro.net).
 *
 * Both are loaded once, on first use, and kept in memory: the ASN ranges as sorted typed arrays
 * searched by bisection.
 */
export interface IpFacts {
  country?: string;
  asn?: number;
  asOrg?: string;
}

const COUNTRY_FILE = require.resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
const ASN_V4_FILE = require.resolve('@ip-location-db/asn/asn-ipv4-num.csv');
const ASN_V6_FILE = require.resolve('@ip-location-db/asn/asn-ipv6-num.csv');

/** Sorted, non-overlapping ranges; `first`/`last` as 128-bit numbers split in two 64-bit halves. */
class AsnRanges {
  constructor(
    private readonly firstHi: BigUint64Array,
    private readonly firstLo: BigUint64Array,
    private readonly lastHi: BigUint64Array,
    private readonly lastLo: BigUint64Array,
    private readonly asns: Uint32Array,
    private readonly orgIndex: Uint32Array,
    private readonly orgs: readonly string[],
  ) {}

  get size(): number {
    return this.asns.length;
  }

  /** The range holding `address` (a 128-bit number), by bisection over the sorted first addresses. */
  find(hi: bigint, lo: bigint): { asn: number; asOrg: string } | undefined {
    let low = 0;
    let high = this.asns.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const h = this.firstHi[mid];
      if (h < hi || (h === hi && this.firstLo[mid] <= lo)) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (found < 0) return undefined;
    const lh = this.lastHi[found];
    if (lh < hi || (lh === hi && this.lastLo[found] < lo)) return undefined;
    return { asn: this.asns[found], asOrg: this.orgs[this.orgIndex[found]] };
  }

  /** Parses a `first,last,asn,organization` CSV (organization possibly quoted, `""` for a quote). */
  static parse(text: string): AsnRanges {
    const lines = text.split('\n').filter((line) => line.length > 0);
    const n = lines.length;
    const firstHi = new BigUint64Array(n);
    const firstLo = new BigUint64Array(n);
    const lastHi = new BigUint64Array(n);
    const lastLo = new BigUint64Array(n);
    const asns = new Uint32Array(n);
    const orgIndex = new Uint32Array(n);
    const orgs: string[] = [];
    const orgIds = new Map<string, number>();
    const mask = (1n << 64n) - 1n;
    lines.forEach((line, i) => {
      const a = line.indexOf(',');
      const b = line.indexOf(',', a + 1);
      const c = line.indexOf(',', b + 1);
      const first = BigInt(line.slice(0, a));
      const last = BigInt(line.slice(a + 1, b));
      let org = line.slice(c + 1).trimEnd();
      if (org.startsWith('"') && org.endsWith('"')) org = org.slice(1, -1).replaceAll('""', '"');
      firstHi[i] = first >> 64n;
      firstLo[i] = first & mask;
      lastHi[i] = last >> 64n;
      lastLo[i] = last & mask;
      asns[i] = Number(line.slice(b + 1, c));
      let id = orgIds.get(org);
      if (id === undefined) {
        id = orgs.push(org) - 1;
        orgIds.set(org, id);
      }
      orgIndex[i] = id;
    });
    return new AsnRanges(firstHi, firstLo, lastHi, lastLo, asns, orgIndex, orgs);
  }
}

interface Loaded {
  country: Reader<Response>;
  v4: AsnRanges;
  v6: AsnRanges;
}

/** The address as a 128-bit number (IPv4 in the low 32 bits), and its family. */
function numberOf(address: ipaddr.IPv4 | ipaddr.IPv6): { v4: boolean; hi: bigint; lo: bigint } {
  const bytes = address.toByteArray();
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  return { v4: address.kind() === 'ipv4', hi: n >> 64n, lo: n & ((1n << 64n) - 1n) };
}

export class IpFactsSource {
  private loading?: Promise<Loaded>;

  /** Loads the data sets (once); later calls share the first load. */
  load(): Promise<Loaded> {
    this.loading ??= (async () => {
      const [country, v4, v6] = await Promise.all([
        maxmind.open(COUNTRY_FILE),
        readFile(ASN_V4_FILE, 'utf8').then((text) => AsnRanges.parse(text)),
        readFile(ASN_V6_FILE, 'utf8').then((text) => AsnRanges.parse(text)),
      ]);
      return { country, v4, v6 };
    })();
    this.loading.catch(() => (this.loading = undefined));
    return this.loading;
  }

  /** Number of ASN ranges loaded, per family. */
  async sizes(): Promise<{ v4: number; v6: number }> {
    const { v4, v6 } = await this.load();
    return { v4: v4.size, v6: v6.size };
  }

  /**
   * Country and AS of an IP address (an IPv4-mapped IPv6 address as the IPv4 one it carries); empty
   * for an address outside both data sets or a value that is not an address.
   */
  async lookup(value: string): Promise<IpFacts> {
    if (!ipaddr.isValid(value)) return {};
    let address = ipaddr.parse(value);
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress())
      address = (address as ipaddr.IPv6).toIPv4Address();
    const data = await this.load();
    const facts: IpFacts = {};
    // This data set's records are `{country_code}` (see its README), not the GeoIP2 shapes.
    const record = data.country.get(address.toString()) as { country_code?: string } | null;
    const code = record?.country_code;
    if (code) facts.country = code.toUpperCase();
    const { v4, hi, lo } = numberOf(address);
    const as = (v4 ? data.v4 : data.v6).find(hi, lo);
    if (as) {
      facts.asn = as.asn;
      facts.asOrg = as.asOrg;
    }
    return facts;
  }
}
