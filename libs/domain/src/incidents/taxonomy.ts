/**
 * ENISA Reference Security Incident Taxonomy (RSIT), class → types, as published by the
 * ENISA/TF-CSIRT Reference Incident Classification Taxonomy working group.
 */
export const RSIT_TAXONOMY = {
  'abusive-content': ['spam', 'harmful-speech', 'violence'],
  'malicious-code': ['infected-system', 'c2-server', 'malware-distribution', 'malware-configuration'],
  'information-gathering': ['scanner', 'sniffing', 'social-engineering'],
  'intrusion-attempts': ['ids-alert', 'brute-force', 'exploit'],
  intrusions: [
    'privileged-account-compromise',
    'unprivileged-account-compromise',
    'application-compromise',
    'system-compromise',
    'burglary',
  ],
  availability: ['dos', 'ddos', 'misconfiguration', 'sabotage', 'outage'],
  'information-content-security': [
    'unauthorised-information-access',
    'unauthorised-information-modification',
    'data-loss',
    'data-leak',
  ],
  fraud: ['unauthorised-use-of-resources', 'copyright', 'masquerade', 'phishing'],
  vulnerable: [
    'weak-crypto',
    'ddos-amplifier',
    'potentially-unwanted-accessible',
    'information-disclosure',
    'vulnerable-system',
  ],
  other: ['other', 'undetermined'],
  test: ['test'],
} as const satisfies Record<string, readonly string[]>;

export type RsitClass = keyof typeof RSIT_TAXONOMY;
export const RSIT_CLASSES = Object.keys(RSIT_TAXONOMY) as RsitClass[];

export interface Classification {
  class: RsitClass;
  type: string;
}

export function isRsitClass(value: unknown): value is RsitClass {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RSIT_TAXONOMY, value);
}

/** True when `type` is one of the types RSIT lists under `cls`. */
export function isRsitType(cls: RsitClass, type: unknown): boolean {
  return typeof type === 'string' && (RSIT_TAXONOMY[cls] as readonly string[]).includes(type);
}
