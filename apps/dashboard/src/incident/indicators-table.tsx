import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident, IncidentIndicator } from '../api/types';
import { useMessage } from '../ui/use-message';
import { PapBadge } from '../ui/pap-badge';
import { attributionNeeded, providerAnswers } from './enrichment';
import { EnrichmentAttribution, IndicatorHistory, NetworkFacts, ProviderAnswers } from './enrichment-details';
import { enrichmentFacts, rejectionReason, warningLabel, warningsOf } from './indicator-notes';
import { SightingsCell } from './sightings';

/** Columns of the indicators table: a details row spans them all. */
const COLUMNS = 7;

/**
 * The normalized indicators (canonical value, where each came from, enrichment, PAP, the warning lists
 * each matched as the api says), then those refused. A warned indicator is not correlated, and says so.
 * Under the table, the credit the offline data sets ask for when any country or AS is shown.
 */
export function IndicatorsTable({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const say = useMessage();
  const { indicators, rejectedIndicators } = incident;
  const warned = indicators.some((indicator) => warningsOf(indicator).length > 0);
  return (
    <section aria-labelledby="indicators-title">
      <h2 id="indicators-title">{t('incident.indicators', { count: indicators.length })}</h2>
      {incident.state === 'pending' && <p className="muted">{t('incident.indicatorsPending')}</p>}
      {warned && <p className="muted">{t('incident.warnedNote')}</p>}
      {indicators.length > 0 && (
        <table className="indicators">
          <thead>
            <tr>
              <th scope="col">{t('indicator.type')}</th>
              <th scope="col">{t('indicator.value')}</th>
              <th scope="col">{t('incident.source')}</th>
              <th scope="col">{t('incident.enrichment')}</th>
              <th scope="col">{t('incident.pap')}</th>
              <th scope="col">{t('incident.warnings')}</th>
              <th scope="col">{t('sightings.title')}</th>
            </tr>
          </thead>
          <tbody>
            {indicators.map((indicator) => (
              <IndicatorRow key={`${indicator.type}:${indicator.value}`} incident={incident} indicator={indicator} />
            ))}
          </tbody>
        </table>
      )}
      <EnrichmentAttribution {...attributionNeeded(indicators)} />
      {rejectedIndicators.length > 0 && (
        <>
          <h3>{t('incident.rejected', { count: rejectedIndicators.length })}</h3>
          <table className="indicators rejected">
            <thead>
              <tr>
                <th scope="col">{t('incident.rejectedValue')}</th>
                <th scope="col">{t('incident.rejectedReason')}</th>
              </tr>
            </thead>
            <tbody>
              {rejectedIndicators.map((rejected, index) => (
                <tr key={`${index}:${rejected.raw}`}>
                  <td className="value">
                    <bdi dir="ltr">{rejected.raw}</bdi>
                  </td>
                  <td>
                    {say(rejectionReason(rejected))} <bdi dir="ltr">{rejected.message}</bdi>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

/**
 * One indicator, and below it, when asked, a details row with its external providers' answers and
 * its history (read from the api when opened).
 */
function IndicatorRow({ incident, indicator }: { incident: Incident; indicator: IncidentIndicator }) {
  const { t } = useTranslation();
  const say = useMessage();
  const detailsId = useId();
  const [showProviders, setShowProviders] = useState(false);
  const [showHistory, setShowHistory] = useState(false);
  const answers = providerAnswers(indicator).length;
  const providersOpen = showProviders && answers > 0;
  const open = providersOpen || showHistory;
  return (
    <>
      <tr data-indicator={indicator.value}>
        <td>
          <bdi dir="ltr">{indicator.type}</bdi>
        </td>
        <td>
          <div className="value">
            <bdi dir="ltr">{indicator.value}</bdi>
            {indicator.raw !== indicator.value && (
              <span className="raw">
                {t('incident.asSent')} <bdi dir="ltr">{indicator.raw}</bdi>
              </span>
            )}
          </div>
          <button
            type="button"
            className="disclosure history-toggle"
            aria-expanded={showHistory}
            aria-controls={showHistory ? detailsId : undefined}
            onClick={() => setShowHistory((shown) => !shown)}
          >
            {t('enrichment.history')}
          </button>
        </td>
        <td>{indicator.source === 'description' ? t('incident.fromDescription') : t('incident.fromField')}</td>
        <td>
          <ul className="facts">
            {enrichmentFacts(indicator).map((fact) => (
              <li key={fact.label.key}>
                {say(fact.label)} <bdi dir="ltr">{fact.value}</bdi>
              </li>
            ))}
          </ul>
          <NetworkFacts indicator={indicator} />
          {answers > 0 && (
            <button
              type="button"
              className="disclosure providers-toggle"
              aria-expanded={providersOpen}
              aria-controls={providersOpen ? detailsId : undefined}
              onClick={() => setShowProviders((shown) => !shown)}
            >
              {t('enrichment.showProviders', { count: answers })}
            </button>
          )}
        </td>
        <td>
          <PapBadge pap={indicator.pap ?? incident.pap} />
        </td>
        <td>
          <ul className="warnings">
            {warningsOf(indicator).map((warning) => (
              <li key={warning.list}>{say(warningLabel(warning))}</li>
            ))}
            {indicator.correlates === false && <li className="not-correlated">{t('incident.notCorrelated')}</li>}
            {indicator.hot !== null && (
              <li className="hot" data-hot={indicator.hot}>
                {t('incident.hot', { count: indicator.hot })}
              </li>
            )}
          </ul>
        </td>
        <td>
          <SightingsCell incident={incident} indicator={indicator} />
        </td>
      </tr>
      {open && (
        <tr className="indicator-details" id={detailsId} data-details-of={indicator.value}>
          <td colSpan={COLUMNS}>
            {providersOpen && <ProviderAnswers indicator={indicator} />}
            {showHistory && <IndicatorHistory indicator={indicator} />}
          </td>
        </tr>
      )}
    </>
  );
}
