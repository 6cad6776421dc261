import { useTranslation } from 'react-i18next';
import type { Pap } from '../api/types';

/** The PAP label in FIRST's colours on black, as the TLP badge; left-to-right in every language. */
export function PapBadge({ pap }: { pap: Pap }) {
  const { t } = useTranslation();
  return (
    <bdi dir="ltr" className={`pap pap-${pap.toLowerCase()}`} title={t('pap.title')}>
      {t('pap.label', { level: pap })}
    </bdi>
  );
}
