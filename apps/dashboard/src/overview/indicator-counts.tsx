import { useTranslation } from 'react-i18next';

/** A value with how many incidents carry it, as the overview's top indicators and hot values give it. */
export interface IndicatorCount {
  type: string;
  value: string;
  incidents: number;
}

/** The head and rows of a type / value / incidents table; the caller supplies the `<table>` and its caption. */
export function IndicatorCountRows({
  items,
  format,
}: {
  items: readonly IndicatorCount[];
  format: (value: number) => string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <thead>
        <tr>
          <th scope="col">{t('overview.indicatorType')}</th>
          <th scope="col">{t('overview.indicatorValue')}</th>
          <th scope="col">{t('overview.incidents')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.type}:${item.value}`} data-indicator={item.value}>
            <td>
              <bdi dir="ltr">{item.type}</bdi>
            </td>
            <th scope="row" className="value">
              <bdi dir="ltr">{item.value}</bdi>
            </th>
            <td className="number">{format(item.incidents)}</td>
          </tr>
        ))}
      </tbody>
    </>
  );
}
