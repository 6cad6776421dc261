import { useQuery } from '@tanstack/react-query';
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSigned } from '../app';
import type { OverviewReply, RsitClass, Severity } from '../api/types';
import { CLASSES, SEVERITIES } from '../filters/feed-filters';
import { CLASS_LABEL } from '../filters/filter-bar';
import { SEVERITY } from '../ui/labels';
import { useScopes } from '../api/me';
import { BarChart } from './bar-chart';
import { IndicatorCountRows } from './indicator-counts';
import { HotValues } from './hot-values';
import { PERIODS, dayStart, periodFrom, periodTotal, stacked, type Stacked } from './overview-data';

/** Distinct hues for the RSIT classes, readable on the dark background. */
const CLASS_COLOR = {
  'abusive-content': '#8dd3c7',
  'malicious-code': '#fb8072',
  'information-gathering': '#80b1d3',
  'intrusion-attempts': '#fdb462',
  intrusions: '#e7298a',
  availability: '#b3de69',
  'information-content-security': '#bc80bd',
  fraud: '#ffed6f',
  vulnerable: '#66c2a5',
  other: '#bebada',
  test: '#969696',
} satisfies Record<RsitClass, string>;

const SEVERITY_COLOR = {
  low: '#66c2a5',
  medium: '#80b1d3',
  high: '#ffc000',
  critical: '#ff2b2b',
} satisfies Record<Severity, string>;

export const overviewKey = (days: number) => ['overview', days] as const;

/**
 * The overview: incidents per day by classification and by severity, the indicators most shared
 * between incidents, and partner activity, over the period the URL names (`?days=`). The API counts
 * only what the person may see. Every chart has its figures in a table beside it. Below, the values
 * that over-correlate (whatever the period).
 */
export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const { session } = useSigned();
  const scopes = useScopes();
  const [params, setParams] = useSearchParams();
  const days = periodFrom(params.get('days'));
  const overview = useQuery({
    queryKey: overviewKey(days),
    queryFn: () => session.request<OverviewReply>('GET', `/api/v1/overview?days=${days}`),
  });
  const language = i18n.resolvedLanguage ?? 'en';
  const format = useMemo(() => {
    const number = new Intl.NumberFormat(language);
    const day = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const fullDay = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' });
    const dateTime = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
    return {
      number: (value: number) => number.format(value),
      day: (date: string) => day.format(dayStart(date)),
      fullDay: (date: string) => fullDay.format(dayStart(date)),
      dateTime: (at: string) => dateTime.format(new Date(at)),
    };
  }, [language]);

  return (
    <section className="overview">
      <div className="toolbar">
        <h1>{t('overview.title')}</h1>
        <label className="filter">
          <span>{t('overview.period')}</span>
          <select
            name="days"
            value={days}
            onChange={(event) => setParams({ days: event.target.value }, { replace: true })}
          >
            {PERIODS.map((period) => (
              <option key={period} value={period}>
                {t('overview.days', { count: period })}
              </option>
            ))}
          </select>
        </label>
        {overview.data && (
          <span className="count">{t('overview.total', { count: periodTotal(overview.data.days) })}</span>
        )}
      </div>
      {overview.isPending && <p>{t('common.loading')}</p>}
      {overview.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {overview.data && <Charts data={overview.data} format={format} />}
      {scopes.has('incidents:read') && <HotValues format={format.number} />}
    </section>
  );
}

interface Formats {
  number: (value: number) => string;
  day: (date: string) => string;
  fullDay: (date: string) => string;
  dateTime: (at: string) => string;
}

function Charts({ data, format }: { data: OverviewReply; format: Formats }) {
  const { t } = useTranslation();
  const byClass = useMemo(() => stacked(data.days, (day) => day.byClassification, CLASSES), [data.days]);
  const bySeverity = useMemo(() => stacked(data.days, (day) => day.bySeverity, SEVERITIES), [data.days]);
  const dayLabels = useMemo(() => data.days.map((day) => format.day(day.date)), [data.days, format]);
  const classLabel = (cls: RsitClass) => t(CLASS_LABEL[cls]);
  const severityLabel = (severity: Severity) => t(SEVERITY[severity]);

  const classSets = useMemo(
    () =>
      seriesOf(
        byClass,
        (cls) => t(CLASS_LABEL[cls]),
        (cls) => CLASS_COLOR[cls],
      ),
    [byClass, t],
  );
  const severitySets = useMemo(
    () =>
      seriesOf(
        bySeverity,
        (severity) => t(SEVERITY[severity]),
        (severity) => SEVERITY_COLOR[severity],
      ),
    [bySeverity, t],
  );
  const indicatorLabels = useMemo(() => data.topIndicators.map((entry) => entry.value), [data.topIndicators]);
  const indicatorSets = useMemo(
    () => [
      { label: t('overview.incidents'), data: data.topIndicators.map((entry) => entry.incidents), color: '#5aa9ff' },
    ],
    [data.topIndicators, t],
  );
  const partnerLabels = useMemo(() => data.partners.map((entry) => entry.organization.name), [data.partners]);
  const partnerSets = useMemo(
    () => [{ label: t('overview.incidents'), data: data.partners.map((entry) => entry.incidents), color: '#33c3a0' }],
    [data.partners, t],
  );
  const total = periodTotal(data.days);

  return (
    <div className="overview-grid">
      <Panel name="by-classification" title={t('overview.byClassification')}>
        <BarChart
          name="by-classification"
          labels={dayLabels}
          datasets={classSets}
          stacked
          description={t('overview.byClassificationText', { days: data.days.length, count: total })}
        />
        <StackedTable data={byClass} keyLabel={classLabel} format={format} caption={t('overview.byClassification')} />
      </Panel>
      <Panel name="by-severity" title={t('overview.bySeverity')}>
        <BarChart
          name="by-severity"
          labels={dayLabels}
          datasets={severitySets}
          stacked
          description={t('overview.bySeverityText', { days: data.days.length, count: total })}
        />
        <StackedTable data={bySeverity} keyLabel={severityLabel} format={format} caption={t('overview.bySeverity')} />
      </Panel>
      <Panel name="top-indicators" title={t('overview.topIndicators')}>
        {data.topIndicators.length === 0 ? (
          <p>{t('overview.noIndicators')}</p>
        ) : (
          <>
            <BarChart
              name="top-indicators"
              labels={indicatorLabels}
              datasets={indicatorSets}
              horizontal
              description={t('overview.topIndicatorsText', { count: data.topIndicators.length })}
            />
            <Figures caption={t('overview.topIndicators')}>
              <IndicatorCountRows items={data.topIndicators} format={format.number} />
            </Figures>
          </>
        )}
      </Panel>
      <Panel name="partners" title={t('overview.partners')}>
        {data.partners.length === 0 ? (
          <p>{t('overview.noPartners')}</p>
        ) : (
          <>
            <BarChart
              name="partners"
              labels={partnerLabels}
              datasets={partnerSets}
              horizontal
              description={t('overview.partnersText', { count: data.partners.length })}
            />
            <Figures caption={t('overview.partners')}>
              <thead>
                <tr>
                  <th scope="col">{t('overview.organization')}</th>
                  <th scope="col">{t('overview.incidents')}</th>
                  <th scope="col">{t('overview.lastAt')}</th>
                </tr>
              </thead>
              <tbody>
                {data.partners.map((entry) => (
                  <tr
                    key={entry.organization.id ?? `anonymous:${entry.organization.name}`}
                    data-organization={entry.organization.id ?? ''}
                  >
                    <th scope="row">{entry.organization.name}</th>
                    <td className="number">{format.number(entry.incidents)}</td>
                    <td>
                      <time dateTime={entry.lastAt}>{format.dateTime(entry.lastAt)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Figures>
          </>
        )}
      </Panel>
    </div>
  );
}

function seriesOf<K extends string>(data: Stacked<K>, label: (key: K) => string, color: (key: K) => string) {
  return data.keys.map((key, i) => ({
    label: label(key),
    data: data.rows.map((row) => row.counts[i] ?? 0),
    color: color(key),
  }));
}

function Panel({ name, title, children }: { name: string; title: string; children: ReactNode }) {
  const id = `overview-${name}`;
  return (
    <section className="panel" aria-labelledby={id} data-panel={name}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The figures behind a chart, as a table under a disclosure (open it to read them). */
function Figures({ caption, children }: { caption: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <details className="figures">
      <summary>{t('overview.figures')}</summary>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        {children}
      </table>
    </details>
  );
}

function StackedTable<K extends string>({
  data,
  keyLabel,
  format,
  caption,
}: {
  data: Stacked<K>;
  keyLabel: (key: K) => string;
  format: Formats;
  caption: string;
}) {
  const { t } = useTranslation();
  return (
    <Figures caption={caption}>
      <thead>
        <tr>
          <th scope="col">{t('overview.day')}</th>
          {data.keys.map((key) => (
            <th scope="col" key={key} data-key={key}>
              {keyLabel(key)}
            </th>
          ))}
          <th scope="col">{t('overview.dayTotal')}</th>
        </tr>
      </thead>
      <tbody>
        {data.rows.map((row) => (
          <tr key={row.date} data-date={row.date}>
            <th scope="row">
              <time dateTime={row.date}>{format.fullDay(row.date)}</time>
            </th>
            {row.counts.map((count, i) => (
              <td className="number" key={data.keys[i]} data-key={data.keys[i]}>
                {format.number(count)}
              </td>
            ))}
            <td className="number" data-key="total">
              {format.number(row.total)}
            </td>
          </tr>
        ))}
      </tbody>
    </Figures>
  );
}
