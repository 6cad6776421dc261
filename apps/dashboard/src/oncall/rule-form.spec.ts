import type { NotificationRule } from '../api/types';
import { NEW_RULE, draftOf, firstPlace, placeOf, ruleBody, ruleFieldErrors } from './rule-form';

describe('rule form', () => {
  it('sends severity and classes only with an incident trigger, a blank policy as none', () => {
    expect(ruleBody({ ...NEW_RULE, name: '  Night desk ', classes: ['fraud'] })).toEqual({
      name: 'Night desk',
      enabled: true,
      trigger: { kind: 'incident', minSeverity: 'critical', classes: ['fraud'] },
      targets: { room: true, emails: [], webhookEndpointIds: [], policyId: null },
      maxTlp: 'GREEN',
    });
    expect(
      ruleBody({
        ...NEW_RULE,
        kind: 'correlation',
        classes: ['fraud'],
        emails: [{ address: ' soc@cert.example ', language: 'ar' }],
        webhookEndpointIds: ['wh-1'],
        policyId: 'ep-1',
        maxTlp: 'AMBER',
      }),
    ).toMatchObject({
      trigger: { kind: 'correlation' },
      targets: {
        emails: [{ address: 'soc@cert.example', language: 'ar' }],
        webhookEndpointIds: ['wh-1'],
        policyId: 'ep-1',
      },
      maxTlp: 'AMBER',
    });
  });

  it('fills the form from a stored rule and sends it back unchanged', () => {
    const rule: NotificationRule = {
      id: 'nr-1',
      name: 'Watch hits',
      enabled: false,
      trigger: { kind: 'incident', minSeverity: 'high', classes: ['intrusions'] },
      targets: {
        room: false,
        emails: [{ address: 'a@b.example', language: 'ur' }],
        webhookEndpointIds: [],
        policyId: null,
      },
      maxTlp: 'CLEAR',
      createdBy: 'u1',
      createdAt: '2026-11-29T10:00:00.000Z',
      updatedAt: '2026-11-29T10:00:00.000Z',
    };
    const draft = draftOf(rule);
    expect(draft).toMatchObject({ kind: 'incident', minSeverity: 'high', policyId: '', enabled: false });
    expect(ruleBody(draft)).toEqual({
      name: rule.name,
      enabled: false,
      trigger: rule.trigger,
      targets: rule.targets,
      maxTlp: 'CLEAR',
    });
    expect(draftOf({ ...rule, trigger: { kind: 'watchlist-hit' } })).toMatchObject({
      minSeverity: 'critical',
      classes: [],
    });
  });

  it('shows each api error beside its control or e-mail row', () => {
    expect(placeOf('targets.emails.1.address')).toBe('targets.emails.1');
    expect(placeOf('targets.emails')).toBe('targets.emails');
    expect(placeOf('targets.webhookEndpointIds.0')).toBe('targets.webhookEndpointIds');
    expect(placeOf('trigger.classes.2')).toBe('trigger.classes');
    expect(placeOf('trigger.minSeverity')).toBe('trigger.minSeverity');
    expect(placeOf('targets.somethingNew')).toBe('targets');
    expect(placeOf('trigger')).toBe('trigger.kind');
    expect(placeOf('unexpected')).toBe('name');
    const errors = ruleFieldErrors([
      { field: 'maxTlp', message: 'never RED' },
      { field: 'targets.emails.0.address', message: 'not an e-mail' },
      { field: 'targets.emails.0.language', message: 'not a language' },
    ]);
    expect(errors).toEqual({ maxTlp: ['never RED'], 'targets.emails.0': ['not an e-mail', 'not a language'] });
    expect(firstPlace(errors, 1)).toBe('targets.emails.0');
    expect(firstPlace({}, 0)).toBeUndefined();
  });
});
