import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSigned } from '../app';
import type { Comment, FeedRow } from '../api/types';
import { mergeCorrelated, mergeCreated, mergeUpdated } from '../feed/feed-merge';

export const FEED_KEY = ['incidents'] as const;
export const incidentKey = (id: string) => ['incident', id] as const;
export const commentsKey = (id: string) => ['comments', id] as const;

/**
 * Live events into the query cache: feed rows are merged in place (never re-fetched, so nothing on
 * screen moves), an open incident is re-read, comments appended; a gap re-reads everything by REST.
 */
export function LiveBridge() {
  const { live } = useSigned();
  const queries = useQueryClient();

  useEffect(() => {
    const socket = live.socket;
    const feed = (change: (rows: FeedRow[]) => FeedRow[]) =>
      queries.setQueryData<FeedRow[]>(FEED_KEY, (rows) => (rows ? change(rows) : rows));
    socket.on('incident.created', (event) => feed((rows) => mergeCreated(rows, event)));
    socket.on('incident.updated', (event) => {
      feed((rows) => mergeUpdated(rows, event));
      void queries.invalidateQueries({ queryKey: incidentKey(event.incidentId) });
    });
    socket.on('incident.correlated', (event) => {
      feed((rows) => mergeCorrelated(rows, event));
      void queries.invalidateQueries({ queryKey: incidentKey(event.incidentId) });
    });
    socket.on(
      'incident.failed',
      (event) => void queries.invalidateQueries({ queryKey: incidentKey(event.incidentId) }),
    );
    socket.on(
      'correlation.alert',
      (event) => void queries.invalidateQueries({ queryKey: incidentKey(event.yourIncidentId) }),
    );
    socket.on('incident.commented', ({ incidentId, comment }) =>
      queries.setQueryData<Comment[]>(commentsKey(incidentId), (list) =>
        list && !list.some((c) => c.id === comment.id) ? [...list, comment] : list,
      ),
    );
    const stopGap = live.onGap(() => void queries.invalidateQueries());
    return () => {
      for (const event of [
        'incident.created',
        'incident.updated',
        'incident.correlated',
        'incident.failed',
        'correlation.alert',
        'incident.commented',
      ] as const) {
        socket.off(event);
      }
      stopGap();
    };
  }, [live, queries]);

  return null;
}
