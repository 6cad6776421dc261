import { DomainError } from '../errors/domain-error';
import { INCIDENT_STATUSES } from './incident';
import { allowedNextStatuses, assertTransition, canTransition } from './workflow';

describe('incident workflow', () => {
  it('has the lifecycle in order, and keeps every status stored before it', () => {
    expect(INCIDENT_STATUSES).toEqual(['new', 'triaged', 'investigating', 'contained', 'resolved', 'closed']);
    for (const legacy of ['new', 'investigating', 'resolved', 'closed']) {
      expect(INCIDENT_STATUSES).toContain(legacy);
    }
  });

  it.each([
    ['new', ['triaged', 'investigating', 'contained', 'resolved', 'closed']],
    ['triaged', ['investigating', 'contained', 'resolved', 'closed']],
    ['investigating', ['contained', 'resolved', 'closed']],
    ['contained', ['resolved', 'closed']],
    ['resolved', ['investigating', 'closed']],
    ['closed', ['investigating']],
  ] as const)('from %s allows %j', (from, allowed) => {
    expect(allowedNextStatuses(from)).toEqual(allowed);
  });

  it('refuses backward moves other than reopening', () => {
    expect(canTransition('investigating', 'new')).toBe(false);
    expect(canTransition('contained', 'triaged')).toBe(false);
    expect(canTransition('closed', 'resolved')).toBe(false);
    expect(canTransition('resolved', 'contained')).toBe(false);
    expect(canTransition('closed', 'new')).toBe(false);
  });

  it('reopens a resolved or closed incident to investigating', () => {
    expect(canTransition('resolved', 'investigating')).toBe(true);
    expect(canTransition('closed', 'investigating')).toBe(true);
  });

  it('treats the same status as no transition', () => {
    for (const status of INCIDENT_STATUSES) expect(canTransition(status, status)).toBe(true);
  });

  it('throws a conflict listing the allowed next statuses', () => {
    let error: unknown;
    try {
      assertTransition('closed', 'resolved');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('conflict');
    expect((error as DomainError).details?.allowed).toEqual(['investigating']);
  });
});
