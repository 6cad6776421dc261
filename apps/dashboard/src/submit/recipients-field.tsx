import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import { useOrganizations } from '../api/organizations';
import type { Tlp } from '../api/types';
import { described, FieldErrors, hintId, controlId } from './field-errors';
import { recipientsTaken, type Draft } from './submission';

/**
 * Who else receives the incident, for the levels that take anyone: organizations for GREEN and
 * AMBER (those the reader may name), people for RED (by user id).
 */
export function RecipientsField({
  tlp,
  draft,
  errors,
  onOrganizations,
  onUsers,
}: {
  tlp: Tlp;
  draft: Pick<Draft, 'organizations' | 'users'>;
  errors: readonly string[] | undefined;
  onOrganizations: (ids: string[]) => void;
  onUsers: (text: string) => void;
}) {
  const { t } = useTranslation();
  const { user } = useSigned();
  const taken = recipientsTaken(tlp);
  const organizations = useOrganizations(taken === 'organizations');
  if (taken === null) return <FieldErrors field="recipients" errors={errors} />;

  if (taken === 'users') {
    return (
      <div className="field">
        <label htmlFor={controlId('recipients')}>{t('submit.recipientUsers')}</label>
        <p id={hintId('recipients')} className="muted">
          {t('submit.recipientUsersHint')}
        </p>
        <textarea
          id={controlId('recipients')}
          name="recipientUsers"
          dir="ltr"
          value={draft.users}
          onChange={(event) => onUsers(event.target.value)}
          {...described('recipients', errors, true)}
        />
        <FieldErrors field="recipients" errors={errors} />
      </div>
    );
  }

  const others = (organizations.data ?? []).filter((org) => org.id !== user.orgId);
  const toggle = (id: string, on: boolean) =>
    onOrganizations(on ? [...draft.organizations, id] : draft.organizations.filter((chosen) => chosen !== id));
  return (
    <fieldset
      className="field"
      id={controlId('recipients')}
      aria-describedby={described('recipients', errors, true)['aria-describedby']}
    >
      <legend>{t('submit.recipientOrganizations')}</legend>
      <p id={hintId('recipients')} className="muted">
        {tlp === 'GREEN' ? t('submit.recipientsGreenHint') : t('submit.recipientsAmberHint')}
      </p>
      {organizations.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {organizations.isSuccess && others.length === 0 && <p>{t('submit.noOrganizations')}</p>}
      <ul className="choices">
        {others.map((org) => (
          <li key={org.id}>
            <label>
              <input
                type="checkbox"
                name="recipientOrganization"
                value={org.id}
                checked={draft.organizations.includes(org.id)}
                onChange={(event) => toggle(org.id, event.target.checked)}
              />{' '}
              {org.name} <bdi dir="ltr">({org.country})</bdi>
            </label>
          </li>
        ))}
      </ul>
      <FieldErrors field="recipients" errors={errors} />
    </fieldset>
  );
}
