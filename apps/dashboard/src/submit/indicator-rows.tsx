import { useTranslation } from 'react-i18next';
import { INDICATOR_TYPES } from '../api/domain';
import type { IndicatorType } from '../api/types';
import { described, FieldErrors, hintId, controlId } from './field-errors';
import type { Draft } from './submission';

type Rows = Draft['indicators'];

/** Indicators given one by one, each with an optional type (otherwise the api recognizes it). */
export function IndicatorRows({
  rows,
  errors,
  onChange,
}: {
  rows: Rows;
  errors: readonly string[] | undefined;
  onChange: (rows: Rows) => void;
}) {
  const { t } = useTranslation();
  const set = (index: number, change: Partial<Rows[number]>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="field indicator-rows">
      <legend>{t('submit.indicators')}</legend>
      <p id={hintId('indicators')} className="muted">
        {t('submit.indicatorsHint')}
      </p>
      <ol>
        {rows.map((row, index) => (
          <li key={index}>
            <label>
              <span className="visually-hidden">{t('submit.indicatorValue', { number: index + 1 })}</span>
              <input
                id={index === 0 ? controlId('indicators') : undefined}
                name={`indicator-${index}`}
                dir="ltr"
                maxLength={2048}
                value={row.value}
                onChange={(event) => set(index, { value: event.target.value })}
                {...described('indicators', errors, true)}
              />
            </label>
            <label>
              <span className="visually-hidden">{t('submit.indicatorType', { number: index + 1 })}</span>
              <select
                name={`indicator-type-${index}`}
                value={row.type}
                onChange={(event) => set(index, { type: event.target.value as IndicatorType | '' })}
              >
                <option value="">{t('submit.anyType')}</option>
                {INDICATOR_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {type}
                  </option>
                ))}
              </select>
            </label>
            {rows.length > 1 && (
              <button type="button" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
                {t('submit.removeIndicator', { number: index + 1 })}
              </button>
            )}
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => onChange([...rows, { value: '', type: '' }])}>
        {t('submit.addIndicator')}
      </button>
      <FieldErrors field="indicators" errors={errors} />
    </fieldset>
  );
}
