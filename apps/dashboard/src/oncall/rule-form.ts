import type {
  FieldError,
  MailLanguage,
  NotificationRule,
  NotificationRuleInput,
  RsitClass,
  Severity,
  Tlp,
  TriggerKind,
} from '../api/types';
import { k } from '../i18n/keys';

/** The rule form as typed: every control's value, the e-mail rows in the order shown. */
export interface RuleDraft {
  name: string;
  enabled: boolean;
  kind: TriggerKind;
  minSeverity: Severity;
  classes: RsitClass[];
  /** A deadline trigger: before a milestone falls due, at a miss, or both. */
  deadlineWhen: DeadlineWhen[];
  room: boolean;
  emails: Array<{ address: string; language: MailLanguage }>;
  webhookEndpointIds: string[];
  /** Empty: no escalation policy. */
  policyId: string;
  maxTlp: Tlp;
}

/** The trigger kinds, by the words the form shows for each (the api's `TriggerKind`). */
export const TRIGGER_LABEL = {
  incident: k('rules.trigger.incident'),
  correlation: k('rules.trigger.correlation'),
  'watchlist-hit': k('rules.trigger.watchlist-hit'),
  'contact-request': k('rules.trigger.contact-request'),
  deadline: k('rules.trigger.deadline'),
  retraction: k('rules.trigger.retraction'),
} satisfies Record<TriggerKind, string>;

export type DeadlineWhen = 'near' | 'missed';
/** A deadline trigger's moments, by the words the form shows for each. */
export const DEADLINE_WHEN_LABEL = {
  near: k('rules.deadline.near'),
  missed: k('rules.deadline.missed'),
} satisfies Record<DeadlineWhen, string>;
export const DEADLINE_WHENS = Object.keys(DEADLINE_WHEN_LABEL) as DeadlineWhen[];
export const TRIGGER_KINDS = Object.keys(TRIGGER_LABEL) as TriggerKind[];

/** The languages an e-mail may be written in (the api's `MailLanguage`), each named in its own language. */
export const MAIL_LANGUAGE_LABEL = {
  en: k('language.en'),
  ar: k('language.ar'),
  ur: k('language.ur'),
} satisfies Record<MailLanguage, string>;
export const MAIL_LANGUAGES = Object.keys(MAIL_LANGUAGE_LABEL) as MailLanguage[];

/** A new rule's form: on by default, critical incidents to the on-call room, content up to GREEN (the api's default). */
export const NEW_RULE: RuleDraft = {
  name: '',
  enabled: true,
  kind: 'incident',
  minSeverity: 'critical',
  classes: [],
  deadlineWhen: ['near', 'missed'],
  room: true,
  emails: [],
  webhookEndpointIds: [],
  policyId: '',
  maxTlp: 'GREEN',
};

/** The form filled with a stored rule, to edit it. */
export function draftOf(rule: NotificationRule): RuleDraft {
  const trigger = rule.trigger;
  return {
    name: rule.name,
    enabled: rule.enabled,
    kind: trigger.kind,
    minSeverity: trigger.kind === 'incident' ? trigger.minSeverity : NEW_RULE.minSeverity,
    classes: trigger.kind === 'incident' ? [...(trigger.classes ?? [])] : [],
    deadlineWhen: trigger.kind === 'deadline' ? [...trigger.when] : [...NEW_RULE.deadlineWhen],
    room: rule.targets.room,
    emails: rule.targets.emails.map((email) => ({ ...email })),
    webhookEndpointIds: [...rule.targets.webhookEndpointIds],
    policyId: rule.targets.policyId ?? '',
    maxTlp: rule.maxTlp as Tlp,
  };
}

/**
 * The body of POST /api/v1/notification-rules and PUT …/:id. Severity and classes go only with an
 * incident trigger (the only kind that reads them); every e-mail row is sent as typed (trimmed), so
 * the api's errors name the row shown.
 */
export function ruleBody(draft: RuleDraft): NotificationRuleInput {
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    trigger:
      draft.kind === 'incident'
        ? {
            kind: 'incident',
            minSeverity: draft.minSeverity,
            ...(draft.classes.length > 0 ? { classes: [...draft.classes] } : {}),
          }
        : draft.kind === 'deadline'
          ? { kind: 'deadline', when: [...draft.deadlineWhen] }
          : { kind: draft.kind },
    targets: {
      room: draft.room,
      emails: draft.emails.map((email) => ({ address: email.address.trim(), language: email.language })),
      webhookEndpointIds: [...draft.webhookEndpointIds],
      policyId: draft.policyId || null,
    },
    maxTlp: draft.maxTlp,
  };
}

/** Where the form shows an error: beside a control, beside one e-mail row, or beside the targets as a whole. */
export type RuleErrorPlace =
  | 'name'
  | 'enabled'
  | 'trigger.kind'
  | 'trigger.minSeverity'
  | 'trigger.classes'
  | 'trigger.when'
  | 'targets'
  | 'targets.room'
  | 'targets.emails'
  | `targets.emails.${number}`
  | 'targets.webhookEndpointIds'
  | 'targets.policyId'
  | 'maxTlp';
export type RuleFieldErrors = Partial<Record<RuleErrorPlace, string[]>>;

const PLACES: readonly RuleErrorPlace[] = [
  'name',
  'enabled',
  'trigger.kind',
  'trigger.minSeverity',
  'trigger.classes',
  'trigger.when',
  'targets',
  'targets.room',
  'targets.emails',
  'targets.webhookEndpointIds',
  'targets.policyId',
  'maxTlp',
];

/**
 * Where an api field name (`error.details.fields[].field`, e.g. `targets.emails.1.address`) is shown.
 * A field the form has no place for is shown beside the part it belongs to (trigger, targets), or
 * beside the name, so no refusal goes unsaid.
 */
export function placeOf(field: string): RuleErrorPlace {
  const row = /^targets\.emails\.(\d+)(\.|$)/.exec(field);
  if (row) return `targets.emails.${Number(row[1])}`;
  if (field.startsWith('targets.webhookEndpointIds')) return 'targets.webhookEndpointIds';
  if (field.startsWith('trigger.classes')) return 'trigger.classes';
  if (field.startsWith('trigger.when')) return 'trigger.when';
  const known = PLACES.find((place) => place === field);
  if (known) return known;
  if (field.startsWith('targets')) return 'targets';
  if (field.startsWith('trigger')) return 'trigger.kind';
  return 'name';
}

/** A 400's `details.fields`, by the place each is shown. */
export function ruleFieldErrors(fields: readonly FieldError[]): RuleFieldErrors {
  const errors: RuleFieldErrors = {};
  for (const { field, message } of fields) (errors[placeOf(field)] ??= []).push(message);
  return errors;
}

/** The places in the order of the form, for moving the focus to the first one at fault. */
export function firstPlace(errors: RuleFieldErrors, emailRows: number): RuleErrorPlace | undefined {
  const order: RuleErrorPlace[] = [
    'name',
    'enabled',
    'trigger.kind',
    'trigger.minSeverity',
    'trigger.classes',
    'trigger.when',
    'targets',
    'targets.room',
    'targets.emails',
    ...Array.from({ length: emailRows }, (_, i): RuleErrorPlace => `targets.emails.${i}`),
    'targets.webhookEndpointIds',
    'targets.policyId',
    'maxTlp',
  ];
  return order.find((place) => errors[place]);
}
