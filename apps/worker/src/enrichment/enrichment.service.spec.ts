import { addressOf } from './enrichment.service';

describe('the address offline facts are looked up for', () => {
  it('is the address itself, a range’s network address, or a URL’s host when it is an address', () => {
    expect(addressOf({ type: 'ipv4', value: '8.8.8.8' })).toBe('8.8.8.8');
    expect(addressOf({ type: 'ipv6', value: '2001:4860:4860::8888' })).toBe('2001:4860:4860::8888');
    expect(addressOf({ type: 'cidr', value: '193.0.0.0/21' })).toBe('193.0.0.0');
    expect(addressOf({ type: 'cidr', value: '2001:4860::/32' })).toBe('2001:4860::');
    expect(addressOf({ type: 'url', value: 'http://1.1.1.1/login' })).toBe('1.1.1.1');
    expect(addressOf({ type: 'url', value: 'https://[2001:4860:4860::8888]:8443/x' })).toBe('2001:4860:4860::8888');
  });

  it('is none for names, hashes and the rest', () => {
    expect(addressOf({ type: 'url', value: 'https://login.example.net/' })).toBeUndefined();
    expect(addressOf({ type: 'domain', value: 'example.net' })).toBeUndefined();
    expect(addressOf({ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' })).toBeUndefined();
    expect(addressOf({ type: 'asn', value: 'AS15169' })).toBeUndefined();
  });
});
