import { useMutation } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useSigned } from '../app';
import { DISCLOSURE_LEVELS, PAP_LEVELS, SEVERITIES, TLP_LEVELS, defaultPap } from '../api/domain';
import { ApiError } from '../api/session';
import type { Disclosure, Incident, Pap, Severity, Tlp } from '../api/types';
import { SEVERITY } from '../ui/labels';
import { may } from '../workflow/workflow-access';
import { ClassificationField } from './classification-field';
import { controlId, described, FieldErrors, hintId } from './field-errors';
import { IndicatorRows } from './indicator-rows';
import { RecipientsField } from './recipients-field';
import { DISCLOSURE } from './disclosure-labels';
import {
  emptyDraft,
  errorsByField,
  FORM_FIELDS,
  submission,
  withClass,
  type Draft,
  type FormField,
} from './submission';

type Errors = Partial<Record<FormField, string[]>>;

/** Moves focus to the first field the api refused, so keyboard and screen-reader users land on it. */
function focusFirst(errors: Errors): void {
  const field = FORM_FIELDS.find((name) => errors[name]);
  const element = field ? document.getElementById(controlId(field)) : null;
  const target = element?.matches('input, select, textarea')
    ? element
    : element?.querySelector('input, select, textarea');
  if (target instanceof HTMLElement) target.focus();
}

/**
 * An incident received by phone or e-mail, typed in by an analyst: every field of
 * `POST /api/v1/incidents`. The api judges the input; each field it refuses is shown beside the field.
 */
export function SubmitPage() {
  const { t } = useTranslation();
  const { user } = useSigned();
  if (!may(user, 'incidents:write')) return <p role="alert">{t('submit.notAllowed')}</p>;
  return <SubmitForm />;
}

function SubmitForm() {
  const { t } = useTranslation();
  const { session } = useSigned();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(new Date()));
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation({
    mutationFn: (body: Draft) => session.request<Incident>('POST', '/api/v1/incidents', submission(body)),
    // The page reads the incident itself: processing may already have moved it on.
    onSuccess: (incident) => void navigate(`/incidents/${encodeURIComponent(incident.id)}`),
    onError: (error) => {
      const fields = error instanceof ApiError ? (error.details.fields ?? []) : [];
      setErrors(fields.length > 0 ? errorsByField(fields) : { form: [t('submit.failed')] });
    },
  });
  useEffect(() => focusFirst(errors), [errors]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((current) => ({ ...current, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    create.mutate(draft);
  };

  return (
    <form className="submit-form" onSubmit={submit}>
      <h1>{t('submit.title')}</h1>
      <p className="muted">{t('submit.intro')}</p>
      {errors.form && (
        <div role="alert" className="error">
          {errors.form.map((error, index) => (
            <p key={index}>{error}</p>
          ))}
        </div>
      )}
      {Object.keys(errors).some((field) => field !== 'form') && (
        <p role="alert" className="error">
          {t('submit.refused')}
        </p>
      )}

      <div className="field">
        <label htmlFor={controlId('title')}>{t('submit.incidentTitle')}</label>
        <input
          id={controlId('title')}
          name="title"
          dir="auto"
          required
          maxLength={300}
          value={draft.title}
          onChange={(event) => set('title', event.target.value)}
          {...described('title', errors.title)}
        />
        <FieldErrors field="title" errors={errors.title} />
      </div>

      <div className="field">
        <label htmlFor={controlId('description')}>{t('submit.description')}</label>
        <p id={hintId('description')} className="muted">
          {t('submit.descriptionHint')}
        </p>
        <textarea
          id={controlId('description')}
          name="description"
          dir="auto"
          maxLength={100_000}
          value={draft.description}
          onChange={(event) => set('description', event.target.value)}
          {...described('description', errors.description, true)}
        />
        <FieldErrors field="description" errors={errors.description} />
      </div>

      <ClassificationField
        value={draft.classification}
        errors={errors.classification}
        onClass={(cls) => setDraft((current) => withClass(current, cls))}
        onType={(type) => set('classification', { ...draft.classification, type })}
      />

      <div className="field-row">
        <div className="field">
          <label htmlFor={controlId('severity')}>{t('submit.severity')}</label>
          <select
            id={controlId('severity')}
            name="severity"
            value={draft.severity}
            onChange={(event) => set('severity', event.target.value as Severity)}
            {...described('severity', errors.severity)}
          >
            {SEVERITIES.map((severity) => (
              <option key={severity} value={severity}>
                {t(SEVERITY[severity])}
              </option>
            ))}
          </select>
          <FieldErrors field="severity" errors={errors.severity} />
        </div>

        <div className="field">
          <label htmlFor={controlId('tlp')}>{t('submit.tlp')}</label>
          <select
            id={controlId('tlp')}
            name="tlp"
            dir="ltr"
            value={draft.tlp}
            onChange={(event) => set('tlp', event.target.value as Tlp)}
            {...described('tlp', errors.tlp)}
          >
            {TLP_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t('tlp.label', { level })}
              </option>
            ))}
          </select>
          <FieldErrors field="tlp" errors={errors.tlp} />
        </div>

        <div className="field">
          <label htmlFor={controlId('pap')}>{t('submit.pap')}</label>
          <p id={hintId('pap')} className="muted">
            {t('submit.papHint')}
          </p>
          <select
            id={controlId('pap')}
            name="pap"
            dir="ltr"
            value={draft.pap}
            onChange={(event) => set('pap', event.target.value as Pap | '')}
            {...described('pap', errors.pap, true)}
          >
            <option value="">{t('submit.papDefault', { level: defaultPap(draft.tlp) })}</option>
            {PAP_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t('pap.label', { level })}
              </option>
            ))}
          </select>
          <FieldErrors field="pap" errors={errors.pap} />
        </div>

        <div className="field">
          <label htmlFor={controlId('occurredAt')}>{t('submit.occurredAt')}</label>
          <input
            id={controlId('occurredAt')}
            name="occurredAt"
            type="datetime-local"
            required
            value={draft.occurredAt}
            onChange={(event) => set('occurredAt', event.target.value)}
            {...described('occurredAt', errors.occurredAt)}
          />
          <FieldErrors field="occurredAt" errors={errors.occurredAt} />
        </div>
      </div>

      <RecipientsField
        tlp={draft.tlp}
        draft={draft}
        errors={errors.recipients}
        onOrganizations={(ids) => set('organizations', ids)}
        onUsers={(text) => set('users', text)}
      />

      <IndicatorRows rows={draft.indicators} errors={errors.indicators} onChange={(rows) => set('indicators', rows)} />

      <div className="field-row">
        <div className="field">
          <label htmlFor={controlId('externalRef')}>{t('submit.externalRef')}</label>
          <p id={hintId('externalRef')} className="muted">
            {t('submit.externalRefHint')}
          </p>
          <input
            id={controlId('externalRef')}
            name="externalRef"
            dir="ltr"
            maxLength={200}
            value={draft.externalRef}
            onChange={(event) => set('externalRef', event.target.value)}
            {...described('externalRef', errors.externalRef, true)}
          />
          <FieldErrors field="externalRef" errors={errors.externalRef} />
        </div>

        <div className="field">
          <label htmlFor={controlId('disclosure')}>{t('submit.disclosure')}</label>
          <p id={hintId('disclosure')} className="muted">
            {t('submit.disclosureHint')}
          </p>
          <select
            id={controlId('disclosure')}
            name="disclosure"
            value={draft.disclosure}
            onChange={(event) => set('disclosure', event.target.value as Disclosure | '')}
            {...described('disclosure', errors.disclosure, true)}
          >
            <option value="">{t('submit.disclosurePolicy')}</option>
            {DISCLOSURE_LEVELS.map((level) => (
              <option key={level} value={level}>
                {t(DISCLOSURE[level])}
              </option>
            ))}
          </select>
          <FieldErrors field="disclosure" errors={errors.disclosure} />
        </div>
      </div>

      <button type="submit" disabled={create.isPending}>
        {t('submit.submit')}
      </button>
    </form>
  );
}
