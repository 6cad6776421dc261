import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSigned } from '../app';
import type { DeadlineListReply, IncidentDeadlines } from '../api/types';
import { DEADLINES_KEY, deadlinesKey } from '../live/live-bridge';
import { afterCompletion, statusQuery, type DeadlineFilter } from './deadline-list';

/**
 * No live event tells of a milestone falling due (a status moves with the clock, not with a change),
 * and `deadline_changed` reaches only sockets that joined the incident: the list is read again every
 * 30 s and when the window regains focus, besides the live events LiveBridge maps onto it.
 */
export const DEADLINES_REFRESH_MS = 30_000;

/** GET /api/v1/deadlines for `filter`: the open milestones of the incidents the reader may see. */
export function useDeadlines(filter: DeadlineFilter) {
  const { session } = useSigned();
  return useQuery({
    queryKey: deadlinesKey(filter),
    queryFn: () => session.request<DeadlineListReply>('GET', `/api/v1/deadlines${statusQuery(filter)}`),
    refetchInterval: DEADLINES_REFRESH_MS,
    refetchOnWindowFocus: 'always',
  });
}

export interface MilestoneRef {
  incidentId: string;
  milestone: string;
}

/**
 * POST /api/v1/incidents/:id/deadlines/:milestone/complete (now). The api's answer — the incident's
 * milestones as they now stand — is merged into every cached list at once; the lists are then read
 * again, for milestones that only now enter a filter.
 */
export function useCompleteMilestone() {
  const { session } = useSigned();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ incidentId, milestone }: MilestoneRef) =>
      session.request<IncidentDeadlines>(
        'POST',
        `/api/v1/incidents/${encodeURIComponent(incidentId)}/deadlines/${encodeURIComponent(milestone)}/complete`,
        {},
      ),
    onSuccess: (done) => {
      for (const [key, data] of queries.getQueriesData<DeadlineListReply>({ queryKey: DEADLINES_KEY })) {
        if (data) queries.setQueryData(key, afterCompletion(data, done, key[1] as DeadlineFilter));
      }
      void queries.invalidateQueries({ queryKey: DEADLINES_KEY });
    },
  });
}
