import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useScopes } from '../api/me';
import { WATCH_UNSEEN_KEY } from '../live/live-bridge';
import { WatchAddForm } from './watch-add-form';
import { WatchEntries } from './watch-entries';
import { WatchHits } from './watch-hits';
import { WatchImport } from './watch-import';
import { entriesOf } from './watch-merge';
import { useWatchEntries } from './watchlist-query';

/**
 * The organization's watchlist (`incidents:read`): where its watched values appeared (hits, to people
 * who also read alerts, merged live from `watchlist.hit`), and the values themselves. People who may
 * write incidents (`incidents:write`) add a value, import a text file of them, and remove one.
 */
export function WatchlistPage() {
  const { t } = useTranslation();
  const scopes = useScopes();
  const queries = useQueryClient();
  const canRead = scopes.has('incidents:read');
  const canWrite = scopes.has('incidents:write');
  const canReadHits = canRead && scopes.has('alerts:read');

  // Hits counted in the navigation are seen once this page is open.
  useEffect(() => {
    queries.setQueryData<readonly string[]>(WATCH_UNSEEN_KEY, []);
  }, [queries]);

  if (!canRead) return <p role="alert">{t('watchlist.notAllowed')}</p>;
  return (
    <section className="watchlist">
      <h1>{t('watchlist.title')}</h1>
      <p className="hint">{t('watchlist.intro')}</p>
      {canReadHits ? <WatchHits /> : <p className="hint">{t('watchlist.hitsNotAllowed')}</p>}
      <WatchList canWrite={canWrite} />
    </section>
  );
}

function WatchList({ canWrite }: { canWrite: boolean }) {
  const { t } = useTranslation();
  const query = useWatchEntries();
  const entries = useMemo(() => entriesOf(query.data), [query.data]);
  return (
    <section className="watch-entries" aria-labelledby="watch-entries-title">
      <h2 id="watch-entries-title">{t('watchlist.entries')}</h2>
      {canWrite ? (
        <div className="watch-forms">
          <WatchAddForm />
          <WatchImport />
        </div>
      ) : (
        <p className="hint">{t('watchlist.readOnly')}</p>
      )}
      {query.isPending && <p>{t('common.loading')}</p>}
      {query.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {query.isSuccess && entries.length === 0 && <p>{t('watchlist.entriesEmpty')}</p>}
      {entries.length > 0 && <WatchEntries entries={entries} canWrite={canWrite} />}
      {query.hasNextPage && (
        <button type="button" disabled={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          {t('watchlist.entriesMore')}
        </button>
      )}
    </section>
  );
}
