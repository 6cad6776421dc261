import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ONCALL_PAGED_KEY, ONCALL_PATH } from '../live/live-bridge';
import { k } from '../i18n/keys';
import { message } from '../ui/message';
import { useMessage } from '../ui/use-message';
import type { Paged } from './oncall-merge';
import { usePagedNotices } from './oncall-query';

/**
 * "You are paged": on every page, under the header, while an escalation step paged this person for
 * an alert still triggered (`alert.paged`). The region is always present and assertive, so a screen
 * reader announces a page as it arrives; acknowledging or resolving the alert (here or elsewhere), or
 * dismissing the notice, takes it away.
 */
export function PagedNotice() {
  const { t } = useTranslation();
  const say = useMessage();
  const queries = useQueryClient();
  const notices = usePagedNotices();
  const dismiss = (id: string) =>
    queries.setQueryData<readonly Paged[]>(ONCALL_PAGED_KEY, (list = []) => list.filter((n) => n.alert.id !== id));
  return (
    <div className="paged-notices" aria-live="assertive">
      {notices.map(({ alert }) => (
        <p key={alert.id} className="paged" data-alert-id={alert.id}>
          <strong>{t('oncall.paged')}</strong>{' '}
          <span>
            {alert.incident
              ? say(message(k('oncall.pagedAbout'), { rule: alert.ruleName, subject: alert.incident.title }))
              : say(message(k('oncall.pagedRule'), { rule: alert.ruleName }))}
          </span>{' '}
          <Link to={ONCALL_PATH}>{t('oncall.pagedOpen')}</Link>{' '}
          <button type="button" onClick={() => dismiss(alert.id)}>
            {t('oncall.pagedDismiss')}
          </button>
        </p>
      ))}
    </div>
  );
}
