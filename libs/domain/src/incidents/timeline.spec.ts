import { fixtureAt, greenIncidentOfA, twoOrganizations } from './incident.fixtures';
import type { Incident } from './incident';
import { submittedEntry, timelineChanges, timelineEntryFor, timelineIds, type TimelineEntry } from './timeline';

const sharing = twoOrganizations;
const at = fixtureAt;
const incident = greenIncidentOfA;
const noCorrelation = () => undefined;

describe('timeline', () => {
  it('derives the submission from the incident', () => {
    expect(timelineEntryFor(submittedEntry(incident), incident, 'A', sharing, noCorrelation)).toEqual({
      id: 'submitted-i-1',
      incidentId: 'i-1',
      at: at.toISOString(),
      by: { organization: { id: 'A', name: 'CERT A' }, principalId: 'key-a' },
      kind: 'submitted',
    });
  });

  it('makes one entry per field that changed, with ids fixed by the change', () => {
    const after: Incident = {
      ...incident,
      status: 'triaged',
      tlp: 'AMBER',
      recipientOrgIds: ['B'],
      assigneeId: 'user-a',
    };
    const actor = { orgId: 'A', principalId: 'user-a' };
    const entries = timelineChanges(incident, after, actor, at, 'c1');
    expect(entries.map((e) => [e.kind, e.id])).toEqual([
      ['status_changed', 'status_changed-i-1-c1'],
      ['tlp_changed', 'tlp_changed-i-1-c1'],
      ['recipients_changed', 'recipients_changed-i-1-c1'],
      ['assigned', 'assigned-i-1-c1'],
    ]);
    expect(timelineChanges(incident, { ...incident }, actor, at, 'c2')).toEqual([]);
    expect(timelineChanges(incident, after, actor, at, 'c1')).toEqual(entries);
  });

  it('keeps recipients and assignment to the submitting organization', () => {
    const after: Incident = { ...incident, recipientOrgIds: ['B'], assigneeId: 'user-a' };
    const [recipients, assigned] = timelineChanges(incident, after, { orgId: 'A', principalId: 'user-a' }, at, 'c');
    for (const entry of [recipients, assigned]) {
      expect(timelineEntryFor(entry, after, 'A', sharing, noCorrelation)).toBeDefined();
      expect(timelineEntryFor(entry, after, 'B', sharing, noCorrelation)).toBeUndefined();
    }
  });

  it('words a comment by an anonymised organization as comments do, and names the person to their own only', () => {
    const entry: TimelineEntry = {
      id: timelineIds.commented('c-1'),
      incidentId: 'i-1',
      at,
      actor: { orgId: 'B', principalId: 'user-b' },
      kind: 'commented',
      commentId: 'c-1',
      text: 'seen here too',
    };
    expect(timelineEntryFor(entry, incident, 'A', sharing, noCorrelation)).toMatchObject({
      by: { organization: { id: null, name: 'a partner agency' }, principalId: null },
      comment: { id: 'c-1', organization: { id: null, name: 'a partner agency' }, text: 'seen here too' },
    });
    expect(timelineEntryFor(entry, incident, 'B', sharing, noCorrelation)).toMatchObject({
      by: { organization: { id: 'B', name: 'Agency B' }, principalId: 'user-b' },
    });
  });

  it('leaves out a correlation the reader may not learn of', () => {
    const entry: TimelineEntry = {
      id: timelineIds.correlated('i-1', 'cor-1'),
      incidentId: 'i-1',
      at,
      actor: null,
      kind: 'correlated',
      correlationId: 'cor-1',
    };
    expect(timelineEntryFor(entry, incident, 'B', sharing, noCorrelation)).toBeUndefined();
  });

  it('shows a contact request to each side as that side sees it, naming nobody before an acceptance', () => {
    const request = {
      id: 'contact-1',
      correlationId: 'cor-1',
      requesterOrgId: 'B',
      requesterIncidentId: 'i-b',
      requestedBy: 'key-b',
      ownerOrgId: 'A',
      ownerIncidentId: 'i-1',
      status: 'pending' as const,
      createdAt: at,
      answeredAt: null,
      answeredBy: null,
    };
    const entry: TimelineEntry = {
      id: timelineIds.contact('contact_requested', 'i-1', 'contact-1'),
      incidentId: 'i-1',
      at,
      actor: null,
      kind: 'contact_requested',
      contact: request,
    };
    const owner = timelineEntryFor(entry, incident, 'A', sharing, noCorrelation);
    expect(owner).toMatchObject({ by: null, contact: { id: 'contact-1', direction: 'incoming', status: 'pending' } });
    expect(JSON.stringify(owner)).not.toContain('"B"');
    // Readers of the incident outside its organization do not learn of it.
    expect(timelineEntryFor(entry, incident, 'B', sharing, noCorrelation)).toBeUndefined();
  });
});
