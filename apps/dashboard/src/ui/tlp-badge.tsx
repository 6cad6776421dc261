import { useTranslation } from 'react-i18next';
import type { Tlp } from '../api/types';

const CLASS: Record<Tlp, string> = {
  CLEAR: 'tlp-clear',
  GREEN: 'tlp-green',
  AMBER: 'tlp-amber',
  'AMBER+STRICT': 'tlp-amber',
  RED: 'tlp-red',
};

/** The TLP 2.0 label in FIRST's colours on black; the label itself stays left-to-right in every language. */
export function TlpBadge({ tlp }: { tlp: Tlp }) {
  const { t } = useTranslation();
  return (
    <bdi dir="ltr" className={`tlp ${CLASS[tlp]}`} title={t('tlp.title')}>
      {t('tlp.label', { level: tlp })}
    </bdi>
  );
}
