import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Counterpart } from '../api/types';
import { SEVERITY } from './labels';
import { TlpBadge } from './tlp-badge';

/**
 * What the organization may know of the other side of a correlation alert or a watch hit, worded by
 * its disclosure level as the api gives it. With `link`, a fully disclosed incident (the reader may
 * see it) links to its page; any other level names no incident, so there is nothing to link.
 */
export function CounterpartText({ counterpart, link = false }: { counterpart: Counterpart; link?: boolean }) {
  const { t } = useTranslation();
  switch (counterpart.disclosure) {
    case 'full': {
      const { organization, incident } = counterpart;
      const text = t('inbox.full', { organization: organization.name, title: incident.title });
      return (
        <>
          {link ? <Link to={`/incidents/${encodeURIComponent(incident.id)}`}>{text}</Link> : text}{' '}
          <TlpBadge tlp={incident.tlp} />{' '}
          <span className={`severity severity-${incident.severity}`}>{t(SEVERITY[incident.severity])}</span>
        </>
      );
    }
    case 'named':
      return (
        <>
          {t('inbox.named', { organization: counterpart.organization.name })} <TlpBadge tlp={counterpart.tlp} />
        </>
      );
    case 'anonymous':
      return (
        <>
          {t('inbox.anonymous')} <TlpBadge tlp={counterpart.tlp} />
        </>
      );
    case 'nothing':
      return <>{t('inbox.nothing')}</>;
  }
}
