import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../incidents/incident';
import { RSIT_CLASSES, type RsitClass } from '../incidents/taxonomy';
import type { Correlation } from '../correlation/correlation';
import { canSee, type Shareable, type Viewer } from '../visibility/visibility';
import { TLP_LEVELS, type Tlp } from '../visibility/tlp';
import { LANGUAGES, type Language } from './mail';
import { DEFAULT_CHANNEL_MAX_TLP, type Notification, type NotificationType } from './notification';

/**
 * Per-organization notification rules and the alerts they raise.
 *
 * A rule says which domain events concern its organization (the trigger) and who is told (the
 * targets). The worker evaluates the rules of every organization on each event; each match raises
 * one alert, whose id is derived from (organization, rule, source event), so a retried job raises
 * nothing twice. An alert goes `triggered → acknowledged → resolved` (or straight to resolved).
 */

/** What a rule reacts to. */
export type RuleTrigger =
  /** An incident the organization may see, of at least this severity (optionally of these RSIT classes). */
  | { kind: 'incident'; minSeverity: Severity; classes?: RsitClass[] }
  /** A correlation with one of the organization's own incidents. */
  | { kind: 'correlation' }
  /** A value on the organization's watchlist found in an incident. */
  | { kind: 'watchlist-hit' }
  /** Another organization asks to be put in touch about one of the organization's incidents. */
  | { kind: 'contact-request' }
  /** A regulatory deadline of one of the organization's incidents is near, or was missed. */
  | { kind: 'deadline'; when: Array<'near' | 'missed'> }
  /** An incident (or an indicator of it) the organization was told of was retracted by its submitter. */
  | { kind: 'retraction' };

export const TRIGGER_KINDS = [
  'incident',
  'correlation',
  'watchlist-hit',
  'contact-request',
  'deadline',
  'retraction',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

/** The languages a rule's e-mail addresses are written to in: the mail languages. */
export const MAIL_LANGUAGES = LANGUAGES;
export type MailLanguage = Language;

/** Who a rule tells. */
export interface RuleTargets {
  /** The organization's on-call room: a live `alert.changed` to its sockets (and the alerts inbox). */
  room: boolean;
  /** E-mail addresses, each in its reader's language. */
  emails: Array<{ address: string; language: MailLanguage }>;
  /** The organization's webhook endpoints (ids). */
  webhookEndpointIds: string[];
  /** An escalation policy of the organization paging on-call staff until someone acknowledges. */
  policyId: string | null;
}

export interface NotificationRule {
  id: string;
  orgId: string;
  name: string;
  enabled: boolean;
  trigger: RuleTrigger;
  targets: RuleTargets;
  /** The highest TLP whose content the rule's e-mails carry (never RED; default GREEN). */
  maxTlp: Tlp;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What a rule needs to know about the incident an event concerns. */
export interface AlertIncident extends Shareable {
  id: string;
  title: string;
  severity: Severity;
  classification: { class: RsitClass; type: string };
}

/**
 * A domain event rules are evaluated on. `id` identifies the event (not the rule or organization):
 * `incident:<id>`, `correlation:<id>`, `watch-hit:<id>`, `contact:<id>`, `deadline:<incident>:<milestone>:<when>:<due ms>`.
 */
export type SourceEvent =
  | { kind: 'incident'; id: string; incident: AlertIncident }
  | {
      kind: 'correlation';
      id: string;
      /** The organizations whose own incident takes part, each with its incident and the matched value. */
      sides: Array<{ orgId: string; incident: AlertIncident; value: string; type: string }>;
    }
  | {
      kind: 'watchlist-hit';
      id: string;
      orgId: string;
      watched: { type: string; value: string };
      incident: AlertIncident;
    }
  /** A partner asks to be put in touch on a match with the organization's incident (the partner stays unnamed). */
  | { kind: 'contact-request'; id: string; orgId: string; incident: AlertIncident; correlationId: string }
  /**
   * A reminder of a milestone of the organization's incident (`deadline:<incident>:<milestone>:<when>:<due ms>`):
   * its due time is near, or passed with the milestone not completed.
   */
  | {
      kind: 'deadline';
      id: string;
      orgId: string;
      incident: AlertIncident;
      when: 'near' | 'missed';
      milestone: { key: string; label: string; due: Date };
    }
  /**
   * A retraction (`retraction:<retraction id>`), to the organizations that were told of what it
   * withdraws; `incident` is the retracted incident as it was (its view shows it only to who may see it).
   */
  | { kind: 'retraction'; id: string; orgIds: string[]; incident: AlertIncident; scope: 'incident' | 'indicator' };

/** `withdrawn`: what raised it was retracted by its submitter (it leaves the inbox; escalation stops). */
export const ALERT_STATES = ['triggered', 'acknowledged', 'resolved', 'withdrawn'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export interface Alert {
  id: string;
  orgId: string;
  ruleId: string;
  ruleName: string;
  source: { kind: TriggerKind; id: string };
  /** The incident the alert is about, and what of it the alert shows to those who may see it. */
  incident: AlertIncident;
  /** The organization's own detail: the matched or watched value, or the match a contact request is about. */
  detail: Record<string, string>;
  state: AlertState;
  createdAt: Date;
  acknowledged: { by: string; at: Date } | null;
  resolved: { by: string; at: Date } | null;
  /** Escalation under a policy: the next step to run and when (null once finished or stopped). */
  escalation: { policyId: string; step: number; nextAt: Date | null } | null;
}

/** One alert per (organization, rule, source event): the same inputs always give the same id. */
export function alertId(orgId: string, ruleId: string, sourceEventId: string): string {
  return `al-${createHash('sha256').update(`${orgId}\n${ruleId}\n${sourceEventId}`).digest('hex').slice(0, 32)}`;
}

/** What an alert keeps of an incident (the fields the visibility rule and the alert's wording need). */
export function alertIncidentOf(incident: AlertIncident): AlertIncident {
  return {
    id: incident.id,
    orgId: incident.orgId,
    tlp: incident.tlp,
    authorId: incident.authorId,
    recipientOrgIds: [...incident.recipientOrgIds],
    recipientUserIds: [...incident.recipientUserIds],
    title: incident.title,
    severity: incident.severity,
    classification: { class: incident.classification.class, type: incident.classification.type },
  };
}

/**
 * The rule event of a correlation: each side's organization, its own incident and its own value
 * (the earlier side's value differs from the found one for every kind but exact). Sides whose
 * incident is missing are left out.
 */
export function correlationEvent(
  correlation: Correlation,
  incidents: ReadonlyMap<string, AlertIncident>,
): Extract<SourceEvent, { kind: 'correlation' }> {
  const sides: Array<{ orgId: string; incident: AlertIncident; value: string; type: string }> = [];
  const found = incidents.get(correlation.found.incidentId);
  const earlier = incidents.get(correlation.earlier.incidentId);
  if (found)
    sides.push({
      orgId: found.orgId,
      incident: alertIncidentOf(found),
      type: correlation.type,
      value: correlation.value,
    });
  if (earlier) {
    const own = correlation.matched ?? { type: correlation.type, value: correlation.value };
    sides.push({ orgId: earlier.orgId, incident: alertIncidentOf(earlier), type: own.type, value: own.value });
  }
  return { kind: 'correlation', id: `correlation:${correlation.id}`, sides };
}

const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

/**
 * The alerts `event` raises under `rules` (every organization's), at `now`. Disabled rules raise
 * nothing; an incident trigger fires only for organizations whose organization-wide viewer (from
 * `viewerOf`) may see the incident — what an organization may not see never reaches its rules.
 */
export function alertsFor(
  event: SourceEvent,
  rules: readonly NotificationRule[],
  viewerOf: (orgId: string) => Viewer,
  now: Date,
): Alert[] {
  const raised: Alert[] = [];
  const raise = (rule: NotificationRule, incident: AlertIncident, detail: Record<string, string>) => {
    const id = alertId(rule.orgId, rule.id, event.id);
    // Both sides of a correlation within one organization: one alert.
    if (raised.some((alert) => alert.id === id)) return;
    raised.push({
      id,
      orgId: rule.orgId,
      ruleId: rule.id,
      ruleName: rule.name,
      source: { kind: event.kind, id: event.id },
      incident,
      detail,
      state: 'triggered',
      createdAt: now,
      acknowledged: null,
      resolved: null,
      escalation: rule.targets.policyId ? { policyId: rule.targets.policyId, step: 0, nextAt: now } : null,
    });
  };
  for (const rule of rules) {
    if (!rule.enabled || rule.trigger.kind !== event.kind) continue;
    const trigger = rule.trigger;
    switch (event.kind) {
      case 'incident': {
        if (trigger.kind !== 'incident') break;
        const incident = event.incident;
        if (severityRank(incident.severity) < severityRank(trigger.minSeverity)) break;
        if (trigger.classes?.length && !trigger.classes.includes(incident.classification.class)) break;
        if (!canSee(viewerOf(rule.orgId), incident)) break;
        raise(rule, incident, {});
        break;
      }
      case 'correlation':
        for (const side of event.sides) {
          if (side.orgId === rule.orgId) raise(rule, side.incident, { type: side.type, value: side.value });
        }
        break;
      case 'watchlist-hit':
        if (event.orgId === rule.orgId)
          raise(rule, event.incident, { type: event.watched.type, value: event.watched.value });
        break;
      case 'contact-request':
        if (event.orgId === rule.orgId) raise(rule, event.incident, { correlationId: event.correlationId });
        break;
      case 'deadline':
        if (trigger.kind === 'deadline' && event.orgId === rule.orgId && trigger.when.includes(event.when))
          raise(rule, event.incident, {
            milestone: event.milestone.key,
            label: event.milestone.label,
            when: event.when,
            due: event.milestone.due.toISOString(),
          });
        break;
      case 'retraction':
        if (event.orgIds.includes(rule.orgId)) raise(rule, event.incident, { scope: event.scope });
        break;
    }
  }
  return raised;
}

/** An alert as one reader sees it: the incident's title and id only when the reader may see it. */
export interface RuleAlertView {
  id: string;
  ruleId: string;
  ruleName: string;
  trigger: TriggerKind;
  state: AlertState;
  tlp: Tlp;
  createdAt: string;
  incident: { id: string; title: string; severity: Severity; classification: string } | null;
  detail: Record<string, string>;
  acknowledged: { by: string; at: string } | null;
  resolved: { by: string; at: string } | null;
  escalation: { step: number; nextAt: string | null } | null;
}

/**
 * The one wording of an alert, for REST, sockets, e-mail and webhooks: what of the incident a
 * reader sees follows the visibility rule; the organization's own detail (its value, its watched
 * value, who asked for contact) is always shown to it.
 */
export function alertViewFor(viewer: Viewer, alert: Alert): RuleAlertView {
  const visible = canSee(viewer, alert.incident);
  return {
    id: alert.id,
    ruleId: alert.ruleId,
    ruleName: alert.ruleName,
    trigger: alert.source.kind,
    state: alert.state,
    tlp: alert.incident.tlp,
    createdAt: alert.createdAt.toISOString(),
    incident: visible
      ? {
          id: alert.incident.id,
          title: alert.incident.title,
          severity: alert.incident.severity,
          classification: `${alert.incident.classification.class}/${alert.incident.classification.type}`,
        }
      : null,
    // A correlation's detail is the value in the organization's own incident: told only to readers
    // who may see that incident (a RED one is not the whole organization's). Watched values and the
    // other details are the organization's own.
    detail: visible || alert.source.kind !== 'correlation' ? alert.detail : {},
    acknowledged: alert.acknowledged && { by: alert.acknowledged.by, at: alert.acknowledged.at.toISOString() },
    resolved: alert.resolved && { by: alert.resolved.by, at: alert.resolved.at.toISOString() },
    escalation: alert.escalation && {
      step: alert.escalation.step,
      nextAt: alert.escalation.nextAt ? alert.escalation.nextAt.toISOString() : null,
    },
  };
}

/**
 * The notification an alert change sends to e-mail and webhooks, worded for the organization as a
 * whole. Its `id` is stable per (alert, type, step) so a retried job or a replay repeats it.
 */
export function alertNotification(
  alert: Alert,
  type: Extract<NotificationType, `alert.${string}`>,
  orgViewer: Viewer,
  occurredAt: Date,
  step?: number,
): Notification {
  const view = alertViewFor(orgViewer, alert);
  const suffix =
    type === 'alert.triggered' ? '' : `.${type.slice('alert.'.length)}${step === undefined ? '' : `.${step}`}`;
  return {
    id: `${alert.id}${suffix}`,
    type,
    orgId: alert.orgId,
    tlp: alert.incident.tlp,
    occurredAt: occurredAt.toISOString(),
    ...(view.incident ? { incidentId: view.incident.id } : {}),
    alertId: alert.id,
    content: {
      rule: view.ruleName,
      trigger: view.trigger,
      state: view.state,
      ...(view.incident
        ? { title: view.incident.title, severity: view.incident.severity, classification: view.incident.classification }
        : {}),
      ...view.detail,
    },
  };
}

export type AlertTransition = 'acknowledge' | 'resolve';

/**
 * The alert after `transition` by `by` at `at`, or `unchanged` when it is a repeat (the first
 * acknowledgement or resolution stands). Acknowledging a resolved alert changes nothing; resolving
 * a triggered one skips acknowledgement. Either stops escalation.
 */
export function transitionAlert(
  alert: Alert,
  transition: AlertTransition,
  by: string,
  at: Date,
): { changed: true; alert: Alert } | { changed: false } {
  if (transition === 'acknowledge') {
    if (alert.state !== 'triggered') return { changed: false };
    return {
      changed: true,
      alert: { ...alert, state: 'acknowledged', acknowledged: { by, at }, escalation: stopped(alert) },
    };
  }
  if (alert.state === 'resolved' || alert.state === 'withdrawn') return { changed: false };
  return { changed: true, alert: { ...alert, state: 'resolved', resolved: { by, at }, escalation: stopped(alert) } };
}

const stopped = (alert: Alert) => alert.escalation && { ...alert.escalation, nextAt: null };

/**
 * A retraction withdrew what raised the alert: it leaves the inbox and its escalation stops, whatever
 * its state (a resolved alert is withdrawn too, so nobody reopens what no longer exists). Unchanged
 * when already withdrawn.
 */
export function withdrawAlert(alert: Alert): { changed: true; alert: Alert } | { changed: false } {
  if (alert.state === 'withdrawn') return { changed: false };
  return { changed: true, alert: { ...alert, state: 'withdrawn', escalation: stopped(alert) } };
}

/** A rule as it may be stored: the field named on the first thing wrong. */
export type RuleCheck = { ok: true } | { ok: false; field: string; message: string };

/**
 * Checks the parts of a rule the request shape cannot: the TLP cap is not RED, e-mail addresses are
 * unique, the trigger's classes are RSIT classes.
 */
export function checkRule(rule: Pick<NotificationRule, 'trigger' | 'targets' | 'maxTlp'>): RuleCheck {
  if (!TLP_LEVELS.includes(rule.maxTlp) || rule.maxTlp === 'RED')
    return { ok: false, field: 'maxTlp', message: 'TLP:RED content never leaves by e-mail or webhook' };
  const addresses = rule.targets.emails.map((e) => e.address.toLowerCase());
  if (new Set(addresses).size !== addresses.length)
    return { ok: false, field: 'targets.emails', message: 'an address is listed twice' };
  if (rule.trigger.kind === 'incident' && rule.trigger.classes?.some((c) => !RSIT_CLASSES.includes(c)))
    return { ok: false, field: 'trigger.classes', message: 'not an RSIT class' };
  const { room, emails, webhookEndpointIds, policyId } = rule.targets;
  if (!room && emails.length === 0 && webhookEndpointIds.length === 0 && !policyId)
    return { ok: false, field: 'targets', message: 'a rule must tell someone' };
  return { ok: true };
}

export { DEFAULT_CHANNEL_MAX_TLP as DEFAULT_RULE_MAX_TLP };
