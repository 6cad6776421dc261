import { IpFactsSource } from './ip-facts';

/**
 * Against the shipped data sets themselves. Expected values were read from the files: country from
 * geo-whois-asn-country.mmdb, ASN rows from asn-ipv4.csv / asn-ipv6.csv, e.g.
 * `8.8.8.0,8.8.8.255,15169,Google LLC`, `1.1.1.0,1.1.1.255,13335,"Cloudflare, Inc."`,
 * `193.0.0.0,193.0.7.255,3333,Reseaux IP Europeens Network Coordination Centre (RIPE NCC)`,
 * `2001:4860::,2001:4860:4804:ffff:…,15169,Google LLC`.
 */
describe('offline IP facts (maxmind country MMDB, ASN ranges)', () => {
  const source = new IpFactsSource();

  beforeAll(() => source.load(), 60_000);

  it('loads every ASN range of both families', async () => {
    const sizes = await source.sizes();
    expect(sizes.v4).toBe(411_961);
    expect(sizes.v6).toBe(103_197);
  });

  it('finds country and AS of well-known IPv4 addresses, a quoted organization name too', async () => {
    expect(await source.lookup('8.8.8.8')).toEqual({ country: 'US', asn: 15169, asOrg: 'Google LLC' });
    expect(await source.lookup('1.1.1.1')).toEqual({ country: 'AU', asn: 13335, asOrg: 'Cloudflare, Inc.' });
    expect(await source.lookup('193.0.7.255')).toEqual({
      country: 'NL',
      asn: 3333,
      asOrg: 'Reseaux IP Europeens Network Coordination Centre (RIPE NCC)',
    });
  });

  it('finds IPv6 ranges by their full 128 bits, and reads an IPv4-mapped address as IPv4', async () => {
    expect(await source.lookup('2001:4860:4860::8888')).toEqual({ country: 'US', asn: 15169, asOrg: 'Google LLC' });
    expect((await source.lookup('2001:4860:4805::1')).asn).toBe(43515);
    expect(await source.lookup('::ffff:8.8.8.8')).toEqual({ country: 'US', asn: 15169, asOrg: 'Google LLC' });
  });

  it('says nothing of unannounced or private addresses and of non-addresses', async () => {
    expect(await source.lookup('10.1.2.3')).toEqual({});
    expect(await source.lookup('0.0.0.1')).toEqual({});
    expect(await source.lookup('not-an-ip')).toEqual({});
  });
});
