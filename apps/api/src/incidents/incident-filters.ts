import { DomainError, isRsitClass, isRsitType, visibilityFilter, type Principal, type Viewer } from '@corridor/domain';
import type { IncidentListQuery } from '@corridor/persistence';
import type { ListIncidentsQuery } from './dto/list-incidents.query';

export const invalid = (field: string, message: string) =>
  new DomainError('validation_failed', 'request is invalid', { fields: [{ field, message }] });

/** The store query for the list filters, within what `viewer` may see (lists, counts, exports). */
export function listFilters(
  viewer: Viewer,
  query: ListIncidentsQuery,
  principal: Pick<Principal, 'id'>,
): Omit<IncidentListQuery, 'before' | 'limit'> {
  const [cls, type] = query.classification?.split('/') ?? [];
  if (cls !== undefined && (!isRsitClass(cls) || (type !== undefined && !isRsitType(cls, type)))) {
    throw invalid('classification', 'not an RSIT class or class/type');
  }
  return {
    visibility: visibilityFilter(viewer),
    state: query.state,
    status: query.status,
    severity: query.severity,
    classificationClass: cls,
    classificationType: type,
    since: query.since ? new Date(query.since) : undefined,
    // `me` is the caller: an API key is never assigned, so its "my incidents" is empty. Only the
    // caller's own organization's assignments can be asked about: others are not shown to it.
    assignee: query.assignee
      ? { orgId: viewer.orgId, userId: query.assignee === 'me' ? principal.id : query.assignee }
      : undefined,
    text: query.q?.trim() || undefined,
  };
}
