import {
  emptyDraft,
  errorsByField,
  instantOf,
  localInputValue,
  recipientsTaken,
  submission,
  withClass,
} from './submission';

describe('submission', () => {
  const now = new Date(2026, 10, 24, 8, 30);
  const draft = { ...emptyDraft(now), title: 'Phone report', description: 'C2 at hxxp://evil[.]example' };

  it('sends the fields given and leaves empty optional ones out', () => {
    expect(submission(draft)).toEqual({
      title: 'Phone report',
      description: 'C2 at hxxp://evil[.]example',
      occurredAt: now.toISOString(),
      classification: { class: 'fraud', type: 'phishing' },
      severity: 'medium',
      tlp: 'AMBER',
    });
  });

  it('sends a PAP only when one was chosen (otherwise the api applies the default for the TLP)', () => {
    expect(submission(draft)).not.toHaveProperty('pap');
    expect(submission({ ...draft, pap: 'RED' }).pap).toBe('RED');
    expect(errorsByField([{ field: 'pap', message: 'pap must be one of …' }])).toEqual({
      pap: ['pap must be one of …'],
    });
  });

  it('sends explicit indicators, typed when a type was chosen, and trims references', () => {
    const body = submission({
      ...draft,
      externalRef: ' SOC-1 ',
      indicators: [
        { value: '203.0.113[.]7', type: '' },
        { value: '  ', type: 'md5' },
        { value: 'D41D8CD98F00B204E9800998ECF8427E', type: 'md5' },
      ],
      disclosure: 'anonymous',
    });
    expect(body.externalRef).toBe('SOC-1');
    expect(body.indicators).toEqual([
      { value: '203.0.113[.]7' },
      { value: 'D41D8CD98F00B204E9800998ECF8427E', type: 'md5' },
    ]);
    expect(body.disclosure).toBe('anonymous');
  });

  it('sends only the recipients the level takes', () => {
    const named = { ...draft, organizations: ['org-b'], users: 'user-1, user-2\nuser-3' };
    expect(submission({ ...named, tlp: 'GREEN' }).recipients).toEqual({ organizations: ['org-b'] });
    expect(submission({ ...named, tlp: 'RED' }).recipients).toEqual({ users: ['user-1', 'user-2', 'user-3'] });
    expect(submission({ ...named, tlp: 'CLEAR' }).recipients).toBeUndefined();
    expect(submission({ ...named, tlp: 'AMBER+STRICT' }).recipients).toBeUndefined();
    expect(recipientsTaken('AMBER')).toBe('organizations');
    expect(recipientsTaken('RED')).toBe('users');
    expect(recipientsTaken('CLEAR')).toBeNull();
  });

  it('turns local input time into an instant and back', () => {
    expect(localInputValue(now)).toBe('2026-11-24T08:30');
    expect(instantOf('2026-11-24T08:30')).toBe(now.toISOString());
    expect(instantOf('not a time')).toBe('not a time');
    expect(instantOf('')).toBe('');
  });

  it('keeps the type when the new class has it, else takes its first type', () => {
    expect(withClass(draft, 'availability').classification).toEqual({ class: 'availability', type: 'dos' });
    const other = { ...draft, classification: { class: 'other' as const, type: 'undetermined' } };
    expect(withClass(other, 'other').classification.type).toBe('undetermined');
  });

  it('places each field error beside its field', () => {
    expect(
      errorsByField([
        { field: 'title', message: 'title must not contain control characters' },
        { field: 'classification.type', message: 'type is not an RSIT type of class "fraud"' },
        { field: 'indicators.2.value', message: 'value must be shorter' },
        { field: 'recipients.users', message: 'no user u-1' },
        { field: 'Idempotency-Key', message: 'must be printable' },
      ]),
    ).toEqual({
      title: ['title must not contain control characters'],
      classification: ['type is not an RSIT type of class "fraud"'],
      indicators: ['#3: value must be shorter'],
      recipients: ['no user u-1'],
      form: ['must be printable'],
    });
  });
});
