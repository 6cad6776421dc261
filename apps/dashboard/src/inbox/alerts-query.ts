import { useInfiniteQuery } from '@tanstack/react-query';
import { useSigned } from '../app';
import type { AlertListReply } from '../api/types';
import { ALERTS_KEY } from '../live/live-bridge';

const PAGE = 100;

/**
 * The inbox: correlation alerts of the person's organization, unacknowledged first, one page at a
 * time. Read once by REST; `correlation.alert` and `correlation.acknowledged` then change it in the
 * cache (see LiveBridge). The navigation's count and the inbox page share it.
 */
export function useAlerts(enabled = true) {
  const { session } = useSigned();
  return useInfiniteQuery({
    queryKey: ALERTS_KEY,
    enabled,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (pageParam) params.set('cursor', pageParam);
      return session.request<AlertListReply>('GET', `/api/v1/alerts?${params.toString()}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}
