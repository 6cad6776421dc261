import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import { useSigned } from '../app';
import type { Comment, Delivered, Incident } from '../api/types';
import type { DeadlineFilter } from '../deadlines/deadline-list';
import {
  changePages,
  createdInPages,
  mergeCorrelated,
  mergeUpdated,
  withdrawnFromPages,
  type FeedPages,
} from '../feed/feed-merge';
import { matchesLive, type FeedFilters } from '../filters/feed-filters';
import { mergeEnriched } from '../incident/enrichment';
import { alertAcknowledged, alertArrived, type AlertPages } from '../inbox/inbox-merge';
import {
  ALERT_FILTERS,
  alertChanged,
  pagedAfterChange,
  pagedArrived,
  type AlertFilter,
  type Paged,
  type RuleAlertPages,
} from '../oncall/oncall-merge';
import { addLiveEntry, type TimelinePages } from '../timeline/timeline-merge';
import { hitArrived, hitsOf, unseenAfter, type WatchHitPages } from '../watchlist/watch-merge';

/** Every feed list in the cache starts with this; the second part is its filters. */
export const FEED_KEY = ['incidents'] as const;
export const feedKey = (filters: FeedFilters) => [...FEED_KEY, filters] as const;
export const ALERTS_KEY = ['alerts'] as const;
export const WATCH_ENTRIES_KEY = ['watchlist', 'entries'] as const;
export const WATCH_HITS_KEY = ['watchlist', 'hits'] as const;
/** Hits that arrived live while the watchlist page was not open: kept in the cache only. */
export const WATCH_UNSEEN_KEY = ['watchlist', 'unseen'] as const;
/** Where the watchlist page (with its hits) is. */
export const WATCHLIST_PATH = '/watchlist';
/** The on-call page's alert lists; the third part is the state filter. */
export const ONCALL_ALERTS_KEY = ['oncall', 'alerts'] as const;
export const oncallAlertsKey = (filter: AlertFilter) => [...ONCALL_ALERTS_KEY, filter] as const;
/** Pages (`alert.paged`) that reached this person and are still to be seen: kept in the cache only. */
export const ONCALL_PAGED_KEY = ['oncall', 'paged'] as const;
/** Where the on-call page is. */
export const ONCALL_PATH = '/oncall';
/** The deadlines page's lists; the second part is the status filter. */
export const DEADLINES_KEY = ['deadlines'] as const;
export const deadlinesKey = (filter: DeadlineFilter) => [...DEADLINES_KEY, filter] as const;
/** Where the deadlines page is. */
export const DEADLINES_PATH = '/deadlines';
/** Every open incident in the cache starts with this; the second part is its id. */
export const INCIDENT_KEY = ['incident'] as const;
export const incidentKey = (id: string) => [...INCIDENT_KEY, id] as const;
export const commentsKey = (id: string) => ['comments', id] as const;
export const timelineKey = (id: string) => ['timeline', id] as const;
export const clusterKey = (id: string) => ['cluster', id] as const;

/**
 * Live events into the query cache: feed rows are merged in place (never re-fetched, so nothing on
 * screen moves) into every cached feed list whose filters they match, alerts prepended to the inbox
 * and acknowledgements applied where the alert is, an open incident is re-read (its enrichment merged
 * in from the event), comments and timeline entries appended, watch hits prepended to the watchlist's
 * hits (and counted for the navigation while that page is not open); a gap re-reads everything by REST.
 * The deadlines lists are read again on what may change them: an incident shared or withdrawn, a
 * deadline reminder of the organization's rules, a `deadline_changed` entry of a joined incident.
 */
export function LiveBridge() {
  const { live } = useSigned();
  const queries = useQueryClient();
  const { pathname } = useLocation();
  const onWatchlist = useRef(false);
  onWatchlist.current = pathname === WATCHLIST_PATH;

  useEffect(() => {
    const socket = live.socket;
    /** Each cached feed list, changed with its own filters (the second part of its key). */
    const feed = (change: (data: FeedPages, filters: FeedFilters) => FeedPages) => {
      for (const [key, data] of queries.getQueriesData<FeedPages>({ queryKey: FEED_KEY })) {
        const filters = (key[1] ?? {}) as FeedFilters;
        if (data) queries.setQueryData<FeedPages>(key, change(data, filters));
      }
    };
    const alerts = (change: (data: AlertPages) => AlertPages) =>
      queries.setQueryData<AlertPages>(ALERTS_KEY, (data) => (data ? change(data) : data));
    socket.on('incident.created', (event) =>
      feed((data, filters) => createdInPages(data, event, (row) => matchesLive(row, filters))),
    );
    const deadlines = () => void queries.invalidateQueries({ queryKey: DEADLINES_KEY });
    // A change of TLP or recipients: the incident enters this person's lists, or leaves every list,
    // page, graph and alert wording it was in. A watch hit names the incident by what the reader may
    // see of it: the hits are read again.
    socket.on('incident.shared', (event) => {
      feed((data, filters) => createdInPages(data, event, (row) => matchesLive(row, filters)));
      void queries.invalidateQueries({ queryKey: WATCH_HITS_KEY });
      deadlines();
    });
    socket.on('incident.withdrawn', ({ incidentId }) => {
      feed((data) => withdrawnFromPages(data, incidentId));
      for (const key of [timelineKey(incidentId), commentsKey(incidentId)]) queries.removeQueries({ queryKey: key });
      void queries.invalidateQueries({ queryKey: incidentKey(incidentId) });
      void queries.invalidateQueries({ queryKey: ['cluster'] });
      void queries.invalidateQueries({ queryKey: ALERTS_KEY });
      void queries.invalidateQueries({ queryKey: WATCH_HITS_KEY });
      deadlines();
    });
    // A retraction: the incident (when the reader knew it) leaves every list and page; correlations
    // and alerts it withdrew leave the inboxes and the incidents they were shown on.
    for (const retracted of ['incident.retracted', 'indicator.retracted'] as const) {
      socket.on(retracted, ({ incidentId }) => {
        if (incidentId && retracted === 'incident.retracted') {
          feed((data) => withdrawnFromPages(data, incidentId));
          for (const key of [timelineKey(incidentId), commentsKey(incidentId)])
            queries.removeQueries({ queryKey: key });
        }
        for (const key of [INCIDENT_KEY, ['cluster'], ALERTS_KEY, WATCH_HITS_KEY, ONCALL_ALERTS_KEY, DEADLINES_KEY])
          void queries.invalidateQueries({ queryKey: key });
      });
    }
    socket.on('incident.updated', (event) => {
      feed((data) => changePages(data, (rows) => mergeUpdated(rows, event)));
      void queries.invalidateQueries({ queryKey: incidentKey(event.incidentId) });
    });
    socket.on('incident.correlated', (event) => {
      feed((data) => changePages(data, (rows) => mergeCorrelated(rows, event)));
      void queries.invalidateQueries({ queryKey: incidentKey(event.incidentId) });
    });
    // Enrichment landed: the event carries each named indicator's whole enrichment, merged in place
    // into the open incident (no list shows enrichment). A read in flight (after `incident.correlated`)
    // may have started before the enrichment was stored: it is restarted, so it cannot undo the merge.
    socket.on('incident.enriched', (event) => {
      const key = incidentKey(event.incidentId);
      queries.setQueryData<Incident>(key, (data) => (data ? mergeEnriched(data, event) : data));
      if (queries.isFetching({ queryKey: key }) > 0) void queries.invalidateQueries({ queryKey: key });
    });
    socket.on(
      'incident.failed',
      (event) => void queries.invalidateQueries({ queryKey: incidentKey(event.incidentId) }),
    );
    socket.on('correlation.alert', (event) => {
      alerts((data) => alertArrived(data, event));
      void queries.invalidateQueries({ queryKey: incidentKey(event.yourIncidentId) });
    });
    // A rule's alert changed: merged into every cached list of the on-call page by its filter; a
    // notice of a page for it goes once it is no longer triggered.
    const ruleAlert = (alert: Delivered<'alert.changed'>['alert']) => {
      for (const [key, data] of queries.getQueriesData<RuleAlertPages>({ queryKey: ONCALL_ALERTS_KEY })) {
        const filter = key[2] as AlertFilter;
        if (data) queries.setQueryData<RuleAlertPages>(key, alertChanged(data, alert, ALERT_FILTERS[filter]));
      }
      queries.setQueryData<readonly Paged[]>(ONCALL_PAGED_KEY, (notices = []) => pagedAfterChange(notices, alert));
      // A deadline reminder (near or missed): a milestone of the organization's changed its status.
      if (alert.trigger === 'deadline') deadlines();
    };
    socket.on('alert.changed', (event) => ruleAlert(event.alert));
    socket.on('alert.paged', (event) => {
      ruleAlert(event.alert);
      queries.setQueryData<readonly Paged[]>(ONCALL_PAGED_KEY, (notices = []) => pagedArrived(notices, event));
    });
    // A hit already listed (a replay after a reconnection) is not counted again.
    socket.on('watchlist.hit', (event) => {
      const listed = hitsOf(queries.getQueryData<WatchHitPages>(WATCH_HITS_KEY)).some((hit) => hit.id === event.id);
      queries.setQueryData<WatchHitPages>(WATCH_HITS_KEY, (data) => (data ? hitArrived(data, event) : data));
      queries.setQueryData<readonly string[]>(WATCH_UNSEEN_KEY, (unseen = []) =>
        unseenAfter(unseen, event.id, onWatchlist.current || listed),
      );
    });
    socket.on('correlation.acknowledged', (event) => {
      alerts((data) => alertAcknowledged(data, event));
      void queries.invalidateQueries({ queryKey: incidentKey(event.yourIncidentId) });
    });
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
      // Processing changes the incident's indicators and state; a correlation, its cluster; a
      // sighting, its indicators' counts.
      if (
        entry.kind === 'processed' ||
        entry.kind === 'failed' ||
        entry.kind === 'correlated' ||
        entry.kind === 'sighted'
      ) {
        void queries.invalidateQueries({ queryKey: incidentKey(entry.incidentId) });
      }
      if (entry.kind === 'correlated') void queries.invalidateQueries({ queryKey: clusterKey(entry.incidentId) });
      if (entry.kind === 'deadline_changed') deadlines();
    });
    // A contact request asked or answered changes the correlation's `contact` on the incident.
    for (const event of ['contact.requested', 'contact.answered'] as const) {
      socket.on(
        event,
        ({ yourIncidentId }) => void queries.invalidateQueries({ queryKey: incidentKey(yourIncidentId) }),
      );
    }
    // A gap: everything is read again. A read already in flight may have started before the socket's
    // resume point, and a first read without data is not restarted by invalidation: cancel it first.
    const stopGap = live.onGap(() => void queries.cancelQueries().then(() => queries.invalidateQueries()));
    return () => {
      for (const event of [
        'incident.created',
        'incident.shared',
        'incident.withdrawn',
        'incident.retracted',
        'indicator.retracted',
        'incident.updated',
        'incident.correlated',
        'incident.enriched',
        'incident.failed',
        'correlation.alert',
        'correlation.acknowledged',
        'watchlist.hit',
        'incident.commented',
        'incident.timeline',
        'contact.requested',
        'contact.answered',
        'alert.changed',
        'alert.paged',
      ] as const) {
        socket.off(event);
      }
      stopGap();
    };
  }, [live, queries]);

  return null;
}
