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

/** A documentation-range IPv4 address (203.0.113.0/24) no other test is likely to use. */
export function testIpv4(): string {
  return `203.0.113.${1 + (randomBytes(1)[0] % 254)}`;
}
