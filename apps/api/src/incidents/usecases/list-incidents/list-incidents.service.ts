import { Injectable } from '@nestjs/common';
import type { Principal } from '@corridor/domain';
import { IncidentsRepository } from '@corridor/persistence';
import type { ListIncidentsQuery } from '../../dto/list-incidents.query';
import { IncidentAccess } from '../../incident-access.service';
import { invalid, listFilters } from '../../incident-filters';
import { listItemOf, type IncidentListItem } from '../../incident.view';

const DEFAULT_PAGE = 50;

/** The cursor is the last id of the previous page, base64url-encoded; anything else is refused. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const before = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[0-9a-f-]{36}$/.test(before)) throw invalid('cursor', 'is not a cursor this api issued');
  return before;
}

export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Incidents the caller may see, newest first, one page at a time. */
@Injectable()
export class ListIncidents {
  constructor(
    private readonly access: IncidentAccess,
    private readonly incidents: IncidentsRepository,
  ) {}

  async execute(
    principal: Principal,
    query: ListIncidentsQuery,
  ): Promise<{ items: IncidentListItem[]; nextCursor: string | null }> {
    const { viewer, sharing } = await this.access.viewerOf(principal);
    const before = decodeCursor(query.cursor);
    const limit = query.limit ?? DEFAULT_PAGE;
    const page = await this.incidents.list({ ...listFilters(viewer, query, principal), before, limit });
    const last = page.items.at(-1);
    return {
      items: page.items.map((incident) => listItemOf(incident, viewer.orgId, sharing)),
      nextCursor: page.hasMore && last ? encodeCursor(last.id) : null,
    };
  }
}
