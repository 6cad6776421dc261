import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import type { Incident } from '../api/types';
import { SEVERITY, STATE, STATUS } from '../ui/labels';

/** The incident's fields; who it is assigned to, for its own organization only (nobody else is told). */
export function IncidentFields({
  incident,
  nameOf,
}: {
  incident: Incident;
  nameOf: (id: string) => string | undefined;
}) {
  const { t } = useTranslation();
  const { user } = useSigned();
  const ours = incident.organization.id === user.orgId;
  const at = (iso: string) => <time dateTime={iso}>{t('common.dateTime', { at: new Date(iso) })}</time>;
  return (
    <dl className="fields">
      <dt>{t('incident.organization')}</dt>
      <dd>{incident.organization.name}</dd>
      <dt>{t('incident.classification')}</dt>
      <dd>
        <bdi dir="ltr">{`${incident.classification.class}/${incident.classification.type}`}</bdi>
      </dd>
      <dt>{t('incident.severity')}</dt>
      <dd>{t(SEVERITY[incident.severity])}</dd>
      <dt>{t('incident.status')}</dt>
      <dd data-field="status">
        {t(STATUS[incident.status])}
        {incident.statusChangedAt && <> ({at(incident.statusChangedAt)})</>}
      </dd>
      {ours && (
        <>
          <dt>{t('incident.assignee')}</dt>
          <dd data-field="assignee">
            {incident.assigneeId === null
              ? t('incident.unassigned')
              : incident.assigneeId === user.id
                ? t('incident.assignedToYou')
                : (nameOf(incident.assigneeId) ?? t('incident.assignedToColleague'))}
          </dd>
        </>
      )}
      <dt>{t('incident.state')}</dt>
      <dd>
        {t(STATE[incident.state])}
        {incident.failureReason && <> — {incident.failureReason}</>}
      </dd>
      <dt>{t('incident.occurredAt')}</dt>
      <dd>{at(incident.occurredAt)}</dd>
      <dt>{t('incident.createdAt')}</dt>
      <dd>{at(incident.createdAt)}</dd>
      {incident.externalRef && (
        <>
          <dt>{t('incident.externalRef')}</dt>
          <dd>
            <bdi dir="ltr">{incident.externalRef}</bdi>
          </dd>
        </>
      )}
    </dl>
  );
}
