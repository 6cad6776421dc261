import type { Audience } from '@corridor/domain';

export const PLATFORM_ROOM = 'platform';
export const orgRoom = (orgId: string): string => `org:${orgId}`;
export const incidentRoom = (incidentId: string): string => `incident:${incidentId}`;

/** The rooms that reach exactly an audience computed by the visibility rule. */
export function roomsFor(audience: Audience): string[] {
  switch (audience.kind) {
    case 'platform':
      return [PLATFORM_ROOM];
    case 'organizations':
      return audience.orgIds.map(orgRoom);
  }
}

/** socket.io adapter and emitter must share this key; it carries the deployment's Redis prefix. */
export const socketIoKey = (redisPrefix: string): string => `${redisPrefix}:sio`;
