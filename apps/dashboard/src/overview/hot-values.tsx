import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { HotValuesReply } from '../api/types';
import { IndicatorCountRows } from './indicator-counts';

export const HOT_VALUES_KEY = ['indicators', 'hot'] as const;

/**
 * Values that over-correlate (a public resolver, a CDN address): carried by more incidents than the
 * platform's hot threshold, they no longer correlate or raise alerts. The api gives each value's type
 * and how many incidents carry it, across all organizations, never which ones; most incidents first.
 */
export function HotValues({ format }: { format: (value: number) => string }) {
  const { t } = useTranslation();
  const { session } = useSigned();
  const hot = useQuery({
    queryKey: HOT_VALUES_KEY,
    queryFn: () => session.request<HotValuesReply>('GET', '/api/v1/indicators/hot'),
  });
  return (
    <section className="panel hot-values" aria-labelledby="overview-hot-values" data-panel="hot-values">
      <h2 id="overview-hot-values">{t('hot.title')}</h2>
      {hot.isPending && <p>{t('common.loading')}</p>}
      {hot.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {hot.data && (
        <>
          <p className="muted" data-threshold={hot.data.threshold}>
            {t('hot.explain', { threshold: hot.data.threshold })}
          </p>
          {hot.data.items.length === 0 ? (
            <p className="empty">{t('hot.empty')}</p>
          ) : (
            <table>
              <caption className="visually-hidden">{t('hot.title')}</caption>
              <IndicatorCountRows items={hot.data.items} format={format} />
            </table>
          )}
        </>
      )}
    </section>
  );
}
