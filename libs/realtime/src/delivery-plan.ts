import type { SharingContext, Viewer } from '@corridor/domain';
import type { EventName, EventPayloads } from './events';

/**
 * Who reads an event. An organization reader stands for every socket of that organization (all its
 * people and keys see the same non-RED incidents, worded the same way); a principal reader is one
 * user or API key (RED incidents, and events meant for particular people). A socket receives the
 * delivery for its principal when the plan has one, else the one for its organization: never both.
 */
export type Reader =
  { kind: 'organization'; orgId: string } | { kind: 'principal'; principalId: string; orgId: string; isUser: boolean };

export interface Delivery<E extends EventName = EventName> {
  reader: Reader;
  payload: EventPayloads[E];
}

/**
 * One event, and for each of its readers the payload worded for that reader. Built by the pure
 * planners in `plans.ts` from the same rules REST uses; the publisher stores each delivery in its
 * reader's stream (for resume) and the api instances hand it to exactly that reader's sockets.
 */
export interface DeliveryPlan<E extends EventName = EventName> {
  event: E;
  /** The incident the event is about: a replay re-checks that the reader may still see it. */
  incidentId?: string;
  /** `incident`: only sockets that joined `incidentId` receive it (detail events such as comments). */
  scope: 'feed' | 'incident';
  deliveries: Array<Delivery<E>>;
  /**
   * The incidents the event tells its readers of (default: `incidentId`). Each reader is written into
   * their ledgers (see `EventLog.told`), so a retraction later tells exactly those who were told.
   */
  about?: readonly string[];
}

/** The stream (and dispatch) key of a reader. */
export function readerKey(reader: Reader): string {
  return reader.kind === 'organization' ? `o:${reader.orgId}` : `p:${reader.principalId}`;
}

/**
 * A reader as the ledger of who was told of an incident keeps it: `o:<orgId>`, or
 * `p:<principalId>:<orgId>:<u|k>` (a person or an API key), so the reader can be rebuilt from it.
 */
export function ledgerMember(reader: Reader): string {
  return reader.kind === 'organization'
    ? `o:${reader.orgId}`
    : `p:${reader.principalId}:${reader.orgId}:${reader.isUser ? 'u' : 'k'}`;
}

/** The reader a ledger member names; undefined for anything else. */
export function readerOfLedgerMember(member: string): Reader | undefined {
  const parts = member.split(':');
  if (parts[0] === 'o' && parts.length === 2 && parts[1]) return { kind: 'organization', orgId: parts[1] };
  if (parts[0] === 'p' && parts.length === 4 && parts[1] && parts[2] && (parts[3] === 'u' || parts[3] === 'k'))
    return { kind: 'principal', principalId: parts[1], orgId: parts[2], isUser: parts[3] === 'u' };
  return undefined;
}

/** The visibility rule's viewer for a reader (an organization as a whole sees no RED). */
export function viewerOfReader(reader: Reader, sharing: SharingContext): Viewer {
  if (reader.kind === 'organization') return sharing.organizationViewer(reader.orgId);
  return sharing.viewerFor({ kind: reader.isUser ? 'user' : 'key', id: reader.principalId, orgId: reader.orgId });
}

/** Refuses a plan that names one reader twice: a socket must get exactly one payload per event. */
export function assertDistinctReaders(plan: DeliveryPlan): void {
  const seen = new Set<string>();
  for (const delivery of plan.deliveries) {
    const key = readerKey(delivery.reader);
    if (seen.has(key)) throw new Error(`delivery plan for ${plan.event} names reader ${key} twice`);
    seen.add(key);
  }
}
