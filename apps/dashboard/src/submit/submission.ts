import { RSIT_TAXONOMY } from '../api/domain';
import type { Disclosure, FieldError, IndicatorType, NewIncident, Pap, RsitClass, Severity, Tlp } from '../api/types';

/** The form as typed: strings and choices, turned into the api's body by `submission`. */
export interface Draft {
  title: string;
  description: string;
  classification: { class: RsitClass; type: string };
  severity: Severity;
  tlp: Tlp;
  /** '' leaves the default for the TLP (PAP:AMBER for AMBER, AMBER+STRICT and RED, PAP:GREEN otherwise). */
  pap: Pap | '';
  /** `<input type="datetime-local">`: local wall-clock time without a zone. */
  occurredAt: string;
  externalRef: string;
  indicators: Array<{ value: string; type: IndicatorType | '' }>;
  /** GREEN and AMBER: organization ids. */
  organizations: string[];
  /** RED: user ids, one per line (or separated by spaces or commas). */
  users: string;
  /** '' leaves the organization's policy for the incident's TLP. */
  disclosure: Disclosure | '';
}

/** Which recipients each level takes (the api's rule, `libs/domain` recipients): the form shows only those. */
export function recipientsTaken(tlp: Tlp): 'organizations' | 'users' | null {
  if (tlp === 'GREEN' || tlp === 'AMBER') return 'organizations';
  return tlp === 'RED' ? 'users' : null;
}

/** `2026-11-24T08:30` in the browser's zone → `2026-11-24T07:30:00.000Z`; anything unreadable as typed. */
export function instantOf(local: string): string {
  const time = new Date(local);
  return local && !Number.isNaN(time.getTime()) ? time.toISOString() : local;
}

/** The same, back: an instant as the value of a `datetime-local` input, in the browser's zone. */
export function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

export function emptyDraft(now: Date): Draft {
  return {
    title: '',
    description: '',
    classification: { class: 'fraud', type: 'phishing' },
    severity: 'medium',
    tlp: 'AMBER',
    pap: '',
    occurredAt: localInputValue(now),
    externalRef: '',
    indicators: [{ value: '', type: '' }],
    organizations: [],
    users: '',
    disclosure: '',
  };
}

/** A class chosen anew keeps its type when the class has it, otherwise takes the class's first type. */
export function withClass(draft: Draft, cls: RsitClass): Draft {
  const types: readonly string[] = RSIT_TAXONOMY[cls];
  const type = types.includes(draft.classification.type) ? draft.classification.type : (types[0] ?? '');
  return { ...draft, classification: { class: cls, type } };
}

/**
 * The body of `POST /api/v1/incidents`. Optional fields left empty are left out; recipients are sent
 * only for the level that takes them. Nothing else is judged here: the api validates, and its
 * answer names each field it refuses.
 */
export function submission(draft: Draft): NewIncident {
  const body: NewIncident = {
    title: draft.title,
    occurredAt: instantOf(draft.occurredAt),
    classification: { ...draft.classification },
    severity: draft.severity,
    tlp: draft.tlp,
  };
  if (draft.pap) body.pap = draft.pap;
  if (draft.description.trim()) body.description = draft.description;
  if (draft.externalRef.trim()) body.externalRef = draft.externalRef.trim();
  const indicators = draft.indicators
    .filter((indicator) => indicator.value.trim() !== '')
    .map((indicator) =>
      indicator.type ? { value: indicator.value.trim(), type: indicator.type } : { value: indicator.value.trim() },
    );
  if (indicators.length > 0) body.indicators = indicators;
  const taken = recipientsTaken(draft.tlp);
  if (taken === 'organizations' && draft.organizations.length > 0) {
    body.recipients = { organizations: draft.organizations };
  }
  const users = draft.users.split(/[\s,]+/).filter(Boolean);
  if (taken === 'users' && users.length > 0) body.recipients = { users };
  if (draft.disclosure) body.disclosure = draft.disclosure;
  return body;
}

/** The form's fields an error can be shown beside; `form` holds what names none of them. */
export const FORM_FIELDS = [
  'title',
  'description',
  'classification',
  'severity',
  'tlp',
  'pap',
  'occurredAt',
  'externalRef',
  'indicators',
  'recipients',
  'disclosure',
] as const;
export type FormField = (typeof FORM_FIELDS)[number] | 'form';

/**
 * A 400's `details.fields`, by the form field each is shown beside: `classification.type` beside the
 * classification, `indicators.2.value` beside the indicators (saying which row), the rest on the form.
 */
export function errorsByField(fields: readonly FieldError[]): Partial<Record<FormField, string[]>> {
  const errors: Partial<Record<FormField, string[]>> = {};
  for (const { field, message } of fields) {
    const [head = '', row] = field.split('.');
    const target: FormField = (FORM_FIELDS as readonly string[]).includes(head) ? (head as FormField) : 'form';
    const text =
      target === 'indicators' && row !== undefined && /^\d+$/.test(row) ? `#${Number(row) + 1}: ${message}` : message;
    (errors[target] ??= []).push(text);
  }
  return errors;
}
