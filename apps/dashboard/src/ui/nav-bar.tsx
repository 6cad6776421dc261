import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useSigned } from '../app';
import { useScopes } from '../api/me';
import { k } from '../i18n/i18n';
import { useAlerts } from '../inbox/alerts-query';
import { unacknowledged } from '../inbox/inbox-merge';
import { DEADLINES_PATH, ONCALL_PATH, WATCHLIST_PATH } from '../live/live-bridge';
import { RULES_PATH } from '../oncall/rules-page';
import { useUnseenHits } from '../watchlist/watchlist-query';

/**
 * The pages, in the reading order of the language: at the inline start of the page, so on the right in
 * Arabic and Urdu. Plain links (Tab, Enter); the current page is marked with `aria-current`. The feed
 * link brings back the feed's filters as they were left. The inbox counts the alerts waiting for an
 * acknowledgement; the watchlist, the hits that arrived while it was not open.
 */
export function NavBar() {
  const { t } = useTranslation();
  const { feed } = useSigned();
  const scopes = useScopes();
  const canReadAlerts = scopes.has('alerts:read');
  const alerts = useAlerts(canReadAlerts);
  const waiting = unacknowledged(alerts.data);
  const canReadHits = canReadAlerts && scopes.has('incidents:read');
  const unseen = useUnseenHits().length;
  const className = ({ isActive }: { isActive: boolean }) => (isActive ? 'nav-link active' : 'nav-link');

  return (
    <nav className="side" aria-label={t('nav.label')}>
      <ul>
        <li>
          <NavLink to={{ pathname: '/', search: feed.search }} end className={className}>
            {t('nav.feed')}
          </NavLink>
        </li>
        {canReadAlerts && (
          <li>
            <NavLink to="/inbox" className={className} data-unacknowledged={waiting.count}>
              <span>{t('nav.inbox')}</span>{' '}
              {waiting.count > 0 && (
                <span className="nav-count" aria-hidden="true">
                  {t(waiting.more ? k('nav.countMore') : k('nav.count'), { count: waiting.count })}
                </span>
              )}
              <span className="visually-hidden">
                {t(waiting.more ? k('nav.unacknowledgedMore') : k('nav.unacknowledged'), { count: waiting.count })}
              </span>
            </NavLink>
          </li>
        )}
        {scopes.has('incidents:read') && (
          <li>
            <NavLink to={WATCHLIST_PATH} className={className} data-unseen={canReadHits ? unseen : undefined}>
              <span>{t('watchlist.nav')}</span>{' '}
              {canReadHits && unseen > 0 && (
                <>
                  <span className="nav-count" aria-hidden="true">
                    {t('nav.count', { count: unseen })}
                  </span>
                  <span className="visually-hidden">{t('watchlist.unseen', { count: unseen })}</span>
                </>
              )}
            </NavLink>
          </li>
        )}
        {canReadAlerts && (
          <li>
            <NavLink to={ONCALL_PATH} end className={className}>
              {t('nav.oncall')}
            </NavLink>
          </li>
        )}
        {scopes.has('incidents:read') && (
          <li>
            <NavLink to={DEADLINES_PATH} className={className}>
              {t('nav.deadlines')}
            </NavLink>
          </li>
        )}
        {scopes.has('oncall:manage') && (
          <li>
            <NavLink to={RULES_PATH} className={className}>
              {t('nav.rules')}
            </NavLink>
          </li>
        )}
        <li>
          <NavLink to="/overview" className={className}>
            {t('nav.overview')}
          </NavLink>
        </li>
        {scopes.has('incidents:write') && (
          <li>
            <NavLink to="/submit" className={className}>
              {t('nav.submit')}
            </NavLink>
          </li>
        )}
      </ul>
    </nav>
  );
}
