import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  startTransition,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useOptimistic,
  useRef,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { useSigned } from '../app';
import type { FeedPage as Page, FeedRow } from '../api/types';
import { FilterBar } from '../filters/filter-bar';
import {
  filtersFromSearch,
  isUnfiltered,
  listPath,
  matchesLocally,
  searchFromFilters,
  type FeedFilters,
} from '../filters/feed-filters';
import { feedKey } from '../live/live-bridge';
import { SEVERITY, STATE, STATUS } from '../ui/labels';
import { TlpBadge } from '../ui/tlp-badge';

const ROW_HEIGHT = 52;
/** Rows per REST page (the API's maximum). */
const PAGE = 200;
/** Read the next page when the last rendered row is this close to the end of the loaded ones. */
const PREFETCH_ROWS = 40;

/**
 * The live feed: pages by REST (more as the list is scrolled), then live events merged in place. The
 * filters live in the URL; the selection is an id kept by the app, so neither is touched by arriving
 * events; when the list is scrolled, rows inserted above the first visible one shift the scroll
 * position by as much, so what the analyst is looking at stays where it is.
 */
export function FeedPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const location = useLocation();
  const { session, feed } = useSigned();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(params), [params]);
  const search = searchFromFilters(filters).toString();

  // Coming back without filters in the URL (a link to `/`) brings back the ones left; then the URL
  // is what the app remembers.
  const restoring = useRef(location.search === '' && feed.search !== '');
  useEffect(() => {
    if (restoring.current) {
      restoring.current = false;
      void navigate({ search: feed.search }, { replace: true });
      return;
    }
    feed.setSearch(search ? `?${search}` : '');
  }, [search]);

  // The controls show a change at once; the URL (and so the list) follows in a transition.
  const [shown, show] = useOptimistic(filters, (current, change: Partial<FeedFilters>) => ({ ...current, ...change }));
  const change = useCallback(
    (change: Partial<FeedFilters>, options: { replace?: boolean } = {}) =>
      startTransition(() => {
        show(change);
        setParams((current) => searchFromFilters({ ...filtersFromSearch(current), ...change }), {
          replace: options.replace ?? false,
        });
      }),
    [setParams, show],
  );

  const incidents = useInfiniteQuery({
    queryKey: feedKey(filters),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => session.request<Page>('GET', listPath(filters, PAGE, pageParam)),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
    enabled: !restoring.current,
  });
  const rows = useMemo(() => {
    const all = incidents.data?.pages.flatMap((page) => page.items) ?? [];
    return isUnfiltered(filters) ? all : all.filter((row) => matchesLocally(row, filters));
  }, [incidents.data, filters]);

  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();

  // More pages as the end of the loaded rows comes into view (or while filters the API does not apply
  // leave too few rows to fill it).
  const lastShown = items.at(-1)?.index ?? -1;
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isPlaceholderData } = incidents;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && !isPlaceholderData && lastShown >= rows.length - PREFETCH_ROWS) {
      void fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, isPlaceholderData, lastShown, rows.length, fetchNextPage]);

  const rememberAnchor = () => {
    const element = scroller.current;
    if (!element) return;
    const first = rows[Math.floor(element.scrollTop / ROW_HEIGHT)];
    anchor.current = first ? { id: first.id, offset: element.scrollTop % ROW_HEIGHT } : null;
  };

  useLayoutEffect(() => {
    const element = scroller.current;
    const kept = anchor.current;
    if (!element || !kept || element.scrollTop === 0) return;
    const index = rows.findIndex((row) => row.id === kept.id);
    if (index < 0) return;
    const target = index * ROW_HEIGHT + kept.offset;
    if (Math.abs(element.scrollTop - target) >= 1) element.scrollTop = target;
  }, [rows]);

  const open = useCallback(
    (id: string | null) => {
      if (id) void navigate(`/incidents/${encodeURIComponent(id)}`);
    },
    [navigate],
  );

  const onKeyDown = (event: KeyboardEvent) => {
    const at = rows.findIndex((row) => row.id === feed.selected);
    if (event.key === 'Enter') open(feed.selected);
    else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const next = rows[Math.min(rows.length - 1, Math.max(0, at + (event.key === 'ArrowDown' ? 1 : -1)))];
      if (next) {
        feed.setSelected(next.id);
        virtualizer.scrollToIndex(rows.indexOf(next));
      }
    }
  };

  const selectedShown = rows.some((row) => row.id === feed.selected);
  return (
    <section className="feed">
      <div className="toolbar">
        <h1>{t('feed.title')}</h1>
        <span className="count" aria-live="polite">
          {t('feed.count', { count: rows.length })}
          {hasNextPage && ` ${t('filters.more')}`}
        </span>
        <button type="button" disabled={!feed.selected} onClick={() => open(feed.selected)}>
          {t('feed.open')}
        </button>
      </div>
      <FilterBar filters={shown} change={change} />
      {incidents.isPending && <p>{t('common.loading')}</p>}
      {incidents.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {incidents.isSuccess && rows.length === 0 && !hasNextPage && (
        <p>{isUnfiltered(filters) ? t('feed.empty') : t('filters.empty')}</p>
      )}
      <div
        ref={scroller}
        className="feed-scroller"
        role="listbox"
        aria-label={t('feed.title')}
        aria-activedescendant={selectedShown && feed.selected ? rowId(feed.selected) : undefined}
        aria-busy={incidents.isFetching}
        tabIndex={0}
        onScroll={rememberAnchor}
        onKeyDown={onKeyDown}
      >
        <div className="feed-space" style={{ blockSize: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <Row
                key={row.id}
                row={row}
                start={item.start}
                selected={row.id === feed.selected}
                select={feed.setSelected}
                open={open}
              />
            );
          })}
        </div>
      </div>
    </section>
  );
}

/** One row; rendered again only when its incident, place or selection changes. */
const Row = memo(function Row({
  row,
  start,
  selected,
  select,
  open,
}: {
  row: FeedRow;
  start: number;
  selected: boolean;
  select: (id: string) => void;
  open: (id: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <div
      id={rowId(row.id)}
      role="option"
      aria-selected={selected}
      data-incident-id={row.id}
      className={selected ? 'feed-row selected' : 'feed-row'}
      style={{ blockSize: ROW_HEIGHT, transform: `translateY(${start}px)` }}
      onClick={() => select(row.id)}
      onDoubleClick={() => open(row.id)}
    >
      <TlpBadge tlp={row.tlp} />
      <span className="title">{row.title}</span>
      <span className="org">{row.organization.name}</span>
      <bdi dir="ltr" className="classification">
        {`${row.classification.class}/${row.classification.type}`}
      </bdi>
      <span className={`severity severity-${row.severity}`}>{t(SEVERITY[row.severity])}</span>
      <span className="status">{t(STATUS[row.status])}</span>
      <span className="state">{t(STATE[row.state])}</span>
    </div>
  );
});

const rowId = (id: string) => `feed-row-${id}`;
