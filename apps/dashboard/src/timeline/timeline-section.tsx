import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { TimelinePage } from '../api/types';
import { CorrelationLine } from '../incident/correlations';
import { timelineKey } from '../live/live-bridge';
import { useMessage } from '../ui/use-message';
import { timelineEntries } from './timeline-merge';
import { describeEntry } from './timeline-wording';

const PAGE_SIZE = 50;

/**
 * What happened to the incident, oldest first, a page at a time; entries recorded while the page is
 * open arrive live (`incident.timeline`, merged by the LiveBridge).
 */
export function TimelineSection({
  incidentId,
  nameOf,
}: {
  incidentId: string;
  nameOf: (id: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const say = useMessage();
  const { session, user } = useSigned();
  const timeline = useInfiniteQuery({
    queryKey: timelineKey(incidentId),
    queryFn: ({ pageParam }) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (pageParam) query.set('cursor', pageParam);
      return session.request<TimelinePage>(
        'GET',
        `/api/v1/incidents/${encodeURIComponent(incidentId)}/timeline?${query}`,
      );
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const entries = timelineEntries(timeline.data);
  const readers = { me: user.id, nameOf };

  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('timeline.title')}</h2>
      {timeline.isPending && <p>{t('common.loading')}</p>}
      {timeline.isError && <p role="alert">{t('common.loadFailed')}</p>}
      <ol className="timeline">
        {entries.map((entry) => (
          <li key={entry.id} data-kind={entry.kind}>
            <time dateTime={entry.at}>{t('common.dateTime', { at: new Date(entry.at) })}</time>{' '}
            <span className="what">{say(describeEntry(entry, readers))}</span>
            {entry.kind === 'correlated' && (
              <>
                {' '}
                <CorrelationLine correlation={entry.correlation} />
              </>
            )}
          </li>
        ))}
      </ol>
      {timeline.hasNextPage && (
        <button type="button" disabled={timeline.isFetchingNextPage} onClick={() => void timeline.fetchNextPage()}>
          {t('timeline.more')}
        </button>
      )}
    </section>
  );
}
