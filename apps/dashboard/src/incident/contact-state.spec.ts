import { contactState } from './contact-state';

describe('contact state', () => {
  it('tells each side where its request stands, naming the other side once accepted', () => {
    const at = '2026-11-29T10:00:00.000Z';
    expect(
      contactState({ id: 'c', direction: 'outgoing', status: 'pending', createdAt: at, answeredAt: null }),
    ).toEqual({ key: 'incident.contactPendingOut' });
    expect(
      contactState({
        id: 'c',
        direction: 'outgoing',
        status: 'accepted',
        createdAt: at,
        answeredAt: at,
        organization: { id: 'o', name: 'CERT-B' },
        incidentId: 'i2',
      }),
    ).toEqual({ key: 'incident.contactAcceptedOut', values: { organization: 'CERT-B' } });
    expect(
      contactState({ id: 'c', direction: 'incoming', status: 'declined', createdAt: at, answeredAt: at }).key,
    ).toBe('incident.contactDeclinedIn');
  });
});
