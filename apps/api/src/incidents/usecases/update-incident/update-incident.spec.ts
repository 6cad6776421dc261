import { DomainError, type Incident } from '@corridor/domain';
import { UpdateIncidentDto } from '../../dto/update-incident.dto';
import { changeCheck, givenFields } from './update-incident.service';

const at = new Date('2026-11-29T21:00:00.000Z');

function stored(extra: Partial<Incident> = {}): Incident {
  return {
    id: 'i-1',
    orgId: 'org-a',
    authorId: 'key-a',
    recipientOrgIds: [],
    recipientUserIds: [],
    status: 'new',
    title: 'Incident',
    description: '',
    occurredAt: at,
    classification: { class: 'fraud', type: 'phishing' },
    severity: 'high',
    tlp: 'AMBER',
    pap: 'AMBER',
    state: 'correlated',
    submitted: [],
    indicators: [],
    rejectedIndicators: [],
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

function conflictOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('update incident: the fields given', () => {
  it('counts null (unassign) as given and absent class fields as not given', () => {
    const dto = Object.assign(new UpdateIncidentDto(), { assigneeId: null, status: undefined });
    expect(givenFields(dto)).toEqual(['assigneeId']);
    expect(givenFields(new UpdateIncidentDto())).toEqual([]);
  });
});

describe('update incident: the check under the lock', () => {
  it('records who changed the status and when, for a real change', () => {
    expect(changeCheck({ status: 'triaged' }, undefined, 'user-1', at)(stored())).toEqual({
      statusChangedBy: 'user-1',
      statusChangedAt: at,
    });
  });

  it('records nothing when the status stays', () => {
    expect(changeCheck({ status: 'new' }, undefined, 'user-1', at)(stored())).toEqual({});
    expect(changeCheck({}, undefined, 'user-1', at)(stored({ status: 'closed' }))).toEqual({});
  });

  it('judges the move on the stored status, with the allowed next statuses', () => {
    const error = conflictOf(() => changeCheck({ status: 'new' }, undefined, 'u', at)(stored({ status: 'contained' })));
    expect(error.code).toBe('conflict');
    expect(error.details?.allowed).toEqual(['resolved', 'closed']);
  });

  it('still refuses TLP and recipients that do not fit', () => {
    const error = conflictOf(() =>
      changeCheck({ tlp: 'RED' }, { recipientOrgIds: ['org-b'], recipientUserIds: [] }, 'u', at)(stored()),
    );
    expect(error.code).toBe('validation_failed');
  });
});
