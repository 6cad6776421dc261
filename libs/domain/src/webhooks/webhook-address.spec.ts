import { classifyWebhookAddress, parseAllowedCidrs } from './webhook-address';

describe('classifyWebhookAddress', () => {
  it('allows global unicast IPv4 and IPv6', () => {
    for (const address of ['8.8.8.8', '203.0.114.9', '2606:4700:4700::1111', '2a00:1450:4001::200e'])
      expect(classifyWebhookAddress(address)).toEqual({ allowed: true });
  });

  it('refuses loopback, RFC 1918, link-local, CGNAT, ULA, multicast, unspecified and reserved ranges', () => {
    const cases: Array<[string, string]> = [
      ['127.0.0.1', 'loopback'],
      ['127.255.0.9', 'loopback'],
      ['::1', 'loopback'],
      ['10.1.2.3', 'private'],
      ['172.16.0.1', 'private'],
      ['172.31.255.255', 'private'],
      ['192.168.1.1', 'private'],
      ['169.254.10.10', 'linkLocal'],
      ['fe80::1', 'linkLocal'],
      ['100.64.0.1', 'carrierGradeNat'],
      ['100.127.255.254', 'carrierGradeNat'],
      ['fc00::1', 'uniqueLocal'],
      ['fd12:3456::1', 'uniqueLocal'],
      ['224.0.0.1', 'multicast'],
      ['239.1.1.1', 'multicast'],
      ['ff02::1', 'multicast'],
      ['0.0.0.0', 'unspecified'],
      ['::', 'unspecified'],
      ['255.255.255.255', 'broadcast'],
      ['192.0.2.1', 'reserved'],
      ['2001:db8::1', 'reserved'],
      ['2002:7f00:1::1', '6to4'],
      ['64:ff9b::7f00:1', 'rfc6052'],
    ];
    for (const [address, reason] of cases)
      expect([address, classifyWebhookAddress(address)]).toEqual([address, { allowed: false, reason }]);
  });

  it('refuses the cloud metadata addresses, even the one that is otherwise global, and even when allowed', () => {
    const allowed = parseAllowedCidrs('169.254.0.0/16, 168.63.0.0/16, 100.64.0.0/10, fd00::/8');
    for (const address of ['169.254.169.254', '169.254.170.2', '100.100.100.200', '168.63.129.16', 'fd00:ec2::254'])
      expect(classifyWebhookAddress(address, allowed)).toEqual({ allowed: false, reason: 'metadata' });
    expect(classifyWebhookAddress('192.0.0.192')).toEqual({ allowed: false, reason: 'metadata' });
    expect(classifyWebhookAddress('168.63.129.17')).toEqual({ allowed: true });
  });

  it('judges an IPv4-mapped IPv6 address as the IPv4 address it carries', () => {
    expect(classifyWebhookAddress('::ffff:127.0.0.1')).toEqual({ allowed: false, reason: 'loopback' });
    expect(classifyWebhookAddress('::ffff:10.0.0.1')).toEqual({ allowed: false, reason: 'private' });
    expect(classifyWebhookAddress('::ffff:169.254.169.254')).toEqual({ allowed: false, reason: 'metadata' });
    expect(classifyWebhookAddress('::ffff:8.8.8.8')).toEqual({ allowed: true });
    expect(classifyWebhookAddress('::ffff:127.0.0.1', parseAllowedCidrs('127.0.0.1/32'))).toEqual({ allowed: true });
  });

  it('allows what WEBHOOK_ALLOWED_CIDRS names, and only that', () => {
    const allowed = parseAllowedCidrs('127.0.0.1/32,10.20.0.0/16, fd12::/16');
    expect(classifyWebhookAddress('127.0.0.1', allowed)).toEqual({ allowed: true });
    expect(classifyWebhookAddress('127.0.0.2', allowed)).toEqual({ allowed: false, reason: 'loopback' });
    expect(classifyWebhookAddress('10.20.9.9', allowed)).toEqual({ allowed: true });
    expect(classifyWebhookAddress('10.21.0.1', allowed)).toEqual({ allowed: false, reason: 'private' });
    expect(classifyWebhookAddress('fd12::5', allowed)).toEqual({ allowed: true });
    expect(classifyWebhookAddress('::1', allowed)).toEqual({ allowed: false, reason: 'loopback' });
  });

  it('refuses what is not an address', () => {
    for (const address of ['', 'localhost', '1.2.3', '127.1', '0x7f.0.0.1', '01.02.03.04.05', 'example.com'])
      expect(classifyWebhookAddress(address)).toEqual({ allowed: false, reason: 'invalid' });
  });
});

describe('parseAllowedCidrs', () => {
  it('reads comma-separated CIDRs, ignoring blanks, and names a bad entry', () => {
    expect(parseAllowedCidrs('')).toEqual([]);
    expect(parseAllowedCidrs(' 127.0.0.1/32 , ,::1/128').map(([a, bits]) => `${a.toString()}/${bits}`)).toEqual([
      '127.0.0.1/32',
      '::1/128',
    ]);
    expect(() => parseAllowedCidrs('127.0.0.1/32,banana')).toThrow('"banana" is not a CIDR');
    expect(() => parseAllowedCidrs('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not a CIDR');
  });
});
