import type { Audience, Shareable } from '@corridor/domain';

export const orgRoom = (orgId: string): string => `org:${orgId}`;
/** One room per user or API key: RED incidents reach exactly their named people this way. */
export const principalRoom = (principalId: string): string => `principal:${principalId}`;
export const incidentRoom = (incidentId: string): string => `incident:${incidentId}`;
/** The sockets opened with one login session's access tokens: closed together at logout. */
export const sessionRoom = (sessionId: string): string => `session:${sessionId}`;

/** One delivery of an event: a room, and the organization whose view the payload must be worded for. */
export interface Delivery {
  room: string;
  viewerOrgId: string;
}

/**
 * The rooms that reach exactly an audience computed by the visibility rule, each with the
 * organization to word the payload for (names can be anonymised per organization). Principal rooms
 * are worded for `principalsOrgId` (RED recipients were named, so they see real names anyway).
 */
export function deliveriesFor(audience: Audience, allOrgIds: readonly string[], principalsOrgId: string): Delivery[] {
  const orgIds = audience.everyone ? allOrgIds : audience.orgIds;
  return [
    ...orgIds.map((orgId) => ({ room: orgRoom(orgId), viewerOrgId: orgId })),
    ...audience.principalIds.map((id) => ({ room: principalRoom(id), viewerOrgId: principalsOrgId })),
  ];
}

/** socket.io adapter and emitter must share this key; it carries the deployment's Redis prefix. */
export const socketIoKey = (redisPrefix: string): string => `${redisPrefix}:sio`;

/**
 * The people of the submitting organization who hear about one of its incidents (its correlation
 * alerts, failures, acknowledgements): the whole organization, except for RED — its author and
 * named people only.
 */
export function ownerRooms(incident: Pick<Shareable, 'tlp' | 'orgId' | 'authorId' | 'recipientUserIds'>): string[] {
  if (incident.tlp !== 'RED') return [orgRoom(incident.orgId)];
  return [...new Set([incident.authorId, ...incident.recipientUserIds])].map(principalRoom);
}
