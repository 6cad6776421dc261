import { useTranslation } from 'react-i18next';
import { RSIT_CLASSES, RSIT_TAXONOMY } from '../api/domain';
import type { RsitClass } from '../api/types';
import { described, FieldErrors, controlId } from './field-errors';
import type { Draft } from './submission';

/** The ENISA RSIT class, then one of its types (the lists the api validates against). */
export function ClassificationField({
  value,
  errors,
  onClass,
  onType,
}: {
  value: Draft['classification'];
  errors: readonly string[] | undefined;
  onClass: (cls: RsitClass) => void;
  onType: (type: string) => void;
}) {
  const { t } = useTranslation();
  const types: readonly string[] = RSIT_TAXONOMY[value.class];
  return (
    <fieldset className="field">
      <legend>{t('submit.classification')}</legend>
      <label>
        <span>{t('submit.class')}</span>
        <select
          id={controlId('classification')}
          name="class"
          dir="ltr"
          value={value.class}
          onChange={(event) => onClass(event.target.value as RsitClass)}
          {...described('classification', errors)}
        >
          {RSIT_CLASSES.map((cls) => (
            <option key={cls} value={cls}>
              {cls}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{t('submit.type')}</span>
        <select
          name="type"
          dir="ltr"
          value={value.type}
          onChange={(event) => onType(event.target.value)}
          {...described('classification', errors)}
        >
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <FieldErrors field="classification" errors={errors} />
    </fieldset>
  );
}
