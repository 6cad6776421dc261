import type { Incident } from '../incidents/incident';
import type { Notification } from '../notifications/notification';

/**
 * The `deadline.near` / `deadline.missed` notification of one reminder, for the webhooks of the
 * incident's organization subscribed to it. `eventId` is the reminder's `deadlineEventId`, so a
 * retried reminder builds the same notification (the same `webhook-id`). Labelled with the incident's
 * TLP: an endpoint below it gets the ids and label only.
 */
export function deadlineNotification(
  incident: Pick<Incident, 'id' | 'orgId' | 'tlp' | 'title' | 'severity'>,
  eventId: string,
  reminder: { when: 'near' | 'missed'; milestone: { key: string; label: string; due: Date } },
  occurredAt: Date,
): Notification {
  return {
    id: eventId,
    type: reminder.when === 'near' ? 'deadline.near' : 'deadline.missed',
    orgId: incident.orgId,
    tlp: incident.tlp,
    occurredAt: occurredAt.toISOString(),
    incidentId: incident.id,
    content: {
      title: incident.title,
      severity: incident.severity,
      milestone: reminder.milestone.key,
      label: reminder.milestone.label,
      due: reminder.milestone.due.toISOString(),
    },
  };
}
