import { Injectable } from '@nestjs/common';
import { canSee, contactOfSide, correlationViewFor, sidesOf, type Principal } from '@corridor/domain';
import {
  ContactRequestsRepository,
  CorrelationsRepository,
  FalsePositivesRepository,
  IncidentsRepository,
  SharingDirectory,
} from '@corridor/persistence';
import type { AlertPage, AlertView } from '@corridor/realtime';
import { invalid } from '../incidents/incident-filters';
import type { ListAlertsQuery } from './dto/list-alerts.query';

const DEFAULT_PAGE = 50;

/** Where a page ends: in the unacknowledged or the acknowledged part, and the last alert's place there. */
export interface AlertPosition {
  acknowledged: boolean;
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `<u|a>.<createdAt ms>.<correlation id>`; anything else is refused. */
export function encodeAlertCursor(position: AlertPosition): string {
  const text = `${position.acknowledged ? 'a' : 'u'}.${position.createdAt.getTime()}.${position.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function decodeAlertCursor(cursor: string | undefined): AlertPosition | undefined {
  if (!cursor) return undefined;
  const match = /^([ua])\.(\d{1,15})\.(cor-[0-9a-f]{40})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw invalid('cursor', 'is not a cursor this api issued');
  return { acknowledged: match[1] === 'a', createdAt: new Date(Number(match[2])), id: match[3] };
}

/**
 * The correlation alerts of the caller's organization: correlations with a side of that organization
 * whose incident the caller may see, each worded by the same view as the live `correlation.alert`.
 * Unacknowledged first, then newest first. The store is read in batches of a page (with the incidents
 * of each batch in one read), skipping alerts on incidents the caller may not see (RED ones of others).
 */
@Injectable()
export class ListAlerts {
  constructor(
    private readonly correlations: CorrelationsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly contacts: ContactRequestsRepository,
    private readonly sharing: SharingDirectory,
    private readonly falsePositives: FalsePositivesRepository,
  ) {}

  async execute(principal: Principal, query: ListAlertsQuery): Promise<AlertPage> {
    const sharing = await this.sharing.context();
    const viewer = sharing.viewerFor(principal);
    const limit = query.limit ?? DEFAULT_PAGE;
    const cursor = decodeAlertCursor(query.cursor);
    const parts = query.acknowledged === undefined ? [false, true] : [query.acknowledged === 'true'];
    if (cursor && !parts.includes(cursor.acknowledged)) {
      throw invalid('cursor', 'belongs to a list with another acknowledged filter');
    }
    const found: Array<{ view: AlertView; position: AlertPosition }> = [];
    for (const acknowledged of cursor ? parts.slice(parts.indexOf(cursor.acknowledged)) : parts) {
      let after = cursor?.acknowledged === acknowledged ? cursor : undefined;
      while (found.length <= limit) {
        const batch = await this.correlations.pageForOrganization({
          orgId: viewer.orgId,
          acknowledged,
          after,
          limit: limit + 1,
        });
        if (batch.length === 0) break;
        const [incidents, contacts, marked] = await Promise.all([
          this.incidents.findHeads(batch.flatMap((c) => [c.found.incidentId, c.earlier.incidentId])),
          this.contacts.forCorrelations(batch.map((c) => c.id)),
          this.falsePositives.ofOrganization(
            viewer.orgId,
            batch.map((c) => c.key),
          ),
        ]);
        for (const correlation of batch) {
          // A pair of values the organization marked as a false positive leaves its list.
          if (marked.has(correlation.key)) continue;
          const ownId = (correlation.found.orgId === viewer.orgId ? correlation.found : correlation.earlier).incidentId;
          const own = incidents.get(ownId);
          const other = incidents.get(sidesOf(correlation, ownId).other.incidentId);
          if (!own || !other || !canSee(viewer, own)) continue;
          const contact = contactOfSide(contacts, correlation.id, viewer.orgId, own.id);
          const view = correlationViewFor(viewer, correlation, own, other, sharing, contact);
          if (!view) continue;
          found.push({ view, position: { acknowledged, createdAt: correlation.createdAt, id: correlation.id } });
          if (found.length > limit) break;
        }
        if (batch.length <= limit) break;
        const last = batch[batch.length - 1];
        after = { acknowledged, createdAt: last.createdAt, id: last.id };
      }
      if (found.length > limit) break;
    }
    const page = found.slice(0, limit);
    const more = found.length > limit;
    return {
      items: page.map((entry) => entry.view),
      nextCursor: more ? encodeAlertCursor(page[page.length - 1].position) : null,
    };
  }
}
