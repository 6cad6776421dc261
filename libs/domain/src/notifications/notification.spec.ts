import { TLP_LEVELS } from '../visibility/tlp';
import { CHANNEL_TLP_LEVELS, channelView, type Notification } from './notification';

const base: Notification = {
  id: 'al-1',
  type: 'alert.triggered',
  orgId: 'org-b',
  tlp: 'GREEN',
  occurredAt: '2026-11-30T03:00:00.000Z',
  incidentId: 'inc-1',
  alertId: 'al-1',
  content: { title: 'Phishing wave', severity: 'high' },
};

describe('channelView (what e-mail and webhooks carry)', () => {
  it('carries content at or below the channel’s highest TLP (default GREEN)', () => {
    expect(channelView(base)).toMatchObject({ label: 'TLP:GREEN', content: base.content, withheld: false });
    expect(channelView({ ...base, tlp: 'CLEAR' })).toMatchObject({ content: base.content, withheld: false });
    expect(channelView({ ...base, tlp: 'AMBER' }, 'AMBER')).toMatchObject({ content: base.content });
  });

  it('above it, only type, ids and label', () => {
    const view = channelView({ ...base, tlp: 'AMBER' });
    expect(view).toEqual({
      id: 'al-1',
      type: 'alert.triggered',
      tlp: 'AMBER',
      label: 'TLP:AMBER',
      occurredAt: base.occurredAt,
      incidentId: 'inc-1',
      alertId: 'al-1',
      withheld: true,
    });
    expect(channelView({ ...base, tlp: 'AMBER+STRICT' }, 'AMBER').withheld).toBe(true);
  });

  it('never carries RED content, whatever the channel allows', () => {
    for (const max of TLP_LEVELS) expect(channelView({ ...base, tlp: 'RED' }, max).content).toBeUndefined();
    expect(CHANNEL_TLP_LEVELS).not.toContain('RED');
  });
});
