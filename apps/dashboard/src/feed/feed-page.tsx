import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useDeferredValue, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSigned } from '../app';
import type { FeedRow, IncidentListReply } from '../api/types';
import { FEED_KEY } from '../live/live-bridge';
import { SEVERITY, STATE, STATUS } from '../ui/labels';
import { TlpBadge } from '../ui/tlp-badge';
import { filterRows } from './feed-merge';

const ROW_HEIGHT = 52;

/**
 * The live feed: the first page by REST, then live events merged in place. The selection is an id and
 * the filter text is this page's own state, so neither is touched by arriving events; when the list is
 * scrolled, rows inserted above the first visible one shift the scroll position by as much, so what
 * the analyst is looking at stays where it is.
 */
export function FeedPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session, feed } = useSigned();
  const incidents = useQuery({
    queryKey: FEED_KEY,
    queryFn: async (): Promise<FeedRow[]> =>
      (await session.request<IncidentListReply>('GET', '/api/v1/incidents?limit=100')).items,
  });
  const filterText = useDeferredValue(feed.filter);
  const rows = filterRows(incidents.data ?? [], filterText);

  const scroller = useRef<HTMLDivElement>(null);
  const anchor = useRef<{ id: string; offset: number } | null>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => rows[index]?.id ?? index,
    overscan: 8,
  });

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

  const open = (id: string | null) => {
    if (id) void navigate(`/incidents/${encodeURIComponent(id)}`);
  };

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

  return (
    <section className="feed">
      <div className="toolbar">
        <h1>{t('feed.title')}</h1>
        <label className="filter">
          <span>{t('feed.filter')}</span>
          <input
            name="filter"
            type="search"
            value={feed.filter}
            placeholder={t('feed.filterHint')}
            onChange={(event) => feed.setFilter(event.target.value)}
          />
        </label>
        <span className="count">{t('feed.count', { count: rows.length })}</span>
        <button type="button" disabled={!feed.selected} onClick={() => open(feed.selected)}>
          {t('feed.open')}
        </button>
      </div>
      {incidents.isPending && <p>{t('common.loading')}</p>}
      {incidents.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {incidents.isSuccess && rows.length === 0 && <p>{t('feed.empty')}</p>}
      <div
        ref={scroller}
        className="feed-scroller"
        role="listbox"
        aria-label={t('feed.title')}
        tabIndex={0}
        onScroll={rememberAnchor}
        onKeyDown={onKeyDown}
      >
        <div className="feed-space" style={{ blockSize: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const selected = row.id === feed.selected;
            return (
              <div
                key={row.id}
                role="option"
                aria-selected={selected}
                data-incident-id={row.id}
                className={selected ? 'feed-row selected' : 'feed-row'}
                style={{ blockSize: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                onClick={() => feed.setSelected(row.id)}
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
          })}
        </div>
      </div>
    </section>
  );
}
