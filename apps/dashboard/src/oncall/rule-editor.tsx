import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSigned } from '../app';
import { useScopes } from '../api/me';
import { CHANNEL_TLP_LEVELS, RSIT_CLASSES, SEVERITIES } from '../api/domain';
import { ApiError } from '../api/session';
import type { MailLanguage, NotificationRule, RsitClass, Severity, Tlp, TriggerKind } from '../api/types';
import { SEVERITY } from '../ui/labels';
import { usePolicies, useWebhookEndpoints, RULES_KEY } from './oncall-query';
import {
  DEADLINE_WHEN_LABEL,
  DEADLINE_WHENS,
  MAIL_LANGUAGE_LABEL,
  MAIL_LANGUAGES,
  TRIGGER_KINDS,
  TRIGGER_LABEL,
  firstPlace,
  ruleBody,
  ruleFieldErrors,
  type RuleDraft,
  type RuleErrorPlace,
  type RuleFieldErrors,
} from './rule-form';

/** The id of the control (or group) an error place belongs to, and of the errors shown beside it. */
const CONTROL: Record<string, string> = {
  name: 'rule-name',
  enabled: 'rule-enabled',
  'trigger.kind': 'rule-kind',
  'trigger.minSeverity': 'rule-minSeverity',
  'trigger.classes': 'rule-classes',
  'trigger.when': 'rule-when',
  targets: 'rule-targets',
  'targets.room': 'rule-room',
  'targets.emails': 'rule-emails',
  'targets.webhookEndpointIds': 'rule-webhooks',
  'targets.policyId': 'rule-policyId',
  maxTlp: 'rule-maxTlp',
};
const controlId = (place: RuleErrorPlace) => CONTROL[place] ?? `rule-email-${place.split('.')[2]}`;
const errorsId = (place: RuleErrorPlace) => `${controlId(place)}-errors`;

/** `aria-describedby` and `aria-invalid` of a control with errors. */
function described(place: RuleErrorPlace, errors: RuleFieldErrors) {
  return errors[place] ? { 'aria-describedby': errorsId(place), 'aria-invalid': true as const } : {};
}

function Errors({ place, errors }: { place: RuleErrorPlace; errors: RuleFieldErrors }) {
  const list = errors[place];
  if (!list) return null;
  return (
    <ul id={errorsId(place)} className="field-errors" data-field={place}>
      {list.map((error, index) => (
        <li key={index}>{error}</li>
      ))}
    </ul>
  );
}

function Group({
  id,
  legend,
  place,
  errors,
  children,
}: {
  id: string;
  legend: string;
  place: RuleErrorPlace;
  errors: RuleFieldErrors;
  children: ReactNode;
}) {
  return (
    <fieldset id={id} tabIndex={-1} {...described(place, errors)}>
      <legend>{legend}</legend>
      {children}
      <Errors place={place} errors={errors} />
    </fieldset>
  );
}

/**
 * Create (`ruleId` null) or replace a notification rule: its name, whether it is on, the trigger
 * (kind; for incidents the least severity and any RSIT classes), the targets (the on-call room,
 * e-mail addresses each with a language, webhook endpoints of the organization, an escalation policy)
 * and the highest TLP whose content leaves by e-mail or webhook. What the api refuses is said beside
 * the field, and the first field at fault takes the focus.
 */
export function RuleEditor({
  initial,
  ruleId,
  done,
}: {
  initial: RuleDraft;
  ruleId: string | null;
  done: (rule: NotificationRule | null) => void;
}) {
  const { t } = useTranslation();
  const { session } = useSigned();
  const scopes = useScopes();
  const queries = useQueryClient();
  const policies = usePolicies(true);
  const endpoints = useWebhookEndpoints(scopes.has('webhooks:manage'));
  const [draft, setDraft] = useState<RuleDraft>(initial);
  const [errors, setErrors] = useState<RuleFieldErrors>({});
  const change = (part: Partial<RuleDraft>) => setDraft((current) => ({ ...current, ...part }));
  const save = useMutation({
    mutationFn: (body: RuleDraft) =>
      ruleId
        ? session.request<NotificationRule>(
            'PUT',
            `/api/v1/notification-rules/${encodeURIComponent(ruleId)}`,
            ruleBody(body),
          )
        : session.request<NotificationRule>('POST', '/api/v1/notification-rules', ruleBody(body)),
    onSuccess: (rule) => {
      setErrors({});
      void queries.invalidateQueries({ queryKey: RULES_KEY });
      done(rule);
    },
    onError: (error) => {
      let found: RuleFieldErrors = {};
      if (error instanceof ApiError && error.status === 400) found = ruleFieldErrors(error.details.fields ?? []);
      if (error instanceof ApiError && error.status === 409) found = { name: [t('rules.nameTaken')] };
      setErrors(found);
      const first = firstPlace(found, draft.emails.length);
      if (first) document.getElementById(controlId(first))?.focus();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!save.isPending) save.mutate(draft);
  };
  const refused = Object.keys(errors).length > 0;
  const toggle = <T,>(list: readonly T[], item: T, on: boolean) =>
    on ? [...list, item] : list.filter((other) => other !== item);
  const setEmail = (index: number, part: Partial<RuleDraft['emails'][number]>) =>
    change({ emails: draft.emails.map((email, i) => (i === index ? { ...email, ...part } : email)) });

  return (
    <form className="rule-form" onSubmit={submit} aria-labelledby="rule-form-title" noValidate>
      <h2 id="rule-form-title">{ruleId ? t('rules.edit') : t('rules.new')}</h2>
      <div className="field">
        <label htmlFor="rule-name">{t('rules.name')}</label>
        <input
          id="rule-name"
          name="name"
          required
          autoComplete="off"
          value={draft.name}
          onChange={(event) => change({ name: event.target.value })}
          {...described('name', errors)}
        />
        <Errors place="name" errors={errors} />
      </div>
      <div className="field checkbox">
        <input
          id="rule-enabled"
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => change({ enabled: event.target.checked })}
          {...described('enabled', errors)}
        />
        <label htmlFor="rule-enabled">{t('rules.enabled')}</label>
        <Errors place="enabled" errors={errors} />
      </div>

      <fieldset>
        <legend>{t('rules.trigger')}</legend>
        <div className="field">
          <label htmlFor="rule-kind">{t('rules.kind')}</label>
          <select
            id="rule-kind"
            name="kind"
            value={draft.kind}
            onChange={(event) => change({ kind: event.target.value as TriggerKind })}
            {...described('trigger.kind', errors)}
          >
            {TRIGGER_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(TRIGGER_LABEL[kind])}
              </option>
            ))}
          </select>
          <Errors place="trigger.kind" errors={errors} />
        </div>
        {draft.kind === 'incident' && (
          <>
            <div className="field">
              <label htmlFor="rule-minSeverity">{t('rules.minSeverity')}</label>
              <select
                id="rule-minSeverity"
                name="minSeverity"
                value={draft.minSeverity}
                onChange={(event) => change({ minSeverity: event.target.value as Severity })}
                {...described('trigger.minSeverity', errors)}
              >
                {SEVERITIES.map((severity) => (
                  <option key={severity} value={severity}>
                    {t(SEVERITY[severity])}
                  </option>
                ))}
              </select>
              <Errors place="trigger.minSeverity" errors={errors} />
            </div>
            <Group id="rule-classes" legend={t('rules.classes')} place="trigger.classes" errors={errors}>
              <p className="hint">{t('rules.classesHint')}</p>
              <div className="checkbox-grid">
                {RSIT_CLASSES.map((rsit: RsitClass) => (
                  <label key={rsit} className="checkbox">
                    <input
                      type="checkbox"
                      name="classes"
                      value={rsit}
                      checked={draft.classes.includes(rsit)}
                      onChange={(event) => change({ classes: toggle(draft.classes, rsit, event.target.checked) })}
                    />{' '}
                    <bdi dir="ltr">{rsit}</bdi>
                  </label>
                ))}
              </div>
            </Group>
          </>
        )}
        {draft.kind === 'deadline' && (
          <Group id="rule-when" legend={t('rules.deadline.when')} place="trigger.when" errors={errors}>
            {DEADLINE_WHENS.map((when) => (
              <label key={when} className="checkbox">
                <input
                  type="checkbox"
                  name="when"
                  value={when}
                  checked={draft.deadlineWhen.includes(when)}
                  onChange={(event) => change({ deadlineWhen: toggle(draft.deadlineWhen, when, event.target.checked) })}
                />{' '}
                {t(DEADLINE_WHEN_LABEL[when])}
              </label>
            ))}
          </Group>
        )}
      </fieldset>

      <Group id="rule-targets" legend={t('rules.targets')} place="targets" errors={errors}>
        <div className="field checkbox">
          <input
            id="rule-room"
            type="checkbox"
            checked={draft.room}
            onChange={(event) => change({ room: event.target.checked })}
            {...described('targets.room', errors)}
          />
          <label htmlFor="rule-room">{t('rules.room')}</label>
          <Errors place="targets.room" errors={errors} />
        </div>
        <Group id="rule-emails" legend={t('rules.emails')} place="targets.emails" errors={errors}>
          {draft.emails.map((email, index) => {
            const place: RuleErrorPlace = `targets.emails.${index}`;
            return (
              <div key={index} className="rule-email" data-row={index}>
                <label htmlFor={`rule-email-${index}`}>{t('rules.emailAddress', { n: index + 1 })}</label>
                <input
                  id={`rule-email-${index}`}
                  type="email"
                  dir="ltr"
                  autoComplete="off"
                  value={email.address}
                  onChange={(event) => setEmail(index, { address: event.target.value })}
                  {...described(place, errors)}
                />
                <label htmlFor={`rule-email-${index}-language`}>{t('rules.emailLanguage', { n: index + 1 })}</label>
                <select
                  id={`rule-email-${index}-language`}
                  value={email.language}
                  onChange={(event) => setEmail(index, { language: event.target.value as MailLanguage })}
                >
                  {MAIL_LANGUAGES.map((language) => (
                    <option key={language} value={language} lang={language}>
                      {t(MAIL_LANGUAGE_LABEL[language])}
                    </option>
                  ))}
                </select>
                <button type="button" onClick={() => change({ emails: draft.emails.filter((_, i) => i !== index) })}>
                  {t('rules.emailRemove', { n: index + 1 })}
                </button>
                <Errors place={place} errors={errors} />
              </div>
            );
          })}
          <button type="button" onClick={() => change({ emails: [...draft.emails, { address: '', language: 'en' }] })}>
            {t('rules.emailAdd')}
          </button>
        </Group>
        <Group id="rule-webhooks" legend={t('rules.webhooks')} place="targets.webhookEndpointIds" errors={errors}>
          {!scopes.has('webhooks:manage') && <p className="hint">{t('rules.webhooksNotAllowed')}</p>}
          {endpoints.isSuccess && endpoints.data.length === 0 && <p className="hint">{t('rules.webhooksNone')}</p>}
          {endpoints.isError && <p role="alert">{t('common.loadFailed')}</p>}
          {endpoints.data?.map((endpoint) => (
            <label key={endpoint.id} className="checkbox">
              <input
                type="checkbox"
                name="webhookEndpointIds"
                value={endpoint.id}
                checked={draft.webhookEndpointIds.includes(endpoint.id)}
                onChange={(event) =>
                  change({ webhookEndpointIds: toggle(draft.webhookEndpointIds, endpoint.id, event.target.checked) })
                }
              />{' '}
              <bdi dir="ltr">{endpoint.url}</bdi>
              {endpoint.description && <> ({endpoint.description})</>}
            </label>
          ))}
        </Group>
        <div className="field">
          <label htmlFor="rule-policyId">{t('rules.policy')}</label>
          <select
            id="rule-policyId"
            name="policyId"
            value={draft.policyId}
            onChange={(event) => change({ policyId: event.target.value })}
            {...described('targets.policyId', errors)}
          >
            <option value="">{t('rules.noPolicy')}</option>
            {policies.data?.map((policy) => (
              <option key={policy.id} value={policy.id}>
                {policy.name}
              </option>
            ))}
          </select>
          <Errors place="targets.policyId" errors={errors} />
        </div>
      </Group>

      <div className="field">
        <label htmlFor="rule-maxTlp">{t('rules.maxTlp')}</label>
        <select
          id="rule-maxTlp"
          name="maxTlp"
          value={draft.maxTlp}
          onChange={(event) => change({ maxTlp: event.target.value as Tlp })}
          aria-describedby={['rule-maxTlp-hint', errors.maxTlp ? errorsId('maxTlp') : ''].join(' ').trim()}
          aria-invalid={errors.maxTlp ? true : undefined}
        >
          {CHANNEL_TLP_LEVELS.map((level) => (
            <option key={level} value={level}>
              {t('tlp.label', { level })}
            </option>
          ))}
        </select>
        <p id="rule-maxTlp-hint" className="hint">
          {t('rules.maxTlpHint')}
        </p>
        <Errors place="maxTlp" errors={errors} />
      </div>

      <div className="form-actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? t('rules.saving') : t('rules.save')}
        </button>{' '}
        <button type="button" onClick={() => done(null)}>
          {t('rules.cancel')}
        </button>
      </div>
      <div aria-live="polite">
        {refused && <p role="alert">{t('rules.refused')}</p>}
        {save.isError && !refused && <p role="alert">{t('rules.saveFailed')}</p>}
      </div>
    </form>
  );
}
