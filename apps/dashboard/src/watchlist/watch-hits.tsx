import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { WatchHit } from '../api/types';
import { CounterpartText } from '../ui/counterpart';
import { CORRELATION_KIND, CORRELATION_STRENGTH } from '../ui/labels';
import { formatRelative, useNow } from '../ui/relative-time';
import { hitsOf } from './watch-merge';
import { useWatchHits } from './watchlist-query';

/**
 * Where the organization's watched values appeared, newest first; new hits arrive at the top without
 * a reload (`watchlist.hit`, see LiveBridge). The incident is worded as the api gives it: named and
 * linked only when the reader may see it (`disclosure: "full"`), otherwise by its owner's policy.
 */
export function WatchHits() {
  const { t } = useTranslation();
  const query = useWatchHits(true);
  const hits = useMemo(() => hitsOf(query.data), [query.data]);
  const now = useNow();
  return (
    <section className="watch-hits" aria-labelledby="watch-hits-title">
      <h2 id="watch-hits-title">{t('watchlist.hits')}</h2>
      {query.isPending && <p>{t('common.loading')}</p>}
      {query.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {query.isSuccess && hits.length === 0 && <p>{t('watchlist.hitsEmpty')}</p>}
      <ol className="inbox-list hit-list" aria-labelledby="watch-hits-title">
        {hits.map((hit) => (
          <HitRow key={hit.id} hit={hit} now={now} />
        ))}
      </ol>
      {query.hasNextPage && (
        <button type="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {t('watchlist.hitsMore')}
        </button>
      )}
    </section>
  );
}

function HitRow({ hit, now }: { hit: WatchHit; now: Date }) {
  const { t, i18n } = useTranslation();
  const created = new Date(hit.createdAt);
  // The page's clock moves every 30 seconds: a hit newer than it reads "now", not "in 2 seconds".
  return (
    <li className="alert hit" data-hit-id={hit.id} data-disclosure={hit.counterpart.disclosure}>
      <div className="alert-what">
        <span className="alert-indicator">
          <bdi dir="ltr" className="indicator-type">
            {hit.watched.type}
          </bdi>{' '}
          <bdi dir="ltr" className="value">
            {hit.watched.value}
          </bdi>
        </span>
        <span className="correlation-kind">
          {t('correlation.kindStrength', {
            kind: t(CORRELATION_KIND[hit.kind]),
            strength: t(CORRELATION_STRENGTH[hit.strength]),
          })}
        </span>
        {hit.matched && (
          <span className="hit-matched">
            {t('watchlist.matched')}{' '}
            <bdi dir="ltr" className="value">
              {hit.matched.value}
            </bdi>
          </span>
        )}
        <span className="alert-counterpart">
          <CounterpartText counterpart={hit.counterpart} link />
        </span>
      </div>
      <div className="alert-when">
        <time dateTime={hit.createdAt} title={t('common.dateTime', { at: created })}>
          {formatRelative(created, created > now ? created : now, i18n.resolvedLanguage ?? 'en')}
        </time>
      </div>
    </li>
  );
}
