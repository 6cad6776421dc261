import { useTranslation } from 'react-i18next';
import type { Incident } from '../api/types';
import { useMessage } from '../ui/use-message';
import { PapBadge } from '../ui/pap-badge';
import { enrichmentFacts, rejectionReason, warningLabel, warningsOf } from './indicator-notes';
import { SightingsCell } from './sightings';

/**
 * The normalized indicators (canonical value, where each came from, enrichment, PAP, the warning lists
 * each matched as the api says), then those refused. A warned indicator is not correlated, and says so.
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
              <tr key={`${indicator.type}:${indicator.value}`}>
                <td>
                  <bdi dir="ltr">{indicator.type}</bdi>
                </td>
                <td className="value">
                  <bdi dir="ltr">{indicator.value}</bdi>
                  {indicator.raw !== indicator.value && (
                    <span className="raw">
                      {t('incident.asSent')} <bdi dir="ltr">{indicator.raw}</bdi>
                    </span>
                  )}
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
                </td>
                <td>
                  <PapBadge pap={indicator.pap ?? incident.pap} />
                </td>
                <td>
                  <ul className="warnings">
                    {warningsOf(indicator).map((warning) => (
                      <li key={warning.list}>{say(warningLabel(warning))}</li>
                    ))}
                    {indicator.correlates === false && (
                      <li className="not-correlated">{t('incident.notCorrelated')}</li>
                    )}
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
            ))}
          </tbody>
        </table>
      )}
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
