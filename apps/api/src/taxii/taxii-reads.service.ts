import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type AppConfig } from '@corridor/config';
import {
  encodeCursor,
  formatTimestampMicros,
  notFound,
  pageOf,
  parseTaxiiQuery,
  verifyCursor,
  type CursorScope,
  type Principal,
  type TaxiiQuery,
  type TaxiiQueryOptions,
} from '@corridor/domain';
import { TaxiiRepository, type TaxiiObjectRecord } from '@corridor/persistence';
import { TaxiiAccess, type ReadableCollection } from './taxii-access.service';

/** Page size when `limit` is absent, and the most one page holds (TAXII 2.1 §3.4: the server may cap). */
export const TAXII_DEFAULT_LIMIT = 100;
export const TAXII_MAX_LIMIT = 1000;

/** A TAXII answer: its body and the X-TAXII-Date-Added-First/Last headers. */
export interface TaxiiAnswer {
  body: Record<string, unknown>;
  headers: Record<string, string | undefined>;
}

type RawQuery = Record<string, unknown>;

const OBJECTS_QUERY: TaxiiQueryOptions = {
  defaultLimit: TAXII_DEFAULT_LIMIT,
  maxLimit: TAXII_MAX_LIMIT,
  allowIdAndType: true,
  allowVersion: true,
};
const OBJECT_QUERY: TaxiiQueryOptions = { ...OBJECTS_QUERY, allowIdAndType: false };
const VERSIONS_QUERY: TaxiiQueryOptions = { ...OBJECT_QUERY, allowVersion: false };

/**
 * The reading endpoints of a collection. Each page is read from the store already filtered by the
 * caller's visibility, so `limit`, `more`, `next` and the date headers only ever count versions the
 * caller may read; an object with no version the caller may read is a 404, as a missing one.
 */
@Injectable()
export class TaxiiReads {
  constructor(
    private readonly access: TaxiiAccess,
    private readonly taxii: TaxiiRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** GET objects/ (TAXII 2.1 §5.4): an envelope. */
  async objects(principal: Principal, collectionId: string, raw: RawQuery): Promise<TaxiiAnswer> {
    const readable = await this.access.requireReadable(principal, collectionId);
    const query = parseTaxiiQuery(raw, OBJECTS_QUERY);
    return this.envelope(await this.page(readable, 'objects', query));
  }

  /** GET manifest/ (TAXII 2.1 §5.3). */
  async manifest(principal: Principal, collectionId: string, raw: RawQuery): Promise<TaxiiAnswer> {
    const readable = await this.access.requireReadable(principal, collectionId);
    const query = parseTaxiiQuery(raw, OBJECTS_QUERY);
    const page = await this.page(readable, 'manifest', query);
    const objects = page.items.map((e) => ({
      id: e.stixId,
      date_added: formatTimestampMicros(e.dateAdded),
      version: e.versionText,
      media_type: e.mediaType,
    }));
    return this.answer(page, objects.length > 0 ? { objects } : {});
  }

  /** GET objects/{id}/ (TAXII 2.1 §5.6). */
  async object(principal: Principal, collectionId: string, objectId: string, raw: RawQuery): Promise<TaxiiAnswer> {
    const readable = await this.access.requireReadable(principal, collectionId);
    const query = { ...parseTaxiiQuery(raw, OBJECT_QUERY), ids: [objectId] };
    await this.requireVisibleObject(readable, objectId);
    return this.envelope(await this.page(readable, `object:${objectId}`, query));
  }

  /** GET objects/{id}/versions/ (TAXII 2.1 §5.8). */
  async versions(principal: Principal, collectionId: string, objectId: string, raw: RawQuery): Promise<TaxiiAnswer> {
    const readable = await this.access.requireReadable(principal, collectionId);
    const parsed = parseTaxiiQuery(raw, VERSIONS_QUERY);
    const query: TaxiiQuery = {
      ...parsed,
      ids: [objectId],
      versions: { first: false, last: false, all: true, at: [] },
    };
    await this.requireVisibleObject(readable, objectId);
    const page = await this.page(readable, `versions:${objectId}`, query);
    const versions = page.items.map((e) => e.versionText);
    return this.answer(page, versions.length > 0 ? { versions } : {});
  }

  /** 404 unless the caller may read some version of the object. */
  private async requireVisibleObject(readable: ReadableCollection, objectId: string): Promise<void> {
    const any = await this.taxii.page(
      {
        collectionId: readable.collection.id,
        visibility: readable.visibility,
        query: { ids: [objectId], versions: { first: false, last: false, all: true, at: [] } },
      },
      1,
    );
    if (any.length === 0) throw notFound('object');
  }

  private async page(
    readable: ReadableCollection,
    endpoint: string,
    query: TaxiiQuery,
  ): Promise<{ items: TaxiiObjectRecord[]; more: boolean; next?: string; first?: number; last?: number }> {
    const scope: CursorScope = { collectionId: readable.collection.id, endpoint, query };
    const secret = this.config.TAXII_CURSOR_SECRET;
    // The cursor's position replaces added_after, which it was made with (and is bound to).
    const after = query.next !== undefined ? verifyCursor(secret, scope, query.next) : query.addedAfter;
    const candidates = await this.taxii.page(
      { collectionId: readable.collection.id, visibility: readable.visibility, query, after },
      query.limit + 1,
    );
    const page = pageOf(candidates, query.limit);
    return {
      items: page.items,
      more: page.more,
      next: page.more && page.dateAddedLast !== undefined ? encodeCursor(secret, scope, page.dateAddedLast) : undefined,
      first: page.dateAddedFirst,
      last: page.dateAddedLast,
    };
  }

  private envelope(page: Awaited<ReturnType<TaxiiReads['page']>>): TaxiiAnswer {
    const objects = page.items.map((e) => e.object);
    return this.answer(page, objects.length > 0 ? { objects } : {});
  }

  /** TAXII 2.1 §3.7 envelope fields and the date headers (§1.6.5, six fractional digits). */
  private answer(page: Awaited<ReturnType<TaxiiReads['page']>>, content: Record<string, unknown>): TaxiiAnswer {
    return {
      body: { more: page.more, ...(page.next ? { next: page.next } : {}), ...content },
      headers: {
        'X-TAXII-Date-Added-First': page.first !== undefined ? formatTimestampMicros(page.first) : undefined,
        'X-TAXII-Date-Added-Last': page.last !== undefined ? formatTimestampMicros(page.last) : undefined,
      },
    };
  }
}
