import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useSigned } from '../app';
import type { Comment, FeedRow } from '../api/types';
import { mergeCorrelated, mergeCreated, mergeUpdated } from '../feed/feed-merge';
import { addLiveEntry, type TimelinePages } from '../timeline/timeline-merge';

export const FEED_KEY = ['incidents'] as const;
export const incidentKey = (id: string) => ['incident', id] as const;
export const commentsKey = (id: string) => ['comments', id] as const;
export const timelineKey = (id: string) => ['timeline', id] as const;
export const clusterKey = (id: string) => ['cluster', id] as const;

/**
 * Live events into the query cache: feed rows are merged in place (never re-fetched, so nothing on
 * screen moves), an open incident is re-read, comments and timeline entries appended; a gap re-reads
 * everything by REST.
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
    // An open incident's timeline grows in place.
    socket.on('incident.timeline', ({ eventId: _eventId, ...entry }) => {
      queries.setQueryData<TimelinePages>(timelineKey(entry.incidentId), (data) =>
        data ? addLiveEntry(data, entry) : data,
      );
      // Processing changes the incident's indicators and state; a correlation, its cluster.
      if (entry.kind === 'processed' || entry.kind === 'failed' || entry.kind === 'correlated') {
        void queries.invalidateQueries({ queryKey: incidentKey(entry.incidentId) });
      }
      if (entry.kind === 'correlated') void queries.invalidateQueries({ queryKey: clusterKey(entry.incidentId) });
    });
    // A contact request asked or answered changes the correlation's `contact` on the incident.
    for (const event of ['contact.requested', 'contact.answered'] as const) {
      socket.on(
        event,
        ({ yourIncidentId }) => void queries.invalidateQueries({ queryKey: incidentKey(yourIncidentId) }),
      );
    }
    const stopGap = live.onGap(() => void queries.invalidateQueries());
    return () => {
      for (const event of [
        'incident.created',
        'incident.updated',
        'incident.correlated',
        'incident.failed',
        'correlation.alert',
        'incident.commented',
        'incident.timeline',
        'contact.requested',
        'contact.answered',
      ] as const) {
        socket.off(event);
      }
      stopGap();
    };
  }, [live, queries]);

  return null;
}
