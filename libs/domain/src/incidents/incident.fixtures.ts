import { SharingContext } from '../visibility/organization-display';
import type { Incident } from './incident';

/*
 * Fixtures shared by the incident specs (not part of the library's exports): organizations A and B in
 * one community, where B chose anonymity, and a correlated GREEN incident of A.
 */

export const fixtureAt = new Date('2026-11-29T10:00:00.000Z');

export const twoOrganizations = new SharingContext(
  [
    {
      members: [
        { orgId: 'A', anonymous: false },
        { orgId: 'B', anonymous: true },
      ],
    },
  ],
  [
    { id: 'A', name: 'CERT A', kind: 'cert' },
    { id: 'B', name: 'Agency B', kind: 'agency' },
  ],
);

export const greenIncidentOfA: Incident = {
  id: 'i-1',
  orgId: 'A',
  authorId: 'key-a',
  recipientOrgIds: [],
  recipientUserIds: [],
  status: 'new',
  title: 'title',
  description: '',
  occurredAt: fixtureAt,
  classification: { class: 'fraud', type: 'phishing' },
  severity: 'high',
  tlp: 'GREEN',
  pap: 'GREEN',
  state: 'correlated',
  submitted: [],
  indicators: [],
  rejectedIndicators: [],
  createdAt: fixtureAt,
  updatedAt: fixtureAt,
};
