import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useSigned } from '../app';
import type { WatchEntryPage, WatchHitListReply } from '../api/types';
import { WATCH_ENTRIES_KEY, WATCH_HITS_KEY, WATCH_UNSEEN_KEY } from '../live/live-bridge';

const PAGE = 100;

/** GET `path` one cursor page at a time, newest first. */
function cursorPage<T>(request: (path: string) => Promise<T>, path: string, cursor: string | null): Promise<T> {
  const params = new URLSearchParams({ limit: String(PAGE) });
  if (cursor) params.set('cursor', cursor);
  return request(`${path}?${params.toString()}`);
}

/** The organization's watched values (`incidents:read`), newest first, a page at a time. */
export function useWatchEntries() {
  const { session } = useSigned();
  return useInfiniteQuery({
    queryKey: WATCH_ENTRIES_KEY,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      cursorPage((path) => session.request<WatchEntryPage>('GET', path), '/api/v1/watchlist', pageParam),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * Where the organization's watched values appeared (`alerts:read` and `incidents:read`), newest first.
 * Read once by REST; `watchlist.hit` then adds to it in the cache (see LiveBridge).
 */
export function useWatchHits(enabled: boolean) {
  const { session } = useSigned();
  return useInfiniteQuery({
    queryKey: WATCH_HITS_KEY,
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) =>
      cursorPage((path) => session.request<WatchHitListReply>('GET', path), '/api/v1/watchlist/hits', pageParam),
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * The ids of hits that arrived live while the watchlist page was not open (the navigation's count).
 * Kept in the cache only: never read from the api, and not re-read when everything else is.
 */
export function useUnseenHits(): readonly string[] {
  const query = useQuery<readonly string[]>({
    queryKey: WATCH_UNSEEN_KEY,
    queryFn: () => [],
    enabled: false,
    initialData: [],
  });
  return query.data;
}
