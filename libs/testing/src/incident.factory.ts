import { randomBytes } from 'node:crypto';

/** A valid incident submission; override what the test is about. */
export function incidentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Test incident ${randomBytes(3).toString('hex')}`,
    description: 'Suspicious traffic observed.',
    occurredAt: '2026-11-24T08:30:00Z',
    classification: { class: 'intrusion-attempts', type: 'brute-force' },
    severity: 'high',
    tlp: 'GREEN',
    ...overrides,
  };
}

/**
 * A public IPv4 address (in 45.0.0.0/8) no other test is likely to use. Not a documentation address:
 * those are on a warning list, and warned indicators never correlate.
 */
export function testIpv4(): string {
  const [b, c, d] = randomBytes(3);
  return `45.${b}.${c}.${1 + (d % 254)}`;
}

/** A domain name under no warning list (`example.com` and its names are on one), unique to the caller. */
export function testDomain(tag = 'd'): string {
  return `${tag}-${randomBytes(5).toString('hex')}.corridor-test.net`;
}
