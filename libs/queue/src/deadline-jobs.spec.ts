import { DEADLINES_QUEUE, JOBS } from './jobs';

describe('deadline-reminder jobs', () => {
  const payload = {
    incidentId: '01936f3e-8c2a-7b4d-9e1f-0a1b2c3d4e5f',
    milestone: 'early-warning',
    when: 'near' as const,
    dueMs: 1_764_500_000_000,
  };

  it('go to their own queue under an id of incident, milestone, kind and due time', () => {
    const definition = JOBS['deadline-reminder'];
    expect(definition.queue).toBe(DEADLINES_QUEUE);
    const id = definition.jobId(payload);
    expect(id).toBe(`deadline-${payload.incidentId}-early-warning-near-1764500000000`);
    expect(id).not.toContain(':');
    // A new due time (awareness changed) is a new job; the other kind of reminder too.
    expect(definition.jobId({ ...payload, dueMs: payload.dueMs + 1 })).not.toBe(id);
    expect(definition.jobId({ ...payload, when: 'missed' })).not.toBe(id);
  });

  it('accept a well-formed payload and refuse anything else, naming the field', () => {
    const parse = JOBS['deadline-reminder'].parse;
    expect(parse(payload)).toEqual({ ok: true, payload });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...payload, incidentId: 'not-a-uuid' }, 'incidentId'],
      [{ ...payload, milestone: 'Bad Key' }, 'milestone'],
      [{ ...payload, when: 'later' }, 'when'],
      [{ ...payload, dueMs: 1.5 }, 'dueMs'],
      [{ ...payload, dueMs: -1 }, 'dueMs'],
      [{ ...payload, dueMs: '1764500000000' }, 'dueMs'],
    ];
    for (const [bad, field] of cases)
      expect(parse(bad)).toEqual({ ok: false, message: `job payload has no valid ${field}` });
  });
});
