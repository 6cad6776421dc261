import { organizationViewer } from '../visibility/visibility';
import {
  alertId,
  alertNotification,
  alertsFor,
  alertViewFor,
  checkRule,
  transitionAlert,
  withdrawAlert,
  type AlertIncident,
  type NotificationRule,
  type SourceEvent,
} from './alerting';

const at = new Date('2026-11-30T03:00:00.000Z');
const incident = (over: Partial<AlertIncident> = {}): AlertIncident => ({
  id: 'inc-1',
  orgId: 'org-a',
  tlp: 'GREEN',
  authorId: 'u-a',
  recipientOrgIds: [],
  recipientUserIds: [],
  title: 'Phishing wave',
  severity: 'high',
  classification: { class: 'fraud', type: 'phishing' },
  ...over,
});
const rule = (over: Partial<NotificationRule> = {}): NotificationRule => ({
  id: 'r-1',
  orgId: 'org-b',
  name: 'High severity',
  enabled: true,
  trigger: { kind: 'incident', minSeverity: 'high' },
  targets: { room: true, emails: [], webhookEndpointIds: [], policyId: null },
  maxTlp: 'GREEN',
  createdBy: 'u-admin',
  createdAt: at,
  updatedAt: at,
  ...over,
});
// org-b shares a community with org-a; org-c shares none.
const viewerOf = (orgId: string) => organizationViewer(orgId, orgId === 'org-b' ? ['org-a'] : []);

describe('alertsFor (rules on domain events)', () => {
  const created: SourceEvent = { kind: 'incident', id: 'incident:inc-1', incident: incident() };

  it('an incident at or above the severity, visible to the organization, raises one alert', () => {
    const alerts = alertsFor(created, [rule()], viewerOf, at);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ orgId: 'org-b', ruleId: 'r-1', state: 'triggered', escalation: null });
    expect(alerts[0].id).toBe(alertId('org-b', 'r-1', 'incident:inc-1'));
    expect(alertsFor(created, [rule()], viewerOf, at)[0].id).toBe(alerts[0].id); // a retry: the same id
  });

  it('nothing below the severity, outside the classes, when disabled, or when the organization may not see it', () => {
    expect(
      alertsFor(created, [rule({ trigger: { kind: 'incident', minSeverity: 'critical' } })], viewerOf, at),
    ).toEqual([]);
    expect(
      alertsFor(
        created,
        [rule({ trigger: { kind: 'incident', minSeverity: 'low', classes: ['malicious-code'] } })],
        viewerOf,
        at,
      ),
    ).toEqual([]);
    expect(alertsFor(created, [rule({ enabled: false })], viewerOf, at)).toEqual([]);
    expect(alertsFor(created, [rule({ orgId: 'org-c' })], viewerOf, at)).toEqual([]); // GREEN, no community
    const amber: SourceEvent = { ...created, incident: incident({ tlp: 'AMBER' }) };
    expect(alertsFor(amber, [rule()], viewerOf, at)).toEqual([]);
    const red: SourceEvent = { ...created, incident: incident({ tlp: 'RED', orgId: 'org-b' }) };
    expect(alertsFor(red, [rule()], viewerOf, at)).toEqual([]); // an organization as a whole sees no RED
  });

  it('a correlation alerts each side organization with a rule, on its own incident and value', () => {
    const event: SourceEvent = {
      kind: 'correlation',
      id: 'correlation:c-1',
      sides: [
        { orgId: 'org-a', incident: incident(), type: 'domain', value: 'a.example' },
        { orgId: 'org-b', incident: incident({ id: 'inc-2', orgId: 'org-b' }), type: 'domain', value: 'a.example' },
      ],
    };
    const rules = [
      rule({ trigger: { kind: 'correlation' } }),
      rule({ id: 'r-2', orgId: 'org-c', trigger: { kind: 'correlation' } }),
    ];
    const alerts = alertsFor(event, rules, viewerOf, at);
    expect(alerts.map((a) => [a.orgId, a.incident.id, a.detail.value])).toEqual([['org-b', 'inc-2', 'a.example']]);
  });

  it('a policy starts escalation at step 0, now', () => {
    const [alert] = alertsFor(
      created,
      [rule({ targets: { room: false, emails: [], webhookEndpointIds: [], policyId: 'p-1' } })],
      viewerOf,
      at,
    );
    expect(alert.escalation).toEqual({ policyId: 'p-1', step: 0, nextAt: at });
  });
});

describe('alertViewFor and alertNotification', () => {
  const [alert] = alertsFor(
    {
      kind: 'watchlist-hit',
      id: 'watch-hit:h-1',
      orgId: 'org-c',
      watched: { type: 'ipv4', value: '203.0.113.9' },
      incident: incident({ tlp: 'AMBER' }),
    },
    [rule({ orgId: 'org-c', trigger: { kind: 'watchlist-hit' } })],
    viewerOf,
    at,
  );

  it('hides the incident from a reader who may not see it, keeps the organization’s own value', () => {
    const view = alertViewFor(viewerOf('org-c'), alert);
    expect(view.incident).toBeNull();
    expect(view.detail).toEqual({ type: 'ipv4', value: '203.0.113.9' });
    expect(JSON.stringify(view)).not.toContain('Phishing wave');
    expect(alertViewFor(viewerOf('org-a'), alert).incident).toMatchObject({ id: 'inc-1', title: 'Phishing wave' });
  });

  it('the notification carries the label of the incident and stable ids per change', () => {
    const n = alertNotification(alert, 'alert.triggered', viewerOf('org-c'), at);
    expect(n).toMatchObject({ id: alert.id, tlp: 'AMBER', alertId: alert.id });
    expect(n.incidentId).toBeUndefined();
    expect(alertNotification(alert, 'alert.escalated', viewerOf('org-c'), at, 2).id).toBe(`${alert.id}.escalated.2`);
  });
});

describe('transitionAlert', () => {
  const [alert] = alertsFor(
    { kind: 'incident', id: 'incident:inc-1', incident: incident() },
    [rule({ targets: { room: true, emails: [], webhookEndpointIds: [], policyId: 'p-1' } })],
    viewerOf,
    at,
  );
  const later = new Date(at.getTime() + 1000);

  it('the first acknowledgement wins and stops escalation; a repeat changes nothing', () => {
    const first = transitionAlert(alert, 'acknowledge', 'u-1', later);
    expect(first.changed).toBe(true);
    if (!first.changed) return;
    expect(first.alert).toMatchObject({ state: 'acknowledged', acknowledged: { by: 'u-1', at: later } });
    expect(first.alert.escalation?.nextAt).toBeNull();
    expect(transitionAlert(first.alert, 'acknowledge', 'u-2', later)).toEqual({ changed: false });
  });

  it('resolve from triggered or acknowledged, once', () => {
    const resolved = transitionAlert(alert, 'resolve', 'u-1', later);
    expect(resolved.changed && resolved.alert.state).toBe('resolved');
    if (!resolved.changed) return;
    expect(transitionAlert(resolved.alert, 'resolve', 'u-2', later)).toEqual({ changed: false });
    expect(transitionAlert(resolved.alert, 'acknowledge', 'u-2', later)).toEqual({ changed: false });
  });
});

describe('checkRule', () => {
  const targets = { room: true, emails: [], webhookEndpointIds: [], policyId: null };
  it('names the field at fault', () => {
    expect(checkRule({ trigger: { kind: 'correlation' }, targets, maxTlp: 'GREEN' })).toEqual({ ok: true });
    expect(checkRule({ trigger: { kind: 'correlation' }, targets, maxTlp: 'RED' })).toMatchObject({ field: 'maxTlp' });
    expect(
      checkRule({ trigger: { kind: 'correlation' }, targets: { ...targets, room: false }, maxTlp: 'GREEN' }),
    ).toMatchObject({ field: 'targets' });
    const twice = [
      { address: 'a@x.example', language: 'en' as const },
      { address: 'A@x.example', language: 'ar' as const },
    ];
    expect(
      checkRule({ trigger: { kind: 'correlation' }, targets: { ...targets, emails: twice }, maxTlp: 'GREEN' }),
    ).toMatchObject({
      field: 'targets.emails',
    });
  });
});

describe('retractions and alerts', () => {
  const retracted: SourceEvent = {
    kind: 'retraction',
    id: 'retraction:retraction-1',
    orgIds: ['org-b', 'org-c'],
    incident: incident({ tlp: 'AMBER' }),
    scope: 'incident',
  };

  it('a retraction raises the retraction rules of the organizations told, and no others', () => {
    const rules = [
      rule({ id: 'r-b', orgId: 'org-b', trigger: { kind: 'retraction' } }),
      rule({ id: 'r-d', orgId: 'org-d', trigger: { kind: 'retraction' } }),
      rule({ id: 'r-b2', orgId: 'org-b', trigger: { kind: 'correlation' } }),
    ];
    const alerts = alertsFor(retracted, rules, viewerOf, at);
    expect(alerts.map((a) => a.ruleId)).toEqual(['r-b']);
    expect(alerts[0].detail).toEqual({ scope: 'incident' });
    // The AMBER incident is not shown to org-b, who may not see it.
    expect(alertViewFor(viewerOf('org-b'), alerts[0]).incident).toBeNull();
  });

  it('withdrawing stops escalation whatever the state, once; a withdrawn alert is neither acknowledged nor resolved', () => {
    const [alert] = alertsFor(
      { kind: 'incident', id: 'incident:inc-1', incident: incident() },
      [rule({ targets: { room: true, emails: [], webhookEndpointIds: [], policyId: 'p-1' } })],
      viewerOf,
      at,
    );
    const outcome = withdrawAlert(alert);
    expect(outcome.changed).toBe(true);
    if (!outcome.changed) return;
    expect(outcome.alert.state).toBe('withdrawn');
    expect(outcome.alert.escalation).toEqual({ policyId: 'p-1', step: 0, nextAt: null });
    expect(withdrawAlert(outcome.alert)).toEqual({ changed: false });
    expect(transitionAlert(outcome.alert, 'acknowledge', 'u', at)).toEqual({ changed: false });
    expect(transitionAlert(outcome.alert, 'resolve', 'u', at)).toEqual({ changed: false });
  });
});

describe('alertViewFor and a RED incident of the organization itself', () => {
  it('hides the correlated value from readers who may not see the organization’s own RED incident', () => {
    const red = incident({ id: 'inc-red', orgId: 'org-b', tlp: 'RED', authorId: 'u-author' });
    const [alert] = alertsFor(
      {
        kind: 'correlation',
        id: 'correlation:c-1',
        sides: [{ orgId: 'org-b', incident: red, value: 'secret.example.net', type: 'domain' }],
      },
      [rule({ trigger: { kind: 'correlation' } })],
      viewerOf,
      at,
    );
    const orgView = alertViewFor(viewerOf('org-b'), alert);
    expect(orgView.incident).toBeNull();
    expect(orgView.detail).toEqual({});
    expect(JSON.stringify(orgView)).not.toContain('secret.example.net');
    const author = { orgId: 'org-b', principalId: 'u-author', userId: 'u-author', communityPeers: [] };
    expect(alertViewFor(author, alert).detail).toEqual({ type: 'domain', value: 'secret.example.net' });
  });
});
