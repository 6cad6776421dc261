import { useQuery } from '@tanstack/react-query';
import { Fragment, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { IncidentIndicator, IndicatorHistoryReply } from '../api/types';
import { networkFacts, providerAnswers, regionName, type ProviderFieldValue } from './enrichment';

export const historyKey = (value: string) => ['indicators', 'history', value] as const;

const CC_BY = 'https://creativecommons.org/licenses/by/4.0/';

/** Country (its name in the page's language, and its code) and autonomous system; nothing when unknown. */
export function NetworkFacts({ indicator }: { indicator: IncidentIndicator }) {
  const { t, i18n } = useTranslation();
  const { country, asn, asOrg } = networkFacts(indicator);
  if (country === undefined && asn === undefined && asOrg === undefined) return null;
  return (
    <ul className="facts network-facts">
      {country !== undefined && (
        <li className="country" data-country={country}>
          {t('enrichment.country')} {regionName(country, i18n.resolvedLanguage ?? 'en')}{' '}
          <bdi dir="ltr">({country})</bdi>
        </li>
      )}
      {(asn !== undefined || asOrg !== undefined) && (
        <li className="as" data-asn={asn}>
          {t('enrichment.as')} {asn !== undefined && <bdi dir="ltr">AS{asn}</bdi>}{' '}
          {asOrg !== undefined && <bdi className="as-org">{asOrg}</bdi>}
        </li>
      )}
    </ul>
  );
}

function FieldValue({ value }: { value: ProviderFieldValue }) {
  const { t } = useTranslation();
  if (value === null) return <span className="muted">{t('enrichment.noValue')}</span>;
  if (typeof value === 'boolean') return <>{value ? t('enrichment.yes') : t('enrichment.no')}</>;
  // A number keeps its sign where it belongs in a right-to-left page; text takes its own direction.
  return <bdi dir={typeof value === 'number' ? 'ltr' : 'auto'}>{String(value)}</bdi>;
}

/** Each external provider's answer: its name, when it was obtained, and its mapped fields. */
export function ProviderAnswers({ indicator }: { indicator: IncidentIndicator }) {
  const { t } = useTranslation();
  const answers = providerAnswers(indicator);
  return (
    <section className="provider-answers" aria-label={t('enrichment.providersTitle')}>
      <h4>{t('enrichment.providersTitle')}</h4>
      <ul>
        {answers.map((answer) => (
          <li key={answer.name} data-provider={answer.name}>
            <strong>
              <bdi dir="ltr">{answer.name}</bdi>
            </strong>{' '}
            <span className="muted">
              {t('enrichment.obtained')}{' '}
              <time dateTime={answer.at}>{t('common.dateTime', { at: new Date(answer.at) })}</time>
            </span>
            {answer.fields.length === 0 ? (
              <p className="muted">{t('enrichment.noFields')}</p>
            ) : (
              <dl className="provider-fields">
                {answer.fields.map(([name, value]) => (
                  <Fragment key={name}>
                    <dt>
                      <bdi dir="ltr">{name}</bdi>
                    </dt>
                    <dd data-field={name}>
                      <FieldValue value={value} />
                    </dd>
                  </Fragment>
                ))}
              </dl>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * GET /api/v1/indicators/history for one value, read when shown: first and last seen, incidents,
 * organizations and sightings, counted by the api over the incidents the reader may see.
 */
export function IndicatorHistory({ indicator }: { indicator: IncidentIndicator }) {
  const { t, i18n } = useTranslation();
  const { session } = useSigned();
  const history = useQuery({
    queryKey: historyKey(indicator.value),
    queryFn: () =>
      session.request<IndicatorHistoryReply>(
        'GET',
        `/api/v1/indicators/history?value=${encodeURIComponent(indicator.value)}`,
      ),
  });
  const number = new Intl.NumberFormat(i18n.resolvedLanguage ?? 'en');
  const time = (at: string | null) =>
    at === null ? (
      <span className="muted">{t('enrichment.neverSeen')}</span>
    ) : (
      <time dateTime={at}>{t('common.dateTime', { at: new Date(at) })}</time>
    );
  const counts: Array<[string, string, number]> = history.data
    ? [
        ['incidents', t('enrichment.historyIncidents'), history.data.incidents],
        ['organizations', t('enrichment.historyOrganizations'), history.data.organizations],
        ['sightings', t('enrichment.historySightings'), history.data.sightings],
      ]
    : [];
  return (
    <section className="indicator-history" aria-label={t('enrichment.historyTitle')}>
      <h4>
        {t('enrichment.historyTitle')} <bdi dir="ltr">{indicator.value}</bdi>
      </h4>
      {history.isPending && <p>{t('common.loading')}</p>}
      {history.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {history.data && (
        <>
          <p className="muted">{t('enrichment.historyScope')}</p>
          <dl className="history-facts">
            <dt>{t('enrichment.firstSeen')}</dt>
            <dd data-history="firstSeen">{time(history.data.firstSeen)}</dd>
            <dt>{t('enrichment.lastSeen')}</dt>
            <dd data-history="lastSeen">{time(history.data.lastSeen)}</dd>
            {counts.map(([name, label, count]) => (
              <Fragment key={name}>
                <dt>{label}</dt>
                <dd data-history={name} data-count={count}>
                  {number.format(count)}
                </dd>
              </Fragment>
            ))}
          </dl>
          {history.data.truncated && <p className="muted">{t('enrichment.historyTruncated')}</p>}
        </>
      )}
    </section>
  );
}

/**
 * The credit the offline data sets' licences ask for where their results are shown (README,
 * Enrichment): country data from the NRO's statistics; AS data from RouteViews, DB-IP (whose licence
 * asks for a link to https://db-ip.com) and the NRO; all CC BY 4.0.
 */
export function EnrichmentAttribution({ country, as }: { country: boolean; as: boolean }) {
  const { t, i18n } = useTranslation();
  if (!country && !as) return null;
  const list = (items: ReactNode[]) => {
    const parts = new Intl.ListFormat(i18n.resolvedLanguage ?? 'en', { type: 'conjunction' }).formatToParts(
      items.map((_, index) => String(index)),
    );
    return parts.map((part, index) =>
      part.type === 'element' ? <bdi key={index}>{items[Number(part.value)]}</bdi> : part.value,
    );
  };
  const nro = (
    <a key="nro" href="https://www.nro.net">
      NRO
    </a>
  );
  const licence = (
    <>
      {' '}
      (
      <a href={CC_BY} lang="en">
        CC BY 4.0
      </a>
      )
    </>
  );
  return (
    <footer className="attribution muted" data-attribution>
      {country && (
        <p data-attribution="country">
          {t('enrichment.attributionCountry')} <bdi>{nro}</bdi>
          {licence}
        </p>
      )}
      {as && (
        <p data-attribution="as">
          {t('enrichment.attributionAs')}{' '}
          {list([
            <a key="routeviews" href="https://www.routeviews.org">
              RouteViews
            </a>,
            <a key="dbip" href="https://db-ip.com" lang="en">
              IP Geolocation by DB-IP
            </a>,
            nro,
          ])}
          {licence}
        </p>
      )}
    </footer>
  );
}
