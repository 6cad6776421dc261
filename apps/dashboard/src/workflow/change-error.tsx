import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/session';

/** Why a change was refused: the api's own words for the fields it names, else a general line. */
export function ChangeError({ error }: { error: Error | null }) {
  const { t } = useTranslation();
  if (!error) return null;
  const fields = error instanceof ApiError ? (error.details.fields ?? []) : [];
  return (
    <p role="alert" className="error">
      {fields.length > 0
        ? fields.map((field) => field.message).join(' ')
        : error instanceof ApiError && error.status === 409
          ? t('workflow.conflict')
          : t('workflow.failed')}
    </p>
  );
}
