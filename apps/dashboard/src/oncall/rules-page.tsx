import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSigned } from '../app';
import { useScopes } from '../api/me';
import type { NotificationRule } from '../api/types';
import { k } from '../i18n/keys';
import { ONCALL_PATH } from '../live/live-bridge';
import { SEVERITY } from '../ui/labels';
import { message } from '../ui/message';
import { TlpBadge } from '../ui/tlp-badge';
import { useMessage } from '../ui/use-message';
import { RULES_KEY, usePolicies, useRules } from './oncall-query';
import { RuleEditor } from './rule-editor';
import { NEW_RULE, TRIGGER_LABEL, draftOf } from './rule-form';

/** Where the rules page is. */
export const RULES_PATH = `${ONCALL_PATH}/rules`;

/**
 * The organization's notification rules (org-admins, `oncall:manage`): what raises an alert and who is
 * told. A rule is added or changed in the form; removed after a confirmation in its row (the alerts
 * it raised stay).
 */
export function RulesPage() {
  const { t } = useTranslation();
  const say = useMessage();
  const scopes = useScopes();
  const { session } = useSigned();
  const queries = useQueryClient();
  const allowed = scopes.has('oncall:manage');
  const rules = useRules(allowed);
  const policies = usePolicies(allowed);
  const [editing, setEditing] = useState<{ rule: NotificationRule | null } | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: async (rule: NotificationRule) => {
      await session.request<void>('DELETE', `/api/v1/notification-rules/${encodeURIComponent(rule.id)}`);
      return rule;
    },
    onSuccess: (rule) => {
      setConfirming(null);
      setStatus(say(message(k('rules.removed'), { name: rule.name })));
      void queries.invalidateQueries({ queryKey: RULES_KEY });
    },
  });

  if (!allowed) return <p role="alert">{t('rules.notAllowed')}</p>;
  const policyName = (id: string | null) => policies.data?.find((policy) => policy.id === id)?.name ?? id;

  return (
    <section className="rules">
      <div className="toolbar">
        <h1>{t('rules.title')}</h1>
        <Link to={ONCALL_PATH}>{t('rules.back')}</Link>
      </div>
      <p className="hint">{t('rules.intro')}</p>
      <div aria-live="polite" className="rules-status">
        {status && <p>{status}</p>}
        {remove.isError && <p role="alert">{t('rules.removeFailed')}</p>}
      </div>
      {editing ? (
        <RuleEditor
          key={editing.rule?.id ?? 'new'}
          initial={editing.rule ? draftOf(editing.rule) : NEW_RULE}
          ruleId={editing.rule?.id ?? null}
          done={(saved) => {
            setEditing(null);
            if (saved)
              setStatus(say(message(editing.rule ? k('rules.saved') : k('rules.created'), { name: saved.name })));
          }}
        />
      ) : (
        <button type="button" onClick={() => setEditing({ rule: null })}>
          {t('rules.add')}
        </button>
      )}
      {rules.isPending && <p>{t('common.loading')}</p>}
      {rules.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {rules.isSuccess && rules.data.length === 0 && <p>{t('rules.empty')}</p>}
      {rules.isSuccess && rules.data.length > 0 && (
        <div className="figures">
          <table className="rules-table">
            <caption className="visually-hidden">{t('rules.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('rules.name')}</th>
                <th scope="col">{t('rules.trigger')}</th>
                <th scope="col">{t('rules.targets')}</th>
                <th scope="col">{t('rules.maxTlp')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('rules.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rules.data.map((rule) => {
                const trigger = rule.trigger;
                const targets = [
                  rule.targets.room ? t('rules.room') : null,
                  ...rule.targets.emails.map((email) => `${email.address} (${email.language})`),
                  rule.targets.webhookEndpointIds.length > 0
                    ? t('rules.webhookCount', { count: rule.targets.webhookEndpointIds.length })
                    : null,
                  rule.targets.policyId
                    ? say(message(k('rules.policyNamed'), { name: policyName(rule.targets.policyId) ?? '' }))
                    : null,
                ].filter((text): text is string => text !== null);
                return (
                  <tr key={rule.id} data-rule-id={rule.id} data-name={rule.name}>
                    <th scope="row">
                      {rule.name} {!rule.enabled && <span className="hint">{t('rules.disabled')}</span>}
                    </th>
                    <td>
                      {t(TRIGGER_LABEL[trigger.kind])}
                      {trigger.kind === 'incident' && (
                        <>
                          {' '}
                          {t('rules.atLeast', { severity: t(SEVERITY[trigger.minSeverity]) })}
                          {trigger.classes && trigger.classes.length > 0 && (
                            <>
                              {' '}
                              <bdi dir="ltr">{trigger.classes.join(', ')}</bdi>
                            </>
                          )}
                        </>
                      )}
                    </td>
                    <td>
                      <ul className="plain">
                        {targets.map((text, i) => (
                          <li key={i}>
                            <bdi>{text}</bdi>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <TlpBadge tlp={rule.maxTlp as Parameters<typeof TlpBadge>[0]['tlp']} />
                    </td>
                    <td className="rule-actions">
                      {confirming === rule.id ? (
                        <span role="group" aria-label={say(message(k('rules.confirmRemove'), { name: rule.name }))}>
                          <span className="rule-confirm">
                            {say(message(k('rules.confirmRemove'), { name: rule.name }))}
                          </span>{' '}
                          <button
                            type="button"
                            disabled={remove.isPending}
                            onClick={() => remove.mutate(rule)}
                            autoFocus
                          >
                            {t('rules.removeYes')}
                          </button>{' '}
                          <button type="button" disabled={remove.isPending} onClick={() => setConfirming(null)}>
                            {t('rules.cancel')}
                          </button>
                        </span>
                      ) : (
                        <>
                          <button
                            type="button"
                            onClick={() => setEditing({ rule })}
                            aria-label={say(message(k('rules.editNamed'), { name: rule.name }))}
                          >
                            {t('rules.editShort')}
                          </button>{' '}
                          <button
                            type="button"
                            onClick={() => setConfirming(rule.id)}
                            aria-label={say(message(k('rules.removeNamed'), { name: rule.name }))}
                          >
                            {t('rules.remove')}
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
